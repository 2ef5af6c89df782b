package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flagedge.engine.Environment;
import dev.flagedge.engine.Flag;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OpenFeature's own JavaScript OFREP providers, installed from npm by this test into
 * target/ofrep-js (versions pinned in src/test/resources/ofrep-js/package.json), against a running
 * server: the server provider ({@code @openfeature/ofrep-provider} with the server SDK) for every
 * kind of value, reason, variant and error; and the web provider ({@code
 * @openfeature/ofrep-web-provider} with the web SDK, in Node with the npm {@code eventsource} as
 * its EventSource) for its bulk evaluation, the entity tag's 304s, and a document change reaching it
 * through the bulk answer's {@code eventStreams} with polling off.
 *
 * <p>The document (the shop document with a flag for every row of the OFREP mapping) comes from a
 * mock upstream polled once an hour; the change is announced by {@code queue-change}, as a
 * self-hosted Flagsmith does. Skipped when Node.js and npm are not installed, except under CI
 * (the {@code CI} environment variable set), where that is a failure.
 */
class OfrepJavaScriptClientsTest {
  private static final String SERVER_KEY = "ser.shop_server_key";
  private static final String CLIENT_KEY = "shop_client_key";
  private static final String SSE_TOKEN = "sse-token-for-ofrep-js";
  private static final String BANNER_V1 = "Welcome to FlagEdge";
  private static final String BANNER_V2 = "Welcome to FlagEdge, now with change events";
  private static final Path JS_DIR = Path.of("target", "ofrep-js");
  private static final String[] SCRIPTS = {
    "package.json", "server-provider.cjs", "web-provider.cjs"
  };

  /** How long the web provider may take to show a changed document. */
  private static final Duration CHANGE_BUDGET = Duration.ofSeconds(2);

  private static MockWebServer upstream;
  private static EdgeServer server;
  private static final AtomicReference<String> document = new AtomicReference<>();
  private static Environment environment;
  private static List<String> splitIdentifiers;
  private static JsonNode serverSeen;
  private static JsonNode webReady;
  private static JsonNode webChanged;
  private static long changedAtMillis;
  private static long changeSeenAfterNanos;

