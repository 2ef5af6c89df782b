package dev.flagedge.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** Starting servers on port 0 and talking to them over real HTTP. */
final class ServerTestSupport {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ServerTestSupport() {}

  /** A copy of a test document in a temporary directory. */
  static Path document(Path dir, String resource) {
    try (InputStream in = ServerTestSupport.class.getResourceAsStream("/documents/" + resource)) {
      Path file = dir.resolve(resource);
      Files.copy(in, file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A server on port 0 serving one test document offline, client key only. */
  static EdgeServer startOffline(Path dir, String resource) {
    return startOffline(document(dir, resource), Optional.empty());
  }

  /** A server on port 0 serving one document file offline. */
  static EdgeServer startOffline(Path file, Optional<String> serverKey) {
    try {
      return EdgeServer.start(
          ServerConfig.builder()
              .port(0)
              .host("127.0.0.1")
              .environmentFile(file, serverKey)
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static HttpRequest.Builder request(EdgeServer server, String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + pathAndQuery))
        .timeout(Duration.ofSeconds(10));
  }

  static HttpResponse<String> get(EdgeServer server, String pathAndQuery, String key) {
    HttpRequest.Builder request = request(server, pathAndQuery).GET();
    if (key != null) {
      request.header("X-Environment-Key", key);
    }
    return send(request.build());
  }

  static HttpResponse<String> post(EdgeServer server, String path, String key, String body) {
    HttpRequest.Builder request =
        request(server, path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("X-Environment-Key", key);
    }
    return send(request.build());
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + response.body(), e);
    }
  }

  /**
   * A small environment document whose features, in order, have ids 1, 2, … and the given values;
   * upstream tests recognise which document is served by these values.
   */
  static String document(String apiKey, Map<String, Object> valuesByFeature) {
    List<Map<String, Object>> states = new ArrayList<>();
    valuesByFeature.forEach(
        (name, value) ->
            states.add(
                Map.of(
                    "feature",
                    Map.of("id", states.size() + 1, "name", name, "type", "STANDARD"),
                    "enabled",
                    true,
                    "feature_state_value",
                    value,
                    "django_id",
                    states.size() + 1)));
    try {
      return JSON.writeValueAsString(
          Map.of(
              "api_key",
              apiKey,
              "name",
              "Test",
              "updated_at",
              "2026-11-25T10:00:00.000000Z",
              "project",
              Map.of("segments", List.of()),
              "feature_states",
              states,
              "identity_overrides",
              List.of()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A document with one feature, {@code banner}. */
  static String document(String apiKey, String banner) {
    return document(apiKey, Map.of("banner", banner));
  }

  /** A 200 upstream answer with a JSON body. */
  static MockResponse upstreamJson(String body) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  /**
   * Checks the condition every 20 ms until it holds or the timeout has passed. The one polling loop
   * of these tests: {@link #waitUntil} when a timeout is a failure in itself.
   *
   * @return whether the condition held
   */
  static boolean pollUntil(BooleanSupplier condition, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while polling", e);
      }
    }
    return true;
  }

  /**
   * A server on port 0 for one environment of a mock upstream that changes only when told: it polls
   * hourly, and {@code queue-change} with the token fetches at once.
   */
  static EdgeServer startPushed(
      MockWebServer upstream,
      String serverKey,
      String clientKey,
      String sseToken,
      Duration streamMaxAge) {
    try {
      return EdgeServer.start(
          ServerConfig.builder()
              .environment(serverKey, clientKey)
              .host("127.0.0.1")
              .port(0)
              .apiUrl(upstream.url("/api/v1").uri())
              .pollInterval(Duration.ofHours(1))
              .streamMaxAge(streamMaxAge)
              .sseAuthenticationToken(sseToken)
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a mock upstream that answers every request with the given function. */
  static MockWebServer upstream(Function<RecordedRequest, MockResponse> answer) {
    MockWebServer upstream = new MockWebServer();
    upstream.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return answer.apply(request);
          }
        });
    try {
      upstream.start(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return upstream;
  }

  /** Waits (polling) until the condition holds; fails naming {@code what} after the timeout. */
  static void waitUntil(BooleanSupplier condition, Duration timeout, String what) {
    if (!pollUntil(condition, timeout)) {
      throw new AssertionError("timed out after " + timeout + " waiting for " + what);
    }
  }

  /** Sends bytes as they are, for requests no HTTP client would make; returns the whole answer. */
  static String raw(EdgeServer server, String request) {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.shutdownOutput();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
