package dev.flagedge.sync;

import static dev.flagedge.sync.TestDocuments.CLIENT_KEY;
import static dev.flagedge.sync.TestDocuments.SERVER_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Following a realtime stream: a newer updated_at fetches at once, an older one does nothing. */
class RealtimeSubscriberTest {
  private final MockWebServer server = new MockWebServer();
  private final AtomicInteger documentFetches = new AtomicInteger();
  private volatile String document = TestDocuments.version(1);
  private volatile double announced = Double.NaN;

  @BeforeEach
  void start() throws IOException {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            if (request
                .getUrl()
                .encodedPath()
                .equals("/sse/environments/" + CLIENT_KEY + "/stream")) {
              String events =
                  Double.isNaN(announced)
                      ? ": ping\n\n"
                      : "event: environment_updated\ndata: {\"updated_at\": "
                          + announced
                          + "}\nretry: 15000\n\n";
              return new MockResponse.Builder()
                  .code(200)
                  .setHeader("Content-Type", "text/event-stream")
                  .body(events)
                  .build();
            }
            documentFetches.incrementAndGet();
            return TestDocuments.ok(document);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private EnvironmentSync sync() {
    return EnvironmentSync.builder()
        .apiUrl(server.url("/api/v1").uri())
        .environment(SERVER_KEY, CLIENT_KEY)
        .pollInterval(Duration.ofHours(1))
        .realtimeUrl(server.url("/").uri())
        .build();
  }

  private static void await(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static String banner(EnvironmentSync sync) {
    return sync.current(CLIENT_KEY)
        .flatMap(l -> l.environment().environmentFlag("banner"))
        .flatMap(Flag -> Flag.value())
        .map(Object::toString)
        .orElse("-");
  }

  @Test
  void newerUpdatedAtAnnounced_fetchedAtOnceDespiteAnHourlyPoll() {
    try (EnvironmentSync sync = sync()) {
      sync.start();
      assertTrue(sync.awaitFirstSync(Duration.ofSeconds(10)));
      document = TestDocuments.version(7);
      announced = RealtimeSubscriber.epochSeconds("2026-11-25T10:00:07Z");
      await(() -> "v7".equals(banner(sync)), "the announced document");
    }
  }

  @Test
  void sameOrOlderUpdatedAtAnnounced_nothingFetched() throws InterruptedException {
    try (EnvironmentSync sync = sync()) {
      sync.start();
      assertTrue(sync.awaitFirstSync(Duration.ofSeconds(10)));
      announced = RealtimeSubscriber.epochSeconds("2026-11-25T10:00:01Z"); // the served one's
      Thread.sleep(2_500); // streams reopen at most once a second: a few announcements
      assertEquals(1, documentFetches.get());
      assertTrue(server.getRequestCount() >= 3, "the stream was not followed and reopened");
    }
  }

  @Test
  void realtimeUrl_notHttp_refusedNamingTheSetting() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> EnvironmentSync.builder().realtimeUrl(URI.create("ftp://realtime")));
    assertTrue(e.getMessage().startsWith("realtimeUrl must be"), e.getMessage());
  }
}
