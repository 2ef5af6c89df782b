package dev.flagedge.server;

import static dev.flagedge.server.ServerTestSupport.get;
import static dev.flagedge.server.ServerTestSupport.json;
import static dev.flagedge.server.ServerTestSupport.post;
import static dev.flagedge.server.ServerTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restarts with the upstream down, and snapshot directories that cannot be used. */
class SnapshotTest {
  private static final String SERVER_KEY = "ser.snapshot_server_key";
  private static final String CLIENT_KEY = "snapshot_client_key";

  @TempDir Path dir;
  private final MockWebServer upstream = new MockWebServer();

  @BeforeEach
  void startUpstream() throws IOException {
    upstream.start(0);
  }

  @AfterEach
  void stopUpstream() {
    upstream.close();
  }

  @Test
  void restart_upstreamDown_servesLastGoodSnapshotAtOnce() throws IOException {
    Path snapshots = dir.resolve("snapshots");
    serve("before-restart");
    try (EdgeServer first = start(snapshots)) {
      assertEquals("before-restart", banner(first));
    }
    for (int i = 0; i < 20; i++) {
      upstream.enqueue(new MockResponse.Builder().code(503).body("down").build());
    }
    long started = System.nanoTime();
    try (EdgeServer second = start(snapshots)) {
      assertEquals("before-restart", banner(second), "served from the snapshot, no waiting");
      System.out.printf(
          "snapshot restart: serving after %d ms%n", (System.nanoTime() - started) / 1_000_000);
      assertEquals(200, get(second, "/proxy/health/readiness", null).statusCode());
      JsonNode health = json(get(second, "/proxy/health", null));
      assertEquals("snapshot", health.get("environments").get(0).get("source").textValue());
    }
  }

  @Test
  void unusableSnapshotDirectory_keepsServingAndSaysSo() throws IOException {
    Path notADirectory = Files.writeString(dir.resolve("file"), "x").resolve("snapshots");
    serve("served");
    try (EdgeServer server = start(notADirectory)) {
      assertEquals("served", banner(server));
      // The document is served before the failed snapshot write ends and the fetch is recorded.
      ServerTestSupport.waitUntil(
          () -> get(server, "/proxy/health", null).statusCode() == 200,
          Duration.ofSeconds(5),
          "the fetch recorded as a success");
      var health = get(server, "/proxy/health", null);
      assertEquals(
          "cannot write snapshot: FileSystemException",
          json(health).get("environments").get(0).get("snapshot_error").textValue());
    }
  }

  @Test
  void corruptSnapshot_ignoredAndUpstreamServed() throws IOException {
    Path snapshots = dir.resolve("snapshots");
    serve("original");
    try (EdgeServer first = start(snapshots)) {
      assertEquals("original", banner(first));
    }
    try (Stream<Path> files = Files.list(snapshots)) {
      for (Path file : files.toList()) {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(file, bytes);
      }
    }
    serve("fresh");
    try (EdgeServer second = start(snapshots)) {
      assertEquals("fresh", banner(second));
    }
  }

  @Test
  void snapshotConfirmedByTheUpstream_keepsServedEnvironmentAndItsCachedResponses()
      throws IOException {
    Path snapshots = dir.resolve("snapshots");
    serve("same");
    try (EdgeServer first = start(snapshots)) {
      assertEquals("same", banner(first));
    }
    // The same document again, late enough that the restarted server serves its snapshot first.
    upstream.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "application/json")
            .body(ServerTestSupport.document(CLIENT_KEY, "same"))
            .headersDelay(1, java.util.concurrent.TimeUnit.SECONDS)
            .build());
    try (EdgeServer second = start(snapshots)) {
      String body = "{\"identifier\":\"confirmed-user\"}";
      String fromSnapshot = post(second, "/api/v1/identities/", CLIENT_KEY, body).body();
      post(second, "/api/v1/identities/", CLIENT_KEY, body); // seen twice: now cached
      waitUntil(
          () -> "upstream".equals(source(second)),
          Duration.ofSeconds(10),
          "the upstream confirming the snapshot");
      double hits = cacheHits(second);
      assertEquals(fromSnapshot, post(second, "/api/v1/identities/", CLIENT_KEY, body).body());
      assertEquals(hits + 1, cacheHits(second), "answered from the cache kept across the confirm");
    }
  }

  private static String source(EdgeServer server) {
    return json(get(server, "/proxy/health", null))
        .get("environments")
        .get(0)
        .get("source")
        .textValue();
  }

  private static double cacheHits(EdgeServer server) {
    for (String line : get(server, "/metrics", null).body().split("\n")) {
      if (line.startsWith("flagedge_response_cache_requests_total{result=\"hit\"}")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  private void serve(String banner) {
    upstream.enqueue(
        ServerTestSupport.upstreamJson(ServerTestSupport.document(CLIENT_KEY, banner)));
  }

  private EdgeServer start(Path snapshots) {
    try {
      return EdgeServer.start(
          ServerConfig.builder()
              .host("127.0.0.1")
              .port(0)
              .environment(SERVER_KEY, CLIENT_KEY)
              .apiUrl(upstream.url("/api/v1").uri())
              .snapshotDirectory(snapshots)
              .pollInterval(Duration.ofHours(1))
              .pollTimeout(Duration.ofSeconds(2))
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String banner(EdgeServer server) {
    var response = get(server, "/api/v1/flags/?feature=banner", CLIENT_KEY);
    return response.statusCode() == 200
        ? json(response).get("feature_state_value").textValue()
        : "HTTP " + response.statusCode();
  }
}