  @BeforeAll
  static void runProviders() throws Exception {
    requireNode();
    install();
    String v1 = document(BANNER_V1, "2026-11-25T00:00:00.000000Z");
    document.set(v1);
    environment = Environment.parse(v1);
    splitIdentifiers = splitIdentifiers();
    startServer();
    String baseUrl = "http://127.0.0.1:" + server.port();

    String serverOutput =
        run(
            "server-provider.cjs",
            baseUrl,
            SERVER_KEY,
            String.join(",", splitIdentifiers)); // one line of JSON
    System.out.println("server provider saw: " + serverOutput);
    serverSeen = ServerTestSupport.JSON.readTree(serverOutput);

    runWebProvider(baseUrl);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  // ---- the server provider: @openfeature/ofrep-provider with @openfeature/server-sdk ----

  @Test
  void serverProvider_booleans_enabledWithoutValueTrue_disabledFalse_segmentOverride() {
    assertDetails(serverSeen.get("booleanOn"), "true", "STATIC", null);
    assertEquals(9, serverSeen.get("booleanOn").get("flagMetadata").get("featureId").intValue());
    assertDetails(serverSeen.get("booleanOff"), "false", "DISABLED", null);
    JsonNode segment = serverSeen.get("booleanSegment");
    assertDetails(segment, "true", "TARGETING_MATCH", null);
    assertEquals("beta_users", segment.get("flagMetadata").get("segment").textValue());
  }

  @Test
  void serverProvider_strings_environmentDefault_identityOverride() {
    assertDetails(serverSeen.get("string"), "\"" + BANNER_V1 + "\"", "STATIC", null);
    assertDetails(
        serverSeen.get("stringIdentityOverride"), "\"Welcome back, VIP\"", "TARGETING_MATCH", null);
  }

  @Test
  void serverProvider_numbers_integerFloatAndSegmentOverrideFromTraits() {
    assertDetails(serverSeen.get("integer"), "50", "STATIC", null);
    JsonNode segment = serverSeen.get("integerSegment");
    assertDetails(segment, "250", "TARGETING_MATCH", null);
    assertEquals("high_volume", segment.get("flagMetadata").get("segment").textValue());
    assertDetails(serverSeen.get("float"), "0.25", "STATIC", null);
    assertDetails(serverSeen.get("serverKeyOnly"), "1000", "STATIC", null);
  }

  @Test
  void serverProvider_objectValue() {
    assertDetails(serverSeen.get("object"), "{\"theme\":\"dark\",\"columns\":3}", "STATIC", null);
  }

  @Test
  void serverProvider_multivariate_variantIsTheOptionId_asTheEngineChooses() {
    for (String identifier : splitIdentifiers) {
      Flag expected = buttonColour(identifier);
      JsonNode seen = serverSeen.get("splits").get(identifier);
      String value = expected.value().orElseThrow().toString();
      assertEquals(value, seen.get("value").textValue(), identifier);
      if (expected.reason() == Flag.Reason.SPLIT) {
        assertEquals("SPLIT", seen.get("reason").textValue(), identifier);
        assertEquals(OPTION_IDS.get(value), seen.get("variant").textValue(), identifier);
      } else {
        assertEquals("STATIC", seen.get("reason").textValue(), identifier);
        assertFalse(seen.has("variant"), identifier + ": " + seen);
      }
    }
  }

  /**
   * A disabled flag with a value has no {@code value} in the answer (OFREP ADR-0006, "optional
   * value for code defaults"). The caller gets its default either way;
   * but @openfeature/ofrep-provider 0.1.3 (the newest published, with @openfeature/ofrep-core
   * 0.1.4) predates ADR-0006: its ofrep-core takes an answer without {@code value} for a malformed
   * one and throws {@code OFREPApiUnexpectedResponseError}, which the SDK reports as an error, not
   * as DISABLED. The web provider (ofrep-core 2.x) gives DISABLED: see {@link
   * #webProvider_initialValues_afterSetContext}.
   */
  @Test
  void serverProvider_disabledFlagWithValue_callersDefault_reportedAsAnErrorByThisProvider() {
    JsonNode seen = serverSeen.get("disabledWithValue");
    assertEquals("caller default", seen.get("value").textValue(), seen.toString());
    assertEquals("ERROR", seen.get("reason").textValue(), seen.toString());
    assertEquals("GENERAL", seen.get("errorCode").textValue(), seen.toString());
    assertEquals(
        "The OFREP response does not match the expected format",
        seen.get("errorMessage").textValue());
  }

  @Test
  void serverProvider_unknownFlag_callersDefault_flagNotFound() {
    JsonNode seen = serverSeen.get("notFound");
    assertDetails(seen, "true", "ERROR", "FLAG_NOT_FOUND");
    assertEquals("flag 'no_such_flag' not found", seen.get("errorMessage").textValue());
  }

  @Test
  void serverProvider_wrongType_callersDefault_typeMismatch() {
    assertDetails(serverSeen.get("typeMismatch"), "7", "ERROR", "TYPE_MISMATCH");
  }

  @Test
  void serverProvider_wrongKey_callersDefault_unauthorizedError() {
    JsonNode seen = serverSeen.get("wrongKey");
    assertDetails(seen, "false", "ERROR", "GENERAL");
    // ofrep-core 0.1.4 gives the 401 no message: the server's errorDetails are not read.
    assertEquals("", seen.get("errorMessage").textValue());
    JsonNode thrown = serverSeen.get("wrongKeyThrown");
    assertEquals(1, thrown.size(), thrown.toString());
    assertEquals("OFREPApiUnauthorizedError", thrown.get(0).get("name").textValue());
    assertEquals(401, thrown.get(0).get("status").intValue());
  }

  // ---- the web provider: @openfeature/ofrep-web-provider with @openfeature/web-sdk ----

  @Test
  void webProvider_initialValues_afterSetContext() {
    JsonNode initial = webReady.get("initial");
    assertDetails(initial.get("booleanOn"), "true", "STATIC", null);
    assertDetails(initial.get("booleanOff"), "false", "DISABLED", null);
    assertDetails(initial.get("string"), "\"" + BANNER_V1 + "\"", "STATIC", null);
    assertDetails(initial.get("integer"), "50", "STATIC", null);
    assertDetails(initial.get("float"), "0.25", "STATIC", null);
    assertDetails(initial.get("object"), "{\"theme\":\"dark\",\"columns\":3}", "STATIC", null);
    Flag colour = buttonColour("web-user");
    JsonNode split = initial.get("split");
    assertEquals(colour.value().orElseThrow().toString(), split.get("value").textValue());
    if (colour.reason() == Flag.Reason.SPLIT) {
      assertEquals("SPLIT", split.get("reason").textValue());
      assertEquals(
          OPTION_IDS.get(split.get("value").textValue()), split.get("variant").textValue());
    }
    // ADR-0006: no value in the answer, the caller's default with the answer's reason.
    assertDetails(initial.get("disabledWithValue"), "\"caller default\"", "DISABLED", null);
    // A client key does not see a server-key-only feature.
    assertDetails(initial.get("serverKeyOnly"), "0", "ERROR", "FLAG_NOT_FOUND");
    assertDetails(initial.get("notFound"), "true", "ERROR", "FLAG_NOT_FOUND");
  }

  @Test
  void webProvider_followsTheEventStreamTheBulkAnswerNames() {
    JsonNode first = webReady.get("requests").get(0);
    assertEquals("POST", first.get("method").textValue());
    assertEquals("/ofrep/v1/evaluate/flags", first.get("path").textValue());
    assertEquals(200, first.get("status").intValue());
    JsonNode streams = first.get("eventStreams");
    assertEquals(1, streams.size(), streams.toString());
    String url = "http://127.0.0.1:" + server.port() + "/ofrep/v1/events/" + CLIENT_KEY;
    assertEquals(url, streams.get(0).get("url").textValue());
    boolean opened = false;
    for (JsonNode request : webReady.get("requests")) {
      opened |=
          request.get("method").textValue().equals("GET")
              && request.get("path").textValue().equals("/ofrep/v1/events/" + CLIENT_KEY)
              && request.get("status").intValue() == 200;
    }
    assertTrue(opened, "the provider never opened " + url + ": " + webReady.get("requests"));
  }

  @Test
  void webProvider_unchangedEnvironment_304ForItsEntityTag() {
    // The stream's first event makes the provider ask again with If-None-Match: 304.
    assertTrue(webReady.get("notModifiedAfterConnect").intValue() >= 1, webReady.toString());
    JsonNode first = webReady.get("requests").get(0);
    String tag = first.get("etag").textValue();
    JsonNode same = webReady.get("sameContext");
    assertEquals(tag, same.get("ifNoneMatch").textValue(), same.toString());
    assertEquals(304, same.get("status").intValue(), same.toString());
    // A changed trait is a new body: a new evaluation with a new tag.
    JsonNode changed = webReady.get("changedContext");
    assertEquals(tag, changed.get("ifNoneMatch").textValue(), changed.toString());
    assertEquals(200, changed.get("status").intValue(), changed.toString());
    assertNotEquals(tag, changed.get("etag").textValue());
    assertDetails(webReady.get("afterTraitChange"), "250", "TARGETING_MATCH", null);
    // And the server counted them.
    assertTrue(
        counter(
                ServerTestSupport.get(server, "/metrics", null).body(),
                "flagedge_http_requests_total{route=\"ofrep-bulk\",status=\"304\"}")
            >= 2);
  }

  @Test
  void webProvider_documentChange_arrivesThroughTheEventStream_withinTwoSeconds() {
    JsonNode after = webChanged.get("requests");
    long elapsed = webChanged.get("at").longValue() - changedAtMillis;
    System.out.println(
        "web provider saw the new value "
            + elapsed
            + " ms after the change was announced (its refetch sent after "
            + (after.get(0).get("startedAt").longValue() - changedAtMillis)
            + " ms, answered after "
            + (after.get(0).get("answeredAt").longValue() - changedAtMillis)
            + " ms; the script's line, printed 300 ms after the value, read after "
            + TimeUnit.NANOSECONDS.toMillis(changeSeenAfterNanos)
            + " ms)");
    assertDetails(webChanged.get("details"), "\"" + BANNER_V2 + "\"", "STATIC", null);
    assertTrue(elapsed <= CHANGE_BUDGET.toMillis(), elapsed + " ms");
    JsonNode event = webChanged.get("events").get(0);
    assertEquals(BANNER_V2, event.get("banner").textValue(), webChanged.toString());
    assertEquals("[\"banner_text\"]", event.get("flagsChanged").toString(), event.toString());
    // Polling is off: the one request after the change is the refetch the stream's event asked
    // for, with the event's tag in flagConfigEtag (ADR-0008) and the old entity tag, answered 200
    // with a new tag that starts with the new document's version.
    assertEquals(1, after.size(), after.toString());
    JsonNode refetch = after.get(0);
    assertEquals("POST", refetch.get("method").textValue());
    assertEquals("/ofrep/v1/evaluate/flags", refetch.get("path").textValue());
    String oldTag = webReady.get("changedContext").get("etag").textValue();
    assertEquals(oldTag, refetch.get("ifNoneMatch").textValue(), refetch.toString());
    assertEquals(200, refetch.get("status").intValue(), refetch.toString());
    String eventTag = refetch.get("query").path("flagConfigEtag").asText("");
    assertTrue(eventTag.length() > 2 && eventTag.endsWith("\""), refetch.toString());
    String version = eventTag.substring(0, eventTag.length() - 1);
    assertFalse(oldTag.startsWith(version), refetch.toString());
    assertTrue(refetch.get("etag").textValue().startsWith(version + "-c-"), refetch.toString());
  }

  // ---- helpers ----

  private static final Map<String, String> OPTION_IDS = Map.of("green", "301", "orange", "302");

  private static void assertDetails(
      JsonNode details, String value, String reason, String errorCode) {
    assertNotNull(details);
    assertEquals(value, String.valueOf(details.get("value")), details.toString());
    assertEquals(reason, details.get("reason").textValue(), details.toString());
    assertEquals(
        errorCode,
        details.has("errorCode") ? details.get("errorCode").textValue() : null,
        details.toString());
  }

  private static Flag buttonColour(String identifier) {
    return environment.identityFlags(identifier, Map.of()).stream()
        .filter(f -> f.name().equals("button_colour"))
        .findFirst()
        .orElseThrow();
  }

  /** Identifiers for which the engine chooses each of the three colours, two of each. */
  private static List<String> splitIdentifiers() {
    Map<String, List<String>> byValue = new LinkedHashMap<>();
    for (int i = 0; i < 500 && byValue.values().stream().mapToInt(List::size).sum() < 6; i++) {
      String identifier = "user-" + i;
      String value = buttonColour(identifier).value().orElseThrow().toString();
      List<String> ids = byValue.computeIfAbsent(value, v -> new ArrayList<>());
      if (ids.size() < 2) {
        ids.add(identifier);
      }
    }
    assertEquals(3, byValue.size(), byValue.toString());
    return byValue.values().stream().flatMap(List::stream).toList();
  }

  private static double counter(String metrics, String series) {
    Matcher line =
        Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
            .matcher(metrics);
    assertTrue(line.find(), series + " in\n" + metrics);
    return Double.parseDouble(line.group(1));
  }

  /**
   * The shop document with a flag for every row of the OFREP mapping: a disabled flag with a value,
   * a float, an enabled flag without a value, an object value; disabled flags shown.
   */
  private static String document(String banner, String updatedAt) throws IOException {
    ObjectNode doc;
    try (InputStream in =
        OfrepJavaScriptClientsTest.class.getResourceAsStream("/documents/shop.json")) {
      doc = (ObjectNode) ServerTestSupport.JSON.readTree(in);
    }
    doc.put("updated_at", updatedAt);
    doc.put("hide_disabled_flags", false);
    ObjectNode project = (ObjectNode) doc.get("project");
    project.put("hide_disabled_flags", false);
    project.set("server_key_only_feature_ids", ServerTestSupport.JSON.createArrayNode().add(5));
    ArrayNode states = (ArrayNode) doc.get("feature_states");
    ((ObjectNode) states.get(0)).put("feature_state_value", banner);
    addFeature(states, 7, "legacy_banner", false).put("feature_state_value", "old");
    addFeature(states, 8, "ratio", true).put("feature_state_value", 0.25);
    addFeature(states, 9, "dark_mode", true).putNull("feature_state_value");
    addFeature(states, 10, "ui_config", true)
        .set(
            "feature_state_value",
            ServerTestSupport.JSON.createObjectNode().put("theme", "dark").put("columns", 3));
    return ServerTestSupport.JSON.writeValueAsString(doc);
  }

  private static ObjectNode addFeature(ArrayNode states, int id, String name, boolean enabled) {
    ObjectNode state = states.get(0).deepCopy();
    ((ObjectNode) state.get("feature")).put("id", id).put("name", name);
    state.put("enabled", enabled).put("django_id", id);
    state.put("featurestate_uuid", String.format("5b1c0e1c-0f4f-4a39-9a57-1c1e0a4d7e%02d", id));
    states.add(state);
    return state;
  }

  private static void startServer() throws IOException {
    upstream =
        ServerTestSupport.upstream(request -> ServerTestSupport.upstreamJson(document.get()));
    server =
        ServerTestSupport.startPushed(
            upstream, SERVER_KEY, CLIENT_KEY, SSE_TOKEN, Duration.ofSeconds(60));
  }

  /**
   * Runs the web provider's script: waits for it to be ready, changes the served document, waits
   * for the script to see the change.
   */
  private static void runWebProvider(String baseUrl) throws Exception {
    Process process =
        new ProcessBuilder("node", "web-provider.cjs", baseUrl, CLIENT_KEY, BANNER_V2)
            .directory(JS_DIR.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("{\"phase\":\"unreadable\"}");
              }
              lines.add("{\"phase\":\"exited\"}");
            },
            "ofrep-web-provider-output");
    reader.setDaemon(true);
    reader.start();
    try {
      webReady = phase(lines, "ready", Duration.ofSeconds(60));
      System.out.println("web provider ready: " + webReady);

      document.set(document(BANNER_V2, "2026-11-25T00:00:05.000000Z"));
      long start = System.nanoTime();
      changedAtMillis = System.currentTimeMillis();
      HttpResponse<String> queued =
          ServerTestSupport.send(
              ServerTestSupport.request(server, "/sse/environments/" + CLIENT_KEY + "/queue-change")
                  .header("Authorization", "Token " + SSE_TOKEN)
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"updated_at\": \"2026-11-25T00:00:05+00:00\"}"))
                  .build());
      assertEquals(200, queued.statusCode(), queued.body());

      webChanged = phase(lines, "changed", Duration.ofSeconds(20));
      changeSeenAfterNanos = System.nanoTime() - start;
      System.out.println("web provider changed: " + webChanged);
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the web provider's script did not end");
      assertEquals(0, process.exitValue(), "the web provider's script failed");
    } finally {
      process.destroyForcibly();
    }
  }

  private static JsonNode phase(BlockingQueue<String> lines, String phase, Duration timeout)
      throws InterruptedException, IOException {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = lines.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        return fail("timed out after " + timeout + " waiting for the web provider's " + phase);
      }
      JsonNode node;
      try {
        node = ServerTestSupport.JSON.readTree(line);
      } catch (IOException e) {
        System.out.println("web provider: " + line);
        continue;
      }
      String seen = node.path("phase").asText();
      if (seen.equals(phase)) {
        return node;
      }
      if (seen.equals("exited") || seen.equals("unreadable")) {
        return fail("the web provider's script ended before " + phase);
      }
    }
  }

  /** Node and npm must be there: a skip where they are optional, a failure under CI. */
  private static void requireNode() {
    boolean present =
        ExternalCommands.works("node", "--version") && ExternalCommands.works("npm", "--version");
    String ci = System.getenv("CI");
    if (!present && ci != null && !ci.isBlank()) {
      fail("CI is set but Node.js or npm is missing: the OFREP JavaScript clients test cannot run");
    }
    assumeTrue(present, "Node.js and npm are needed for the OFREP JavaScript clients test");
  }

  /** Copies the scripts and installs the pinned packages, again only when package.json changed. */
  private static void install() throws Exception {
    Files.createDirectories(JS_DIR);
    for (String name : SCRIPTS) {
      try (InputStream in =
          OfrepJavaScriptClientsTest.class.getResourceAsStream("/ofrep-js/" + name)) {
        Files.copy(in, JS_DIR.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Path installed = JS_DIR.resolve("node_modules").resolve(".flagedge-installed-package.json");
    String wanted = Files.readString(JS_DIR.resolve("package.json"));
    if (Files.isRegularFile(installed) && Files.readString(installed).equals(wanted)) {
      return;
    }
    run("npm", "install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error");
    Files.writeString(installed, wanted);
  }

  /** Runs {@code node <script> args…} (or a command) in target/ofrep-js; returns its stdout. */
  private static String run(String first, String... rest) throws Exception {
    List<String> command = new ArrayList<>();
    if (first.endsWith(".cjs")) {
      command.add("node");
    }
    command.add(first);
    command.addAll(List.of(rest));
    return ExternalCommands.run(JS_DIR, command).strip();
  }
}
