package dev.flagedge.server;

import static dev.flagedge.server.ServerTestSupport.get;
import static dev.flagedge.server.ServerTestSupport.json;
import static dev.flagedge.server.ServerTestSupport.post;
import static dev.flagedge.server.ServerTestSupport.request;
import static dev.flagedge.server.ServerTestSupport.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keys and documents stay where they belong: server-side keys and documents are never readable with
 * a client key, nor do whole keys show in errors, logs, health or metrics; one environment's keys
 * never reach another's data. Also the documented request limits.
 */
class SecurityAndLimitsTest {
  private static final String SERVER_A = "ser.alpha_secret_server_key";
  private static final String CLIENT_A = "alpha_client_key";
  private static final String SERVER_B = "ser.bravo_secret_server_key";
  private static final String CLIENT_B = "bravo_client_key";

  private static final MockWebServer upstream = new MockWebServer();
  private static final ConcurrentLinkedQueue<String> logs = new ConcurrentLinkedQueue<>();
  private static final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logs.add(new java.util.logging.SimpleFormatter().format(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private static EdgeServer server;

  @BeforeAll
  static void start() throws IOException {
    Logger.getLogger("").addHandler(capture);
    AtomicInteger bravoFetches = new AtomicInteger();
    upstream.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            String key = request.getHeaders().get("X-Environment-Key");
            if (SERVER_A.equals(key)) {
              return ServerTestSupport.upstreamJson(ServerTestSupport.document(CLIENT_A, "alpha"));
            }
            // Bravo fails at first, so that failures get logged.
            return SERVER_B.equals(key) && bravoFetches.incrementAndGet() > 2
                ? ServerTestSupport.upstreamJson(ServerTestSupport.document(CLIENT_B, "bravo"))
                : new MockResponse.Builder().code(500).body("no").build();
          }
        });
    upstream.start(0);
    server =
        EdgeServer.start(
            ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .environment(SERVER_A, CLIENT_A)
                .environment(SERVER_B, CLIENT_B)
                .apiUrl(upstream.url("/api/v1").uri())
                .pollInterval(Duration.ofMillis(200))
                .pollTimeout(Duration.ofSeconds(1))
                .build());
    ServerTestSupport.waitUntil(
        () -> get(server, "/api/v1/flags/", CLIENT_B).statusCode() == 200,
        Duration.ofSeconds(20),
        "bravo to recover");
  }

  @AfterAll
  static void stop() {
    server.close();
    upstream.close();
    Logger.getLogger("").removeHandler(capture);
  }

  @Test
  void eachKey_seesOnlyItsOwnEnvironment() {
    assertEquals("alpha", banner(CLIENT_A));
    assertEquals("bravo", banner(CLIENT_B));
    assertEquals("alpha", banner(SERVER_A));
    assertEquals(
        CLIENT_B,
        json(get(server, "/api/v1/environment-document", SERVER_B)).get("api_key").textValue());
  }

  @Test
  void environmentDocument_clientKey_neverGetsIt() {
    var response = get(server, "/api/v1/environment-document", CLIENT_A);
    assertEquals(403, response.statusCode());
    assertFalse(response.body().contains("feature_states"));
  }

  @Test
  void wholeServerKeys_neverInHealthMetricsOrLogs() {
    String health = get(server, "/proxy/health", null).body();
    String metrics = get(server, "/metrics", null).body();
    String allLogs = String.join("\n", logs);
    for (String key : List.of(SERVER_A, SERVER_B)) {
      assertFalse(health.contains(key), "health shows " + key);
      assertFalse(metrics.contains(key), "metrics show " + key);
      assertFalse(allLogs.contains(key), "logs show " + key + ":\n" + allLogs);
    }
    for (String key : List.of(CLIENT_A, CLIENT_B)) {
      assertFalse(health.contains(key) || metrics.contains(key), "client key shown: " + key);
    }
  }

  @Test
  void almostRightServerKey_unauthorised() {
    assertEquals(401, get(server, "/api/v1/flags/", SERVER_A + "x").statusCode());
    assertEquals(401, get(server, "/api/v1/flags/", SERVER_A.substring(0, 10)).statusCode());
  }

  @Test
  void headersOver32KiB_431() {
    var response =
        send(
            request(server, "/api/v1/flags/")
                .header("X-Environment-Key", CLIENT_A)
                .header("X-Padding", "p".repeat(40_000))
                .build());
    assertEquals(431, response.statusCode());
    assertEquals("request_header_fields_too_large", json(response).get("status").textValue());
  }

  @Test
  void headersOverTheHardLimit_431WithJsonBody() {
    String answer =
        ServerTestSupport.raw(
            server,
            "GET /api/v1/flags/ HTTP/1.1\r\nHost: a\r\n"
                + "X-Padding: "
                + "p".repeat(100_000)
                + "\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 431 "), answer);
    assertTrue(answer.contains("\"status\":\"request_header_fields_too_large\""), answer);
  }

  @Test
  void malformedRequestLine_400WithJsonBody() {
    String answer = ServerTestSupport.raw(server, "BLAH\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
    assertTrue(answer.contains("Content-Type: application/json"), answer);
    assertTrue(answer.endsWith("{\"status\":\"bad_request\",\"message\":\"No URI\"}"), answer);
  }

  @Test
  void malformedContentLength_400WithJsonBody() {
    String answer =
        ServerTestSupport.raw(
            server,
            "POST /api/v1/identities/ HTTP/1.1\r\n" + "Host: a\r\nContent-Length: ten\r\n\r\n{}");
    assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
    assertTrue(answer.contains("\"status\":\"bad_request\""), answer);
  }

  @Test
  void moreThanThousandTraits_422TooLong() {
    StringBuilder traits = new StringBuilder();
    for (int i = 0; i <= Limits.MAX_TRAITS; i++) {
      traits
          .append(i == 0 ? "" : ",")
          .append("{\"trait_key\":\"t")
          .append(i)
          .append("\",\"trait_value\":")
          .append(i)
          .append('}');
    }
    var response =
        post(
            server,
            "/api/v1/identities/",
            CLIENT_A,
            "{\"identifier\":\"u\",\"traits\":[" + traits + "]}");
    assertEquals(422, response.statusCode());
    assertEquals("too_long", json(response).get("detail").get(0).get("type").textValue());
  }

  private static String banner(String key) {
    return json(get(server, "/api/v1/flags/?feature=banner", key))
        .get("feature_state_value")
        .textValue();
  }
}
