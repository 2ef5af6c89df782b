package dev.flagedge.sync;

import static dev.flagedge.sync.TestDocuments.CLIENT_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Environments learnt from a proxy's inventory: discovery, removal, rotation, failures. */
class ProxyInventoryTest {
  private static final String PROXY_KEY = "proxy-key-0123";

  private final MockWebServer server = new MockWebServer();
  private final List<RecordedRequest> documentRequests = new CopyOnWriteArrayList<>();
  private final RecordingListener listener = new RecordingListener();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
  private volatile MockResponse inventory = json("[]");

  @BeforeEach
  void start() throws IOException {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            if (request.getUrl().encodedPath().equals("/api/v1/proxy/config/")) {
              return inventory;
            }
            documentRequests.add(request);
            String serverKey = request.getHeaders().get("X-Environment-Key");
            String clientKey =
                serverKey.startsWith("ser.static")
                    ? CLIENT_KEY
                    : "env-" + serverKey.substring(4, 5);
            return json(TestDocuments.minimal().replace("\"client-key\"", "\"" + clientKey + "\""));
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder()
        .code(200)
        .setHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  private static String entry(String clientKey, String... keys) {
    return "{\"id\": 1, \"name\": \"Production\", \"client_side_key\": \""
        + clientKey
        + "\", \"server_side_keys\": ["
        + String.join(",", keys)
        + "], \"project_id\": 3}";
  }

  private static String key(String key, boolean active, String expiresAt) {
    return "{\"key\": \""
        + key
        + "\", \"active\": "
        + active
        + ", \"expires_at\": "
        + (expiresAt == null ? "null" : "\"" + expiresAt + "\"")
        + "}";
  }

  private EnvironmentSync.Builder builder() {
    return EnvironmentSync.builder()
        .apiUrl(server.url("/api/v1").uri())
        .proxyKey(PROXY_KEY)
        .listener(listener)
        .clock(clock);
  }

  @Test
  void inventory_newEnvironment_servedAndFetchedWithFirstValidKeyAndProxyKey() {
    inventory =
        json(
            "["
                + entry("env-b", key("ser.a-old", false, null), key("ser.b-new", true, null))
                + "]");
    try (EnvironmentSync sync = builder().build()) {
      sync.readInventory();
      assertEquals(Set.of("env-b"), sync.clientKeys());
      sync.refresh("env-b");
      assertTrue(sync.current("env-b").isPresent());
      RecordedRequest fetch = documentRequests.get(documentRequests.size() - 1);
      assertEquals("ser.b-new", fetch.getHeaders().get("X-Environment-Key"));
      assertEquals(PROXY_KEY, fetch.getHeaders().get("X-Proxy-Key"));
      assertEquals(Optional.of("env-b"), sync.clientKeyOf("ser.b-new"));
      assertEquals(Optional.empty(), sync.clientKeyOf("ser.a-old"), "inactive key");
      assertEquals(1, sync.inventoryStatus().orElseThrow().environments());
    }
  }

  @Test
  void inventory_keysInAnyOrder_documentsFetchedWithTheSameKey() {
    try (EnvironmentSync sync = builder().build()) {
      for (String keys :
          List.of(
              key("ser.b2", true, null) + "," + key("ser.b1", true, null),
              key("ser.b1", true, null) + "," + key("ser.b2", true, null))) {
        inventory = json("[" + entry("env-b", keys) + "]");
        sync.readInventory();
        sync.refresh("env-b");
        assertEquals(
            "ser.b1",
            documentRequests
                .get(documentRequests.size() - 1)
                .getHeaders()
                .get("X-Environment-Key"));
      }
    }
  }

  @Test
  void inventory_environmentGone_removedAndListenerTold() {
    inventory = json("[" + entry("env-a", key("ser.a1", true, null)) + "]");
    try (EnvironmentSync sync = builder().build()) {
      sync.readInventory();
      sync.refresh("env-a");
      inventory = json("[]");
      sync.readInventory();
      assertEquals(Set.of(), sync.clientKeys());
      assertEquals(Optional.empty(), sync.current("env-a"));
      assertEquals(Optional.empty(), sync.clientKeyOf("ser.a1"));
      assertTrue(listener.events.contains("removed env-a"), listener.events.toString());
    }
  }

  @Test
  void inventory_onlyKeyInactive_environmentDropped() {
    inventory = json("[" + entry("env-a", key("ser.a1", true, null)) + "]");
    try (EnvironmentSync sync = builder().build()) {
      sync.readInventory();
      inventory = json("[" + entry("env-a", key("ser.a1", false, null)) + "]");
      sync.readInventory();
      assertEquals(Set.of(), sync.clientKeys());
      inventory = json("[" + entry("env-a") + "]"); // no server keys at all: not served either
      sync.readInventory();
      assertEquals(Set.of(), sync.clientKeys());
    }
  }

  @Test
  void inventory_rotatedKey_oldRefusedAtOnceNewUsedForFetches() {
    inventory = json("[" + entry("env-a", key("ser.a-old", true, null)) + "]");
    try (EnvironmentSync sync = builder().build()) {
      sync.readInventory();
      inventory =
          json(
              "["
                  + entry("env-a", key("ser.a-old", false, null), key("ser.a-new", true, null))
                  + "]");
      sync.readInventory();
      assertEquals(Optional.empty(), sync.clientKeyOf("ser.a-old"));
      assertEquals(Optional.of("env-a"), sync.clientKeyOf("ser.a-new"));
      sync.refresh("env-a");
      assertEquals(
          "ser.a-new",
          documentRequests.get(documentRequests.size() - 1).getHeaders().get("X-Environment-Key"));
    }
  }

  @Test
  void serverKey_expiresBetweenInventories_refusedFromThatMoment() {
    inventory =
        json(
            "["
                + entry(
                    "env-a",
                    key("ser.a1", true, "2026-11-30T13:00:00Z"),
                    key("ser.a2", true, "2026-11-30T11:00:00+00:00"))
                + "]");
    try (EnvironmentSync sync = builder().build()) {
      sync.readInventory();
      assertEquals(Optional.empty(), sync.clientKeyOf("ser.a2"), "expired an hour ago");
      assertEquals(Optional.of("env-a"), sync.clientKeyOf("ser.a1"));
      clock.advance(Duration.ofHours(2));
      assertEquals(Optional.empty(), sync.clientKeyOf("ser.a1"));
    }
  }

  @Test
  void configuredEnvironment_neverRemovedOrReplaced_collidingEntrySkipped() {
    inventory = json("[" + entry(CLIENT_KEY, key("ser.x-other", true, null)) + "]");
    try (EnvironmentSync sync = builder().environment("ser.static-key", CLIENT_KEY).build()) {
      sync.readInventory();
      assertEquals(Optional.empty(), sync.clientKeyOf("ser.x-other"));
      assertEquals(Optional.of(CLIENT_KEY), sync.clientKeyOf("ser.static-key"));
      inventory = json("[]");
      sync.readInventory();
      assertEquals(Set.of(CLIENT_KEY), sync.clientKeys());
      sync.refresh(CLIENT_KEY);
      RecordedRequest fetch = documentRequests.get(documentRequests.size() - 1);
      assertEquals("ser.static-key", fetch.getHeaders().get("X-Environment-Key"));
      assertEquals(PROXY_KEY, fetch.getHeaders().get("X-Proxy-Key"), "static fetches carry it too");
    }
  }

  @Test
  void inventory_failures_removeNothingAndShowInStatus() {
    inventory = json("[" + entry("env-a", key("ser.a1", true, null)) + "]");
    try (EnvironmentSync sync = builder().build()) {
      sync.readInventory();
      for (MockResponse failure :
          List.of(
              new MockResponse.Builder().code(503).build(),
              new MockResponse.Builder().code(401).build(),
              json("{\"not\": \"a list\"}"),
              json("[{\"client_side_key\": 7}]"))) {
        inventory = failure;
        sync.readInventory();
        assertEquals(Set.of("env-a"), sync.clientKeys());
        assertEquals(Optional.of("env-a"), sync.clientKeyOf("ser.a1"));
      }
      InventoryStatus status = sync.inventoryStatus().orElseThrow();
      assertEquals(4, status.consecutiveFailures());
      assertEquals(
          Optional.of(
              "proxy inventory: $[0].client_side_key must be a non-empty string, " + "got 7"),
          status.lastError());
      assertEquals(1, status.environments());
      RecordedRequest read = server.takeRequest();
      assertEquals(PROXY_KEY, read.getHeaders().get("X-Proxy-Key"));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void inventory_timesOut_removesNothing() {
    inventory = json("[" + entry("env-a", key("ser.a1", true, null)) + "]");
    try (EnvironmentSync sync = builder().requestTimeout(Duration.ofMillis(300)).build()) {
      sync.readInventory();
      inventory =
          new MockResponse.Builder().code(200).headersDelay(2, TimeUnit.SECONDS).body("[]").build();
      sync.readInventory();
      assertEquals(Set.of("env-a"), sync.clientKeys());
      InventoryStatus status = sync.inventoryStatus().orElseThrow();
      assertEquals(1, status.consecutiveFailures());
      assertTrue(
          status.lastError().orElseThrow().startsWith("proxy inventory request failed"),
          status.lastError().get());
    }
  }

  @Test
  void start_withProxyKeyOnly_awaitFirstSyncCoversDiscoveredEnvironments() {
    inventory =
        json(
            "["
                + entry("env-a", key("ser.a1", true, null))
                + ","
                + entry("env-b", key("ser.b1", true, null))
                + "]");
    try (EnvironmentSync sync =
        EnvironmentSync.builder().apiUrl(server.url("/api/v1").uri()).proxyKey(PROXY_KEY).build()) {
      sync.start();
      assertTrue(sync.awaitFirstSync(Duration.ofSeconds(10)));
      assertTrue(sync.current("env-a").isPresent());
      assertTrue(sync.current("env-b").isPresent());
    }
  }

  @Test
  void parse_badShapes_messageNamesPathAndValue() {
    assertEquals(
        "proxy inventory: $ must be an array, got {}",
        assertThrows(
                FetchException.class,
                () -> ProxyInventory.parse("{}".getBytes(StandardCharsets.UTF_8)))
            .getMessage());
    assertEquals(
        "proxy inventory: $[0].server_side_keys[0].active must be true or false, got " + "\"yes\"",
        assertThrows(
                FetchException.class,
                () ->
                    ProxyInventory.parse(
                        ("[" + entry("e", "{\"key\": \"ser.k\", \"active\": \"yes\"}") + "]")
                            .getBytes(StandardCharsets.UTF_8)))
            .getMessage());
    assertEquals(
        "proxy inventory: $[0].server_side_keys[0].expires_at is not an RFC 3339 "
            + "date-time: \"tomorrow\"",
        assertThrows(
                FetchException.class,
                () ->
                    ProxyInventory.parse(
                        ("[" + entry("e", key("ser.k", true, "tomorrow")) + "]")
                            .getBytes(StandardCharsets.UTF_8)))
            .getMessage());
  }

  @Test
  void build_neitherEnvironmentsNorProxyKey_refused() {
    assertThrows(IllegalStateException.class, () -> EnvironmentSync.builder().build());
    assertThrows(IllegalArgumentException.class, () -> EnvironmentSync.builder().proxyKey("a b"));
  }
}
