package dev.flagedge.server;

import static dev.flagedge.server.ServerTestSupport.get;
import static dev.flagedge.server.ServerTestSupport.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server explains its environments' failures in {@code /proxy/health} and its log, and one
 * environment the upstream rejects does not hold readiness; the port opens before the first
 * documents load.
 */
class HealthDiagnosticsTest {
  private static final String GOOD_SERVER = "ser.good_server_key";
  private static final String GOOD_CLIENT = "good_client_key";
  private static final String BAD_SERVER = "ser.rotated_server_key";
  private static final String BAD_CLIENT = "rotated_client_key";

  private final Map<String, MockResponse> byServerKey = new ConcurrentHashMap<>();
  private final MockWebServer upstream = ServerTestSupport.upstream(this::answer);

  /** Held: java.util.logging keeps loggers weakly, and a collected one loses its handler. */
  private final Logger diagnosticsLog = Logger.getLogger(Diagnostics.class.getName());

  private final List<LogRecord> warnings = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.INFO.intValue()) {
            synchronized (warnings) {
              warnings.add(record);
            }
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private EdgeServer server;

  /** The response set for the asking server key; an unknown key is refused, as Flagsmith does. */
  private MockResponse answer(RecordedRequest request) {
    MockResponse response = byServerKey.get(request.getHeaders().get("X-Environment-Key"));
    return response != null
        ? response
        : new MockResponse.Builder().code(401).body("{\"detail\":\"Invalid key\"}").build();
  }

  @BeforeEach
  void start() {
    diagnosticsLog.addHandler(capture);
  }

  @AfterEach
  void stop() {
    diagnosticsLog.removeHandler(capture);
    if (server != null) {
      server.close();
    }
    upstream.close();
  }

  private EdgeServer start(URI apiUrl, Duration pollInterval, String... pairs) {
    ServerConfig.Builder config =
        ServerConfig.builder()
            .host("127.0.0.1")
            .port(0)
            .apiUrl(apiUrl)
            .pollInterval(pollInterval)
            .pollTimeout(Duration.ofSeconds(2));
    for (int i = 0; i < pairs.length; i += 2) {
      config.environment(pairs[i], pairs[i + 1]);
    }
    try {
      return EdgeServer.start(config.build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode environment(JsonNode health, String clientKey) {
    String masked = clientKey.substring(0, 4);
    for (JsonNode environment : health.get("environments")) {
      if (environment.get("key").textValue().startsWith(masked)) {
        return environment;
      }
    }
    throw new AssertionError("no environment " + masked + " in " + health);
  }

  @Test
  void rejectedKey_readinessNotHeld_healthDegradedWithAHint_noKeyShown() {
    byServerKey.put(
        GOOD_SERVER, ServerTestSupport.upstreamJson(ServerTestSupport.document(GOOD_CLIENT, "ok")));
    server =
        start(
            upstream.url("/api/v1").uri(),
            Duration.ofSeconds(10),
            GOOD_SERVER,
            GOOD_CLIENT,
            BAD_SERVER,
            BAD_CLIENT);
    assertEquals(200, get(server, "/proxy/health/readiness", null).statusCode());
    var health = get(server, "/proxy/health", null);
    assertEquals(200, health.statusCode(), health.body());
    assertEquals("degraded", json(health).get("status").textValue());
    assertTrue(json(health).get("reason").textValue().contains("rejects the key"), health.body());
    String hint = environment(json(health), BAD_CLIENT).get("hints").get(0).textValue();
    assertTrue(hint.contains("refused this environment's key (HTTP 401)"), hint);
    assertTrue(hint.contains("server-side key") && hint.contains("api_url"), hint);
    assertEquals(0, environment(json(health), GOOD_CLIENT).get("hints").size());
    assertFalse(health.body().contains(BAD_SERVER) || health.body().contains(BAD_CLIENT));
    assertEquals(200, get(server, "/api/v1/flags/", GOOD_CLIENT).statusCode());
  }

  @Test
  void upstream404_hintSaysApiUrlLacksApiV1() {
    byServerKey.put(GOOD_SERVER, new MockResponse.Builder().code(404).body("Not Found").build());
    server = start(upstream.url("/").uri(), Duration.ofSeconds(10), GOOD_SERVER, GOOD_CLIENT);
    ServerTestSupport.waitUntil(
        () -> hints(GOOD_CLIENT).contains("api_url probably lacks /api/v1"),
        Duration.ofSeconds(10),
        "the 404 hint");
    assertEquals(503, get(server, "/proxy/health/readiness", null).statusCode());
  }

  @Test
  void connectionRefused_hintSaysSo() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    server =
        start(
            URI.create("http://127.0.0.1:" + closedPort + "/api/v1"),
            Duration.ofSeconds(10),
            GOOD_SERVER,
            GOOD_CLIENT);
    assertTrue(
        hints(GOOD_CLIENT).contains("connection to the upstream was refused"), hints(GOOD_CLIENT));
  }

  @Test
  void unknownHost_hintSaysDns() {
    server =
        start(
            URI.create("http://flagedge-no-such-host.invalid/api/v1"),
            Duration.ofSeconds(10),
            GOOD_SERVER,
            GOOD_CLIENT);
    assertTrue(hints(GOOD_CLIENT).contains("(DNS)"), hints(GOOD_CLIENT));
  }

  @Test
  void documentWithoutIdentityOverridesInLocalEval_hintNamesTheSetting() {
    String document =
        ServerTestSupport.document(GOOD_CLIENT, "ok")
            .replaceFirst("\\{", "{\"use_identity_overrides_in_local_eval\": false, ");
    byServerKey.put(GOOD_SERVER, ServerTestSupport.upstreamJson(document));
    server = start(upstream.url("/api/v1").uri(), Duration.ofSeconds(10), GOOD_SERVER, GOOD_CLIENT);
    assertTrue(
        hints(GOOD_CLIENT).contains("use_identity_overrides_in_local_eval: false"),
        hints(GOOD_CLIENT));
    assertEquals("ok", json(get(server, "/proxy/health", null)).get("status").textValue());
  }

  @Test
  void hints_loggedOncePerChangeOfState_notOnEveryPoll() {
    server = start(upstream.url("/api/v1").uri(), Duration.ofSeconds(1), GOOD_SERVER, GOOD_CLIENT);
    ServerTestSupport.waitUntil(
        () -> upstream.getRequestCount() >= 3, Duration.ofSeconds(20), "three refused polls");
    assertEquals(1, logged("refused this environment's key"), messages());
    byServerKey.put(
        GOOD_SERVER, ServerTestSupport.upstreamJson(ServerTestSupport.document(GOOD_CLIENT, "ok")));
    server.sync().refresh(GOOD_CLIENT); // polls back off after failures: fetch now
    ServerTestSupport.waitUntil(
        () -> logged("healthy again") == 1,
        Duration.ofSeconds(5),
        "the recovery log line in " + messages());
    assertEquals(1, logged("refused this environment's key"), messages());
    assertFalse(messages().contains(GOOD_SERVER) || messages().contains(GOOD_CLIENT), messages());
  }

  @Test
  void portOpensBeforeTheFirstLoad_livenessAtOnce_readinessAfter() throws Exception {
    byServerKey.put(
        GOOD_SERVER,
        ServerTestSupport.upstreamJson(ServerTestSupport.document(GOOD_CLIENT, "ok"))
            .newBuilder()
            .headersDelay(1500, TimeUnit.MILLISECONDS)
            .build());
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    CompletableFuture<EdgeServer> starting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return EdgeServer.start(
                    ServerConfig.builder()
                        .host("127.0.0.1")
                        .port(port)
                        .apiUrl(upstream.url("/api/v1").uri())
                        .pollTimeout(Duration.ofSeconds(5))
                        .environment(GOOD_SERVER, GOOD_CLIENT)
                        .build());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try {
      int liveness = 0;
      int readiness = 0;
      int flags = 0;
      while (liveness != 200 && !starting.isDone()) {
        try {
          liveness = status(port, "/proxy/health/liveness", null);
          readiness = status(port, "/proxy/health/readiness", null);
          flags = status(port, "/api/v1/flags/", GOOD_CLIENT);
        } catch (UncheckedIOException e) {
          // not listening yet
        }
      }
      assertEquals(200, liveness, "liveness before start() returned");
      assertEquals(503, readiness);
      assertEquals(503, flags);
    } finally {
      server = starting.get(10, TimeUnit.SECONDS);
    }
    assertEquals(200, get(server, "/proxy/health/readiness", null).statusCode());
  }

  private static int status(int port, String path, String key) {
    var request =
        java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(2));
    if (key != null) {
      request.header("X-Environment-Key", key);
    }
    try {
      return ServerTestSupport.HTTP
          .send(request.build(), java.net.http.HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String hints(String clientKey) {
    return environment(json(get(server, "/proxy/health", null)), clientKey).get("hints").toString();
  }

  private long logged(String text) {
    synchronized (warnings) {
      return warnings.stream().filter(r -> format(r).contains(text)).count();
    }
  }

  private String messages() {
    synchronized (warnings) {
      return warnings.stream().map(HealthDiagnosticsTest::format).toList().toString();
    }
  }

  private static String format(LogRecord record) {
    return new java.util.logging.SimpleFormatter().formatMessage(record);
  }
}
