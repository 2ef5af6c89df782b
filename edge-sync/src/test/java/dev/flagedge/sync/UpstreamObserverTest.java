package dev.flagedge.sync;

import static dev.flagedge.sync.TestDocuments.CLIENT_KEY;
import static dev.flagedge.sync.TestDocuments.SERVER_KEY;
import static dev.flagedge.sync.TestDocuments.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tracing hook: every upstream call reported, its headers sent, nothing secret given. */
class UpstreamObserverTest {
  private final MockWebServer server = new MockWebServer();
  private final List<String> events = new CopyOnWriteArrayList<>();

  private final UpstreamObserver observer =
      (call, headers) -> {
        events.add("start " + call);
        headers.accept("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        return new UpstreamObserver.Exchange() {
          @Override
          public void answered(int status) {
            events.add("answered " + status);
          }

          @Override
          public void failed(Exception failure) {
            events.add("failed " + failure.getClass().getSimpleName());
          }
        };
      };

  @BeforeEach
  void startServer() throws IOException {
    server.setDispatcher(new StickyDispatcher(ok(TestDocuments.minimal())));
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void documentFetch_observed_withHeadersSentAndNoKeyGiven() throws InterruptedException {
    try (EnvironmentSync sync =
        EnvironmentSync.builder()
            .apiUrl(server.url("/api/v1").uri())
            .environment(SERVER_KEY, CLIENT_KEY)
            .upstreamObserver(observer)
            .build()) {
      sync.refresh(CLIENT_KEY);
    }
    RecordedRequest request = server.takeRequest();
    assertEquals(
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        request.getHeaders().get("traceparent"));
    assertEquals(
        List.of(
            "start Call[method=GET, template=/environment-document/, scheme=http, host="
                + server.getHostName()
                + ", port="
                + server.getPort()
                + "]",
            "answered 200"),
        events);
  }

  @Test
  void legacyDocumentFetch_templateHidesTheKeyInThePath() {
    try (EnvironmentSync sync =
        EnvironmentSync.builder()
            .apiUrl(server.url("/api/v1").uri())
            .legacyEnvironment(CLIENT_KEY, "admin-token")
            .upstreamObserver(observer)
            .build()) {
      sync.refresh(CLIENT_KEY);
    }
    assertTrue(events.get(0).contains("template=/environments/{client_key}/document/"));
    assertFalse(String.join(" ", events).contains(CLIENT_KEY));
  }

  @Test
  void upstreamDown_failureObserved() throws IOException {
    server.close();
    try (EnvironmentSync sync =
        EnvironmentSync.builder()
            .apiUrl(server.url("/api/v1").uri())
            .environment(SERVER_KEY, CLIENT_KEY)
            .upstreamObserver(observer)
            .build()) {
      sync.refresh(CLIENT_KEY);
    }
    assertEquals("failed ConnectException", events.get(events.size() - 1));
  }
}
