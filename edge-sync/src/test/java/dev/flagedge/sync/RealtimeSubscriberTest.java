package dev.flagedge.sync;

import static dev.flagedge.sync.TestDocuments.CLIENT_KEY;
import static dev.flagedge.sync.TestDocuments.SERVER_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Following a realtime stream: a newer updated_at asks for a fetch at once, an older one does
 * nothing, an ended stream is reopened a second after it opened. Polls, fetches and reopenings wait
 * on a manual scheduler, measured on a manual clock; only the streams are real HTTP (each answer is
 * one event, or a comment, and the end of the stream).
 */
class RealtimeSubscriberTest {
  private static final Duration POLL = Duration.ofHours(1);
  private static final Duration REOPEN = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final MockWebServer server = new MockWebServer();
  private final ManualScheduler scheduler = new ManualScheduler();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
  private final AtomicInteger documentFetches = new AtomicInteger();
  private final AtomicInteger announcements = new AtomicInteger();
  private volatile String document = TestDocuments.version(1);
  private volatile double announced = Double.NaN;
  private volatile Duration streamLasts = Duration.ZERO;

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
              clock.advance(streamLasts); // on the clock, the stream is open this long
              double at = announced;
              String events;
              if (Double.isNaN(at)) {
                events = ": ping\n\n";
              } else {
                announcements.incrementAndGet();
                events =
                    "event: environment_updated\ndata: {\"updated_at\": "
                        + at
                        + "}\nretry: 15000\n\n";
              }
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
        .pollInterval(POLL)
        .clock(clock)
        .scheduler(scheduler)
        .jitter(() -> 0)
        .realtimeUrl(server.url("/").uri())
        .build();
  }

  /**
   * Waits until the open stream has ended: its reopening is scheduled. Whatever its event asked for
   * is scheduled by then too (OkHttp's reader thread handles the event before the end).
   */
  private void awaitStreamEnd() throws InterruptedException {
    scheduler.awaitPending(REOPEN, WAIT);
  }

  private static String banner(EnvironmentSync sync) {
    return sync.current(CLIENT_KEY)
        .flatMap(l -> l.environment().environmentFlag("banner"))
        .flatMap(Flag -> Flag.value())
        .map(Object::toString)
        .orElse("-");
  }

  @Test
  void newerUpdatedAtAnnounced_fetchedAtOnceDespiteAnHourlyPoll() throws InterruptedException {
    try (EnvironmentSync sync = sync()) {
      sync.start();
      scheduler.runNext(); // the first poll
      assertEquals("v1", banner(sync));
      awaitStreamEnd(); // the stream opened by start(), before anything was announced
      document = TestDocuments.version(7);
      announced = RealtimeSubscriber.epochSeconds("2026-11-25T10:00:07Z");
      scheduler.runNext(); // reopens it
      awaitStreamEnd();
      assertEquals(1, announcements.get());
      assertEquals(List.of(Duration.ZERO, REOPEN, POLL), scheduler.pendingDelays());
      scheduler.runNext(); // the fetch
      assertEquals("v7", banner(sync));
      assertEquals(2, documentFetches.get());
    }
  }

  @Test
  void sameOrOlderUpdatedAtAnnounced_nothingFetched() throws InterruptedException {
    try (EnvironmentSync sync = sync()) {
      sync.start();
      scheduler.runNext(); // the first poll
      awaitStreamEnd();
      for (String updatedAt : List.of("10:00:01Z", "10:00:00Z", "10:00:01Z")) {
        // the served document's updated_at, an older one, the served one again
        announced = RealtimeSubscriber.epochSeconds("2026-11-25T" + updatedAt);
        scheduler.runNext(); // reopens the stream
        awaitStreamEnd();
        assertEquals(List.of(REOPEN, POLL), scheduler.pendingDelays(), "a fetch was asked for");
      }
      assertEquals(3, announcements.get());
      assertEquals(1, documentFetches.get());
    }
  }

  @Test
  void streamEnded_reopenedOneSecondAfterItOpened_atOnceAfterLongerStreams()
      throws InterruptedException {
    try (EnvironmentSync sync = sync()) {
      streamLasts = Duration.ofMillis(400);
      sync.start();
      scheduler.runNext(); // the first poll
      scheduler.awaitPending(Duration.ofMillis(600), WAIT);
      streamLasts = Duration.ofMillis(1_500);
      scheduler.runNext(); // reopens the stream after the 600 ms
      scheduler.awaitPending(Duration.ZERO, WAIT); // nothing was announced: not a fetch
      assertEquals(1, documentFetches.get());
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
