package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The black-box compatibility suite: every answer the Python Edge Proxy 2.23 gave on eight
 * generated environments (src/test/resources/compat-cases, see its README), replayed against a
 * running server whose upstream is a MockWebServer serving the recorded documents. Each environment
 * is replayed in order (phase 2 after the upstream switched documents); each case is then reported
 * as its own test.
 */
class CompatibilityTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final String DOCUMENT_PATH = "/api/v1/environment-document/";
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  /** JSON equality where 1 equals 1 whatever the Java number type, but 1.0 never equals 1. */
  private static final Comparator<JsonNode> NUMBERS =
      (a, b) -> {
        if (a.isNumber() && b.isNumber() && a.isIntegralNumber() == b.isIntegralNumber()) {
          return a.isIntegralNumber()
              ? a.bigIntegerValue().compareTo(b.bigIntegerValue())
              : Double.compare(a.doubleValue(), b.doubleValue());
        }
        return a.equals(b) ? 0 : 1;
      };

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(DEADLINE).build();

  /** One recorded request and the comparison of our answer with the reference's. */
  private record Outcome(String name, String mismatch) {}

  /** A response of the server under test. */
  private record Answer(int status, String body) {}

  @TestFactory
  Stream<DynamicTest> compatCases_replayedInOrder_answersEqualReference() throws Exception {
    List<Outcome> outcomes = new ArrayList<>();
    Path directory = Path.of(CompatibilityTest.class.getResource("/compat-cases").toURI());
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        outcomes.addAll(replay(Files.readString(file)));
      }
    }
    long equal = outcomes.stream().filter(o -> o.mismatch() == null).count();
    System.out.println("compat-cases: " + equal + "/" + outcomes.size() + " answers equal");
    return outcomes.stream()
        .map(
            o ->
                DynamicTest.dynamicTest(
                    o.name(),
                    () -> {
                      if (o.mismatch() != null) {
                        fail(o.name() + ": " + o.mismatch());
                      }
                    }));
  }

  /** Serves one environment file's document and replays its cases against a fresh server. */
  private List<Outcome> replay(String fileText) throws Exception {
    JsonNode file = MAPPER.readTree(fileText);
    List<Outcome> outcomes = new ArrayList<>();
    Upstream upstream = new Upstream(file.get("server_key").textValue());
    upstream.serve(rawMember(fileText, "document"), file.get("document"));
    try (MockWebServer mock = new MockWebServer()) {
      mock.setDispatcher(upstream);
      mock.start();
      ServerConfig config =
          ServerConfig.builder()
              .environment(file.get("server_key").textValue(), file.get("client_key").textValue())
              .apiUrl(URI.create(mock.url("/api/v1").toString()))
              .pollInterval(Duration.ofSeconds(1))
              .host("127.0.0.1")
              .port(0)
              .build();
      try (EdgeServer server = EdgeServer.start(config)) {
        ServerTestSupport.waitUntil(
            () -> send(server, "GET", "/proxy/health/readiness", null, null).status() == 200,
            DEADLINE,
            "readiness");
        boolean switched = false;
        for (JsonNode c : file.get("cases")) {
          JsonNode expected = expected(file, c);
          if (c.path("phase").asInt(1) == 2 && !switched) {
            upstream.serve(rawMember(fileText, "document_v2"), file.get("document_v2"));
            // Without the switch by the deadline, the phase's cases report their mismatches.
            ServerTestSupport.pollUntil(
                () -> mismatch(c, expected, send(server, c)) == null, DEADLINE);
            switched = true;
          }
          String name = c.get("id").textValue() + " " + c.get("cat").textValue();
          outcomes.add(new Outcome(name, mismatch(c, expected, send(server, c))));
        }
      }
    }
    return outcomes;
  }

  private static JsonNode expected(JsonNode file, JsonNode c) {
    int b = c.get("b").asInt();
    return b == -1
        ? file.get("document")
        : b == -2 ? file.get("document_v2") : file.get("bodies").get(b);
  }

  /** Why our answer differs from the recorded one, or null when it is equal per the README. */
  private static String mismatch(JsonNode c, JsonNode expected, Answer actual) {
    int status = c.get("status").asInt();
    String got = "got " + actual.status() + " " + abbreviate(actual.body());
    if (actual.status() != status) {
      return "expected status " + status + ", " + got;
    }
    if ("text".equals(c.get("kind").textValue())) {
      return "health".equals(c.path("cmp").asText()) || expected.asText().equals(actual.body())
          ? null
          : "expected " + abbreviate(expected.asText()) + ", " + got;
    }
    JsonNode body;
    try {
      body = MAPPER.readTree(actual.body());
    } catch (IOException e) {
      return "expected JSON, " + got;
    }
    boolean same;
    if ("health".equals(c.path("cmp").asText())) {
      same = expected.get("status").equals(body.get("status"));
    } else if (status == 422) {
      same = sameErrorShape(expected.get("detail"), body.get("detail"));
    } else {
      same = body != null && expected.equals(NUMBERS, body);
    }
    return same ? null : "expected " + abbreviate(expected.toString()) + ", " + got;
  }

  /** FastAPI's 422: the same errors (type and location); the wording may differ. */
  private static boolean sameErrorShape(JsonNode expected, JsonNode actual) {
    if (actual == null || !actual.isArray() || actual.size() != expected.size()) {
      return false;
    }
    for (int i = 0; i < expected.size(); i++) {
      JsonNode want = expected.get(i);
      JsonNode have = actual.get(i);
      if (!want.get("type").equals(have.get("type"))
          || have.get("loc") == null
          || !want.get("loc").equals(NUMBERS, have.get("loc"))
          || !have.has("msg")
          || !have.has("input")) {
        return false;
      }
    }
    return true;
  }

  private Answer send(EdgeServer server, JsonNode c) {
    String target =
        c.get("path").textValue() + (c.hasNonNull("query") ? "?" + c.get("query").textValue() : "");
    return send(
        server,
        c.get("method").textValue(),
        target,
        c.path("key").textValue(),
        c.path("data").textValue());
  }

  private Answer send(EdgeServer server, String method, String target, String key, String data) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + target))
            .timeout(DEADLINE);
    if (key != null) {
      request.header("X-Environment-Key", key);
    }
    if (data != null) {
      request.header("Content-Type", "application/json");
    }
    request.method(
        method,
        data == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(data, StandardCharsets.UTF_8));
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      return new Answer(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(-1, e.toString());
    }
  }

  /** The exact text of a top-level member, so the upstream serves the recorded bytes unchanged. */
  private static String rawMember(String json, String name) throws IOException {
    try (JsonParser parser = MAPPER.getFactory().createParser(json)) {
      parser.nextToken();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        boolean wanted = name.equals(parser.currentName());
        parser.nextToken();
        int start = (int) parser.currentTokenLocation().getCharOffset();
        parser.skipChildren();
        if (wanted) {
          return json.substring(start, (int) parser.currentLocation().getCharOffset());
        }
      }
    }
    throw new IllegalArgumentException("no member " + name);
  }

  private static String abbreviate(String text) {
    return text.length() <= 600 ? text : text.substring(0, 600) + "…";
  }

  /**
   * The Flagsmith API: the current document for the server key (403 otherwise), with {@code
   * Last-Modified} from its {@code updated_at} and 304 for an up-to-date {@code If-Modified-Since}.
   */
  private static final class Upstream extends Dispatcher {
    private final String serverKey;
    private volatile Served served;

    private record Served(String json, Instant updatedAt) {}

    Upstream(String serverKey) {
      this.serverKey = serverKey;
    }

    void serve(String documentJson, JsonNode document) {
      served =
          new Served(
              documentJson,
              Instant.parse(document.get("updated_at").textValue())
                  .truncatedTo(ChronoUnit.SECONDS));
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if (!"GET".equals(request.getMethod())
          || !DOCUMENT_PATH.equals(request.getUrl().encodedPath())) {
        return new MockResponse.Builder().code(404).build();
      }
      if (!serverKey.equals(request.getHeaders().get("X-Environment-Key"))) {
        return new MockResponse.Builder().code(403).body("{\"detail\":\"Invalid key\"}").build();
      }
      Served current = served;
      if (notModifiedSince(request.getHeaders().get("If-Modified-Since"), current.updatedAt())) {
        return new MockResponse.Builder().code(304).build();
      }
      return new MockResponse.Builder()
          .code(200)
          .setHeader("Content-Type", "application/json")
          .setHeader("Last-Modified", HTTP_DATE.format(current.updatedAt()))
          .body(current.json())
          .build();
    }

    private static boolean notModifiedSince(String since, Instant modified) {
      if (since == null) {
        return false;
      }
      try {
        Instant date = ZonedDateTime.parse(since, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return !date.isBefore(modified);
      } catch (DateTimeParseException e) {
        return false;
      }
    }
  }
}
