package dev.flagedge.server;

import static dev.flagedge.server.ServerTestSupport.get;
import static dev.flagedge.server.ServerTestSupport.json;
import static dev.flagedge.server.ServerTestSupport.post;
import static dev.flagedge.server.ServerTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server against a MockWebServer upstream: polling, outages, legacy endpoint, analytics. */
class UpstreamTest {
  private static final String SERVER_KEY = "ser.upstream_server_key";
  private static final String CLIENT_KEY = "upstream_client_key";

  private final MockWebServer upstream = new MockWebServer();
  private final AtomicReference<MockResponse> documentResponse = new AtomicReference<>();
  private final BlockingQueue<RecordedRequest> requests = new LinkedBlockingQueue<>();
  private EdgeServer server;

  @BeforeEach
  void startUpstream() throws IOException {
    upstream.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            requests.add(request);
            return request.getTarget().contains("analytics")
                ? new MockResponse.Builder().code(200).body("{}").build()
                : documentResponse.get();
          }
        });
    upstream.start(0);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    upstream.close();
  }

  @Test
  void documentChange_visibleWithinOnePoll() {
    serve(ServerTestSupport.document(CLIENT_KEY, "v1"));
    server = start(ServerConfig.builder().environment(SERVER_KEY, CLIENT_KEY));
    assertEquals("v1", bannerValue());
    serve(ServerTestSupport.document(CLIENT_KEY, "v2"));
    waitUntil(() -> "v2".equals(bannerValue()), Duration.ofSeconds(5), "the new document");
  }

  @Test
  void upstreamDown_neverLoaded_503UntilItRecovers() {
    documentResponse.set(new MockResponse.Builder().code(500).body("down").build());
    server = start(ServerConfig.builder().environment(SERVER_KEY, CLIENT_KEY));
    var flags = get(server, "/api/v1/flags/", CLIENT_KEY);
    assertEquals(503, flags.statusCode());
    assertEquals("service_unavailable", json(flags).get("status").textValue());
    var health = get(server, "/proxy/health", null);
    assertEquals(503, health.statusCode());
    assertEquals("environment document(s) not updated.", json(health).get("reason").textValue());
    serve(ServerTestSupport.document(CLIENT_KEY, "back"));
    waitUntil(
        () -> get(server, "/proxy/health/readiness", null).statusCode() == 200,
        Duration.ofSeconds(10),
        "readiness after the upstream recovers");
    assertEquals("back", bannerValue());
  }

  @Test
  void legacyEnvironment_fetchesV1DocumentWithToken() throws InterruptedException {
    serve(ServerTestSupport.document("legacy_key", "legacy"));
    server = start(ServerConfig.builder().legacyEnvironment("legacy_key", "admin-token"));
    RecordedRequest request = requests.poll(5, TimeUnit.SECONDS);
    assertEquals("/api/v1/environments/legacy_key/document/", request.getUrl().encodedPath());
    assertEquals("Token admin-token", request.getHeaders().get("Authorization"));
    assertEquals(
        "legacy",
        json(get(server, "/api/v1/flags/?feature=banner", "legacy_key"))
            .get("feature_state_value")
            .textValue());
  }

  @Test
  void analytics_acceptedAndForwardedWithClientKey() throws InterruptedException {
    serve(ServerTestSupport.document(CLIENT_KEY, "v1"));
    server = start(ServerConfig.builder().environment(SERVER_KEY, CLIENT_KEY));
    assertEquals(
        200, post(server, "/api/v1/analytics/flags/", CLIENT_KEY, "{\"banner\": 3}").statusCode());
    assertEquals(
        200, post(server, "/api/v1/analytics/flags", CLIENT_KEY, "{\"banner\": 2}").statusCode());
    server.close();
    server = null;
    RecordedRequest forwarded = null;
    for (RecordedRequest r = requests.poll(5, TimeUnit.SECONDS);
        r != null && forwarded == null;
        r = requests.poll(5, TimeUnit.SECONDS)) {
      forwarded = r.getTarget().contains("analytics") ? r : null;
    }
    assertEquals("/api/v1/analytics/flags/", forwarded.getUrl().encodedPath());
    assertEquals(CLIENT_KEY, forwarded.getHeaders().get("X-Environment-Key"));
    assertEquals("{\"banner\":5}", forwarded.getBody().utf8());
  }

  @Test
  void close_stopsServing() {
    serve(ServerTestSupport.document(CLIENT_KEY, "v1"));
    server = start(ServerConfig.builder().environment(SERVER_KEY, CLIENT_KEY));
    EdgeServer stopped = server;
    server = null;
    stopped.close();
    assertThrows(UncheckedIOException.class, () -> get(stopped, "/api/v1/flags/", CLIENT_KEY));
  }

  private EdgeServer start(ServerConfig.Builder builder) {
    try {
      return EdgeServer.start(
          builder
              .host("127.0.0.1")
              .port(0)
              .apiUrl(upstream.url("/api/v1").uri())
              .pollInterval(Duration.ofSeconds(1))
              .pollTimeout(Duration.ofSeconds(1))
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String bannerValue() {
    var response = get(server, "/api/v1/flags/?feature=banner", CLIENT_KEY);
    return response.statusCode() == 200
        ? json(response).get("feature_state_value").textValue()
        : null;
  }

  private void serve(String document) {
    documentResponse.set(ServerTestSupport.upstreamJson(document));
  }
}
