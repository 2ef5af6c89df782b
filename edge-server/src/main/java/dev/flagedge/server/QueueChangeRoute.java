package dev.flagedge.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagedge.sync.EnvironmentSync;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code POST /sse/environments/{client_key}/queue-change}: what a self-hosted Flagsmith API calls
 * on its SSE service when an environment changes ({@code SSE_SERVER_BASE_URL} pointed at this
 * server), with {@code Authorization: Token <sse_authentication_token>} and {@code {"updated_at":
 * "<ISO 8601>"}}. The environment's document is fetched again at once, in the background, and its
 * streams get the event when it is served. Without a configured token every call is refused.
 */
final class QueueChangeRoute implements Route, AutoCloseable {
  private static final String SUFFIX = "/queue-change";
  private static final Body ACCEPTED = Body.json("{\"status\":\"ok\"}");

  private final EnvironmentSync sync;
  private volatile Optional<byte[]> expected;
  private final Telemetry telemetry;
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final ExecutorService refetches =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "edge-server-queue-change");
            thread.setDaemon(true);
            return thread;
          });

  QueueChangeRoute(EnvironmentSync sync, Optional<String> token, Telemetry telemetry) {
    this.sync = sync;
    this.telemetry = telemetry;
    token(token);
  }

  /** Changes the expected token ({@code sse_authentication_token} reloaded), for the next call. */
  void token(Optional<String> token) {
    this.expected = token.map(t -> ("Token " + t).getBytes(StandardCharsets.UTF_8));
  }

  static boolean matches(String path) {
    return StreamRoute.clientKeyIn(path, SUFFIX) != null;
  }

  @Override
  public void handle(HttpCall call) throws IOException {
    String authorization = call.header("Authorization");
    Optional<byte[]> expected = this.expected;
    if (expected.isEmpty()
        || authorization == null
        || !MessageDigest.isEqual(expected.get(), authorization.getBytes(StandardCharsets.UTF_8))) {
      throw ApiException.of(
          401,
          "unauthorized",
          expected.isEmpty()
              ? "no sse_authentication_token is configured"
              : "invalid or missing token");
    }
    requireUpdatedAt(call.body());
    String clientKey = StreamRoute.clientKeyIn(call.path(), SUFFIX);
    if (sync.clientKeys().contains(clientKey) && queued.add(clientKey)) {
      // In the request's trace: the fetch it causes is a child of its span.
      refetches.execute(
          telemetry.inCurrentTrace(
              () -> {
                queued.remove(clientKey);
                try {
                  sync.refresh(clientKey);
                } catch (IllegalArgumentException e) {
                  // removed by a proxy inventory since: nothing to fetch
                }
              }));
    }
    call.respond(200, ACCEPTED);
  }

  private static void requireUpdatedAt(byte[] body) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      node = null;
    }
    JsonNode updatedAt = node == null || !node.isObject() ? null : node.get("updated_at");
    if (updatedAt == null
        || !updatedAt.isTextual()
        || UpdatedAt.parse(updatedAt.textValue()).isEmpty()) {
      throw ApiException.of(
          422, "unprocessable_entity", "body must be {\"updated_at\": \"<ISO 8601 date-time>\"}");
    }
  }

  @Override
  public void close() {
    refetches.shutdownNow();
  }
}
