package dev.flagedge.server;

import static dev.flagedge.server.ServerTestSupport.get;
import static dev.flagedge.server.ServerTestSupport.json;
import static dev.flagedge.server.ServerTestSupport.post;
import static dev.flagedge.server.ServerTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server with a proxy key against a MockWebServer Flagsmith API: environments from the
 * inventory served over real HTTP, removed and rotated at runtime, and usage reported.
 */
class ProxyKeyTest {
  private static final String PROXY_KEY = "proxy_key_for_tests";

  private final MockWebServer upstream = new MockWebServer();
  private final BlockingQueue<RecordedRequest> usageRequests = new LinkedBlockingQueue<>();
  private final AtomicInteger usageFailuresLeft = new AtomicInteger();
  private volatile int usageFailureStatus = 503;
  private volatile String inventory = "[]";
  private EdgeServer server;

  @BeforeEach
  void startUpstream() throws IOException {
    upstream.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            String path = request.getUrl().encodedPath();
            if (path.equals("/api/v1/proxy/config/")) {
              return PROXY_KEY.equals(request.getHeaders().get("X-Proxy-Key"))
                  ? ServerTestSupport.upstreamJson(inventory)
                  : new MockResponse.Builder().code(401).build();
            }
            if (path.equals("/api/v1/proxy/usage/")) {
              usageRequests.add(request);
              int status = usageFailuresLeft.getAndDecrement() > 0 ? usageFailureStatus : 202;
              return new MockResponse.Builder().code(status).build();
            }
            String serverKey = request.getHeaders().get("X-Environment-Key");
            if (serverKey.startsWith("ser.broken")) {
              return new MockResponse.Builder().code(500).body("down").build();
            }
            String clientKey = "env_" + serverKey.substring(4, serverKey.lastIndexOf('_'));
            return ServerTestSupport.upstreamJson(ServerTestSupport.document(clientKey, clientKey));
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

  /** An inventory entry for env_{name} whose server keys are ser.{name}_{n} (n = 1, 2, …). */
  private static String entry(String name, boolean... active) {
    StringBuilder keys = new StringBuilder();
    for (int i = 0; i < active.length; i++) {
      keys.append(i == 0 ? "" : ",")
          .append("{\"key\": \"ser.")
          .append(name)
          .append('_')
          .append(i + 1)
          .append("\", \"active\": ")
          .append(active[i])
          .append(", \"expires_at\": null}");
    }
    return "{\"id\": 1, \"name\": \""
        + name
        + "\", \"client_side_key\": \"env_"
        + name
        + "\", \"server_side_keys\": ["
        + keys
        + "], \"updated_at\": \"2026-08-15T08:57:43Z\"}";
  }

  private EdgeServer start(Duration usageFlush) {
    try {
      return EdgeServer.start(
          ServerConfig.builder()
              .proxyKey(PROXY_KEY)
              .host("127.0.0.1")
              .port(0)
              .apiUrl(upstream.url("/api/v1").uri())
              .pollInterval(Duration.ofSeconds(1))
              .pollTimeout(Duration.ofSeconds(2))
              .usageFlushInterval(usageFlush)
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String identityBody(String identifier) {
    return "{\"identifier\": \"" + identifier + "\", \"traits\": []}";
  }

  @Test
  void discoveredEnvironment_servesFlagsIdentitiesAndDocument_healthAndMetricsShowInventory() {
    inventory = "[" + entry("alpha", true) + "]";
    server = start(Duration.ofSeconds(60));
    var flags = get(server, "/api/v1/flags/", "env_alpha");
    assertEquals(200, flags.statusCode(), flags.body());
    assertEquals("env_alpha", json(flags).get(0).get("feature_state_value").textValue());
    assertEquals(
        200, post(server, "/api/v1/identities/", "ser.alpha_1", identityBody("u1")).statusCode());
    var document = get(server, "/api/v1/environment-document/", "ser.alpha_1");
    assertEquals(200, document.statusCode());
    assertEquals("env_alpha", json(document).get("api_key").textValue());
    assertEquals(401, get(server, "/api/v1/flags/", "env_other").statusCode());

    var health = get(server, "/proxy/health", null);
    assertEquals(200, health.statusCode(), health.body());
    JsonNode inventoryState = json(health).get("proxy_inventory");
    assertEquals(1, inventoryState.get("environments").intValue());
    assertEquals(0, inventoryState.get("consecutive_failures").intValue());
    assertEquals(
        "env_…", json(health).get("environments").get(0).get("key").textValue().substring(0, 5));
    String metrics = get(server, "/metrics", null).body();
    assertTrue(metrics.contains("flagedge_proxy_inventory_environments 1.0"), metrics);
  }

  @Test
  void inventoryChanges_environmentsAddedRemovedAndKeysRotatedAtRuntime() {
    inventory = "[" + entry("alpha", true) + "]";
    server = start(Duration.ofSeconds(60));
    assertEquals(200, get(server, "/api/v1/flags/", "ser.alpha_1").statusCode());

    inventory = "[" + entry("alpha", false, true) + "," + entry("beta", true) + "]";
    waitUntil(
        () -> get(server, "/api/v1/flags/", "ser.alpha_2").statusCode() == 200,
        Duration.ofSeconds(10),
        "the rotated key");
    assertEquals(401, get(server, "/api/v1/flags/", "ser.alpha_1").statusCode(), "old key");
    waitUntil(
        () -> get(server, "/api/v1/flags/", "env_beta").statusCode() == 200,
        Duration.ofSeconds(10),
        "the added environment");

    inventory = "[" + entry("beta", true) + "]";
    waitUntil(
        () -> get(server, "/api/v1/flags/", "env_alpha").statusCode() == 401,
        Duration.ofSeconds(10),
        "the removed environment's 401");
    assertEquals(401, get(server, "/api/v1/flags/", "ser.alpha_2").statusCode());
    assertEquals(200, get(server, "/api/v1/flags/", "env_beta").statusCode());
  }

  @Test
  void discoveredEnvironmentThatCannotBeFetched_503ForItAloneReplicaStaysReady() {
    inventory = "[" + entry("alpha", true) + "," + entry("broken", true) + "]";
    server = start(Duration.ofSeconds(60));
    assertEquals(200, get(server, "/api/v1/flags/", "env_alpha").statusCode());
    assertEquals(503, get(server, "/api/v1/flags/", "env_broken").statusCode());
    assertEquals(
        200,
        get(server, "/proxy/health/readiness", null).statusCode(),
        "one unfetchable discovered environment must not take the replica out of service");
  }

  @Test
  void inventoryFailure_removesNothingAndShowsInHealth() {
    inventory = "[" + entry("alpha", true) + "]";
    server = start(Duration.ofSeconds(60));
    inventory = "not json";
    waitUntil(
        () ->
            json(get(server, "/proxy/health", null))
                    .get("proxy_inventory")
                    .get("consecutive_failures")
                    .intValue()
                > 0,
        Duration.ofSeconds(10),
        "a failed read");
    assertEquals(200, get(server, "/api/v1/flags/", "env_alpha").statusCode());
    assertEquals(200, get(server, "/proxy/health/readiness", null).statusCode());
    assertTrue(
        json(get(server, "/proxy/health", null))
            .get("proxy_inventory")
            .get("last_error")
            .textValue()
            .startsWith("proxy inventory is not JSON"));
  }

  @Test
  void usage_successfulAnswersCountedPerClientKeyAndResource() throws Exception {
    inventory = "[" + entry("alpha", true) + "]";
    server = start(Duration.ofSeconds(1));
    get(server, "/api/v1/flags/", "env_alpha");
    get(server, "/api/v1/flags/", "ser.alpha_1");
    get(server, "/api/v1/identities/?identifier=u1", "env_alpha");
    post(server, "/api/v1/identities/", "env_alpha", identityBody("u2"));
    get(server, "/api/v1/environment-document/", "ser.alpha_1");
    get(server, "/api/v1/flags/?feature=missing", "env_alpha"); // 404: not counted
    get(server, "/api/v1/flags/", "env_unknown"); // 401: not counted
    get(server, "/api/v1/environment-document/", "env_alpha"); // 403: not counted

    Map<String, Long> counted = new HashMap<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (counted.values().stream().mapToLong(Long::longValue).sum() < 5
        && System.nanoTime() < deadline) {
      RecordedRequest report = usageRequests.poll(1, TimeUnit.SECONDS);
      if (report == null) {
        continue;
      }
      assertEquals(PROXY_KEY, report.getHeaders().get("X-Proxy-Key"));
      assertNotNull(report.getHeaders().get("Idempotency-Key"));
      for (JsonNode row : ServerTestSupport.JSON.readTree(report.getBody().utf8())) {
        counted.merge(
            row.get("client_side_key").textValue() + " " + row.get("resource").textValue(),
            row.get("count").longValue(),
            Long::sum);
      }
    }
    assertEquals(
        Map.of(
            "env_alpha flags",
            2L,
            "env_alpha identities",
            2L,
            "env_alpha environment-document",
            1L),
        counted);
  }

  @Test
  void usage_serverError_sameBatchResentWithSameKeyBeforeNewerCounts() throws Exception {
    inventory = "[" + entry("alpha", true) + "]";
    usageFailuresLeft.set(2);
    server = start(Duration.ofSeconds(1));
    get(server, "/api/v1/flags/", "env_alpha");
    RecordedRequest first = usageRequests.poll(10, TimeUnit.SECONDS);
    assertNotNull(first);
    get(server, "/api/v1/flags/", "env_alpha"); // a newer count, sent only after the first batch
    RecordedRequest second = usageRequests.poll(10, TimeUnit.SECONDS);
    RecordedRequest third = usageRequests.poll(10, TimeUnit.SECONDS);
    assertNotNull(third);
    String key = first.getHeaders().get("Idempotency-Key");
    assertEquals(key, second.getHeaders().get("Idempotency-Key"));
    assertEquals(key, third.getHeaders().get("Idempotency-Key"));
    assertEquals(first.getBody().utf8(), third.getBody().utf8());
    RecordedRequest newer = usageRequests.poll(10, TimeUnit.SECONDS);
    assertNotNull(newer);
    assertNotEquals(key, newer.getHeaders().get("Idempotency-Key"));
  }

  @Test
  void usage_clientError_batchDropped() throws Exception {
    inventory = "[" + entry("alpha", true) + "]";
    usageFailureStatus = 400;
    usageFailuresLeft.set(1);
    server = start(Duration.ofSeconds(1));
    get(server, "/api/v1/flags/", "env_alpha");
    RecordedRequest refused = usageRequests.poll(10, TimeUnit.SECONDS);
    assertNotNull(refused);
    get(server, "/api/v1/identities/?identifier=x", "env_alpha");
    RecordedRequest next = usageRequests.poll(10, TimeUnit.SECONDS);
    assertNotNull(next);
    assertNotEquals(
        refused.getHeaders().get("Idempotency-Key"), next.getHeaders().get("Idempotency-Key"));
    assertEquals(
        "[{\"client_side_key\":\"env_alpha\",\"resource\":\"identities\",\"count\":1}]",
        next.getBody().utf8());
  }

  @Test
  void usage_pendingCountsSentOnClose() throws InterruptedException {
    inventory = "[" + entry("alpha", true) + "]";
    server = start(Duration.ofHours(1));
    get(server, "/api/v1/flags/", "env_alpha");
    server.close();
    server = null;
    RecordedRequest report = usageRequests.poll(10, TimeUnit.SECONDS);
    assertNotNull(report, "no usage report on close");
    assertEquals(
        "[{\"client_side_key\":\"env_alpha\",\"resource\":\"flags\",\"count\":1}]",
        report.getBody().utf8());
  }
}
