package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OFREP over real HTTP on the shop document, changed so that every row of the mapping has a flag: a
 * boolean flag on and off, values of each JSON type, a disabled flag with a value, segment and
 * identity overrides, a multivariate split, a server-key-only feature. Also the errors, the entity
 * tag, the event stream, CORS, and agreement with {@code /api/v1/identities/}.
 */
class OfrepRouteTest {
  static final String CLIENT = "shop_client_key";
  static final String SERVER = "ser.shop_server_key";
  private static final String BULK = "/ofrep/v1/evaluate/flags";

  @TempDir static Path dir;
  private static EdgeServer server;

  @BeforeAll
  static void start() throws IOException {
    server = startServer(dir);
  }

  /** A server on the shop document with a flag for every row of the mapping. */
  static EdgeServer startServer(Path dir) throws IOException {
    ObjectNode document;
    try (InputStream in = OfrepRouteTest.class.getResourceAsStream("/documents/shop.json")) {
      document = (ObjectNode) ServerTestSupport.JSON.readTree(in);
    }
    document.put("hide_disabled_flags", false);
    ((ObjectNode) document.get("project")).put("hide_disabled_flags", false);
    ((ObjectNode) document.get("project"))
        .set("server_key_only_feature_ids", ServerTestSupport.JSON.createArrayNode().add(5));
    ArrayNode states = (ArrayNode) document.get("feature_states");
    ObjectNode legacy = states.get(0).deepCopy();
    ((ObjectNode) legacy.get("feature")).put("id", 7).put("name", "legacy_banner");
    legacy.put("enabled", false).put("feature_state_value", "old").put("django_id", 7);
    legacy.put("featurestate_uuid", "5b1c0e1c-0f4f-4a39-9a57-1c1e0a4d7e77");
    states.add(legacy);
    ObjectNode ratio = states.get(0).deepCopy();
    ((ObjectNode) ratio.get("feature")).put("id", 8).put("name", "ratio");
    ratio.put("feature_state_value", 0.25).put("django_id", 8);
    ratio.put("featurestate_uuid", "5b1c0e1c-0f4f-4a39-9a57-1c1e0a4d7e78");
    states.add(ratio);
    ObjectNode dark = states.get(0).deepCopy();
    ((ObjectNode) dark.get("feature")).put("id", 9).put("name", "dark_mode");
    dark.putNull("feature_state_value").put("django_id", 9);
    dark.put("featurestate_uuid", "5b1c0e1c-0f4f-4a39-9a57-1c1e0a4d7e79");
    states.add(dark);
    Path file = dir.resolve("ofrep.json");
    Files.writeString(file, ServerTestSupport.JSON.writeValueAsString(document));
    return ServerTestSupport.startOffline(file, Optional.of(SERVER));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> evaluate(String path, String key, String body) {
    HttpRequest.Builder request =
        ServerTestSupport.request(server, path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("X-API-Key", key);
    }
    return ServerTestSupport.send(request.build());
  }

  private static JsonNode flag(String key, String context) {
    HttpResponse<String> answer = evaluate(BULK + "/" + key, SERVER, context);
    assertEquals(200, answer.statusCode(), answer.body());
    return ServerTestSupport.json(answer);
  }

  private static final String NO_IDENTITY = "{\"context\":{}}";

  @Test
  void enabledWithoutValue_true_static() {
    assertEquals(
        "{\"key\":\"dark_mode\",\"value\":true,\"reason\":\"STATIC\",\"metadata\":{\"featureId\":9}}",
        flag("dark_mode", NO_IDENTITY).toString());
  }

  @Test
  void disabledWithoutValue_false_disabled() {
    assertEquals(
        "{\"key\":\"checkout_v2\",\"value\":false,\"reason\":\"DISABLED\","
            + "\"metadata\":{\"featureId\":3}}",
        flag("checkout_v2", NO_IDENTITY).toString());
  }

  @Test
  void enabledWithValue_typedValue_static() {
    assertEquals(
        "\"Welcome to FlagEdge\"", flag("banner_text", NO_IDENTITY).get("value").toString());
    JsonNode integer = flag("max_cart_items", NO_IDENTITY);
    assertTrue(integer.get("value").isIntegralNumber(), integer.toString());
    assertEquals(50, integer.get("value").intValue());
    assertEquals("STATIC", integer.get("reason").textValue());
    JsonNode decimal = flag("ratio", NO_IDENTITY);
    assertTrue(decimal.get("value").isFloatingPointNumber(), decimal.toString());
    assertEquals(0.25, decimal.get("value").doubleValue());
  }

  @Test
  void disabledWithValue_valueLeftOut_disabled() {
    JsonNode legacy = flag("legacy_banner", NO_IDENTITY);
    assertFalse(legacy.has("value"), legacy.toString());
    assertEquals("DISABLED", legacy.get("reason").textValue());
    assertEquals(7, legacy.get("metadata").get("featureId").intValue());
  }

  @Test
  void segmentOverride_targetingMatch_withTheSegmentsName() {
    JsonNode flag =
        flag("max_cart_items", "{\"context\":{\"targetingKey\":\"bulk\",\"orders\":150}}");
    assertEquals(250, flag.get("value").intValue());
    assertEquals("TARGETING_MATCH", flag.get("reason").textValue());
    assertEquals("high_volume", flag.get("metadata").get("segment").textValue());
  }

  @Test
  void identityOverride_targetingMatch() {
    JsonNode flag = flag("banner_text", "{\"context\":{\"targetingKey\":\"vip-user\"}}");
    assertEquals("Welcome back, VIP", flag.get("value").textValue());
    assertEquals("TARGETING_MATCH", flag.get("reason").textValue());
  }

  @Test
  void multivariate_splitWithTheOptionsIdAsVariant_controlIsStatic() {
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < 200; i++) {
      JsonNode flag = flag("button_colour", "{\"context\":{\"targetingKey\":\"user-" + i + "\"}}");
      String value = flag.get("value").textValue();
      String reason = flag.get("reason").textValue();
      if (value.equals("blue")) {
        assertEquals("STATIC", reason, flag.toString());
        assertFalse(flag.has("variant"), flag.toString());
      } else {
        assertEquals("SPLIT", reason, flag.toString());
        seen.put(value, flag.get("variant").textValue());
      }
    }
    assertEquals(Map.of("green", "301", "orange", "302"), seen);
  }

  @Test
  void everyFlag_hasMetadata_neverANullValue() {
    JsonNode flags =
        ServerTestSupport.json(evaluate(BULK, SERVER, "{\"context\":{\"targetingKey\":\"a\"}}"))
            .get("flags");
    assertEquals(9, flags.size(), flags.toString());
    for (JsonNode flag : flags) {
      assertTrue(flag.get("metadata").isObject(), flag.toString());
      assertTrue(!flag.has("value") || !flag.get("value").isNull(), flag.toString());
    }
  }

  @Test
  void clientKey_serverOnlyFeatureHidden_single404_bulkWithout() {
    HttpResponse<String> single = evaluate(BULK + "/internal_rate_limit", CLIENT, NO_IDENTITY);
    assertEquals(404, single.statusCode());
    assertEquals(
        "{\"key\":\"internal_rate_limit\",\"errorCode\":\"FLAG_NOT_FOUND\","
            + "\"errorDetails\":\"flag 'internal_rate_limit' not found\"}",
        single.body());
    JsonNode flags = ServerTestSupport.json(evaluate(BULK, CLIENT, NO_IDENTITY)).get("flags");
    assertEquals(8, flags.size());
    flags.forEach(f -> assertNotEquals("internal_rate_limit", f.get("key").textValue()));
    assertEquals(200, evaluate(BULK + "/internal_rate_limit", SERVER, NO_IDENTITY).statusCode());
  }

  @Test
  void unknownFlag_404_notFoundBody() {
    HttpResponse<String> answer = evaluate(BULK + "/no_such_flag/", SERVER, NO_IDENTITY);
    assertEquals(404, answer.statusCode());
    assertEquals("FLAG_NOT_FOUND", ServerTestSupport.json(answer).get("errorCode").textValue());
    assertEquals("no_such_flag", ServerTestSupport.json(answer).get("key").textValue());
  }

  @Test
  void keys_inEachHeader_missingOrWrong401WithErrorCode() {
    for (String header : new String[] {"X-API-Key", "X-Environment-Key"}) {
      HttpResponse<String> answer =
          ServerTestSupport.send(
              ServerTestSupport.request(server, BULK)
                  .header(header, CLIENT)
                  .POST(HttpRequest.BodyPublishers.ofString(NO_IDENTITY))
                  .build());
      assertEquals(200, answer.statusCode(), header);
    }
    HttpResponse<String> bearer =
        ServerTestSupport.send(
            ServerTestSupport.request(server, BULK + "/")
                .header("Authorization", "Bearer " + CLIENT)
                .POST(HttpRequest.BodyPublishers.ofString(NO_IDENTITY))
                .build());
    assertEquals(200, bearer.statusCode());
    for (String key : new String[] {null, "wrong_key", "ser.wrong"}) {
      HttpResponse<String> answer = evaluate(BULK, key, NO_IDENTITY);
      assertEquals(401, answer.statusCode(), String.valueOf(key));
      assertEquals("GENERAL", ServerTestSupport.json(answer).get("errorCode").textValue());
      assertTrue(ServerTestSupport.json(answer).has("errorDetails"));
    }
  }

  @Test
  void badBodies_400WithTheirErrorCodes() {
    Map<String, String> expected =
        Map.of(
            "{\"context\":",
            "PARSE_ERROR",
            "[]",
            "PARSE_ERROR",
            "{\"context\":[1]}",
            "INVALID_CONTEXT",
            "{\"context\":{\"plan\":{\"a\":1}}}",
            "INVALID_CONTEXT",
            "{\"context\":{\"tags\":[\"a\"]}}",
            "INVALID_CONTEXT",
            "{\"context\":{\"targetingKey\":5}}",
            "INVALID_CONTEXT");
    expected.forEach(
        (body, code) -> {
          HttpResponse<String> answer = evaluate(BULK, CLIENT, body);
          assertEquals(400, answer.statusCode(), body);
          assertEquals(code, ServerTestSupport.json(answer).get("errorCode").textValue(), body);
        });
    StringBuilder tooMany = new StringBuilder("{\"context\":{\"targetingKey\":\"a\"");
    for (int i = 0; i <= Limits.MAX_TRAITS; i++) {
      tooMany.append(",\"t").append(i).append("\":1");
    }
    HttpResponse<String> answer = evaluate(BULK, CLIENT, tooMany.append("}}").toString());
    assertEquals(400, answer.statusCode());
    assertEquals("INVALID_CONTEXT", ServerTestSupport.json(answer).get("errorCode").textValue());
  }

  @Test
  void wrongMethod_405WithErrorCode() {
    HttpResponse<String> answer = ServerTestSupport.get(server, BULK, CLIENT);
    assertEquals(405, answer.statusCode());
    assertEquals("GENERAL", ServerTestSupport.json(answer).get("errorCode").textValue());
    assertEquals("POST", answer.headers().firstValue("Allow").orElse(""));
  }

  @Test
  void bulk_metadataVersionAndEventStream() {
    JsonNode answer = ServerTestSupport.json(evaluate(BULK, CLIENT, NO_IDENTITY));
    assertEquals("2026-11-25T00:00:00.000000Z", answer.get("metadata").get("version").textValue());
    JsonNode stream = answer.get("eventStreams").get(0);
    assertEquals("sse", stream.get("type").textValue());
    assertEquals(
        "http://localhost:" + server.port() + "/ofrep/v1/events/" + CLIENT,
        stream.get("url").textValue());
    assertEquals(120, stream.get("inactivityDelaySec").intValue());
  }

  @Test
  void bulk_etag304ForTheSameContext_newTagForAChangedTrait() {
    String context = "{\"context\":{\"targetingKey\":\"u1\",\"plan\":\"free\"}}";
    HttpResponse<String> first = evaluate(BULK, CLIENT, context);
    String tag = first.headers().firstValue("ETag").orElseThrow();
    assertTrue(tag.startsWith("\"") && tag.endsWith("\""), tag);
    HttpResponse<String> again =
        ServerTestSupport.send(
            ServerTestSupport.request(server, BULK)
                .header("X-API-Key", CLIENT)
                .header("If-None-Match", tag)
                .POST(HttpRequest.BodyPublishers.ofString(context))
                .build());
    assertEquals(304, again.statusCode());
    assertEquals("", again.body());
    String changed = context.replace("free", "beta");
    HttpResponse<String> other =
        ServerTestSupport.send(
            ServerTestSupport.request(server, BULK)
                .header("X-API-Key", CLIENT)
                .header("If-None-Match", tag)
                .POST(HttpRequest.BodyPublishers.ofString(changed))
                .build());
    assertEquals(200, other.statusCode());
    assertNotEquals(tag, other.headers().firstValue("ETag").orElseThrow());
    assertNotEquals(
        tag, evaluate(BULK, SERVER, context).headers().firstValue("ETag").orElseThrow());
  }

  @Test
  void agreesWithIdentitiesEndpoint_flagForFlag_overManyIdentities() {
    for (int i = 0; i < 300; i++) {
      String identifier = "agree-" + i;
      int orders = i * 7 % 200;
      String plan = i % 3 == 0 ? "beta" : "free";
      JsonNode identities =
          ServerTestSupport.json(
              ServerTestSupport.post(
                  server,
                  "/api/v1/identities/",
                  SERVER,
                  "{\"identifier\":\""
                      + identifier
                      + "\",\"traits\":[{\"trait_key\":\"orders\",\"trait_value\":"
                      + orders
                      + "},{\"trait_key\":\"plan\",\"trait_value\":\""
                      + plan
                      + "\"}]}"));
      JsonNode ofrep =
          ServerTestSupport.json(
              evaluate(
                  BULK,
                  SERVER,
                  "{\"context\":{\"targetingKey\":\""
                      + identifier
                      + "\",\"orders\":"
                      + orders
                      + ",\"plan\":\""
                      + plan
                      + "\"}}"));
      Map<String, JsonNode> byKey = new HashMap<>();
      ofrep.get("flags").forEach(f -> byKey.put(f.get("key").textValue(), f));
      assertEquals(identities.get("flags").size(), byKey.size());
      for (JsonNode expected : identities.get("flags")) {
        String name = expected.get("feature").get("name").textValue();
        JsonNode actual = byKey.get(name);
        assertNotNull(actual, name);
        boolean enabled = expected.get("enabled").booleanValue();
        JsonNode value = expected.get("feature_state_value");
        if (value.isNull()) {
          assertEquals(enabled, actual.get("value").booleanValue(), identifier + " " + name);
        } else if (enabled) {
          assertEquals(value, actual.get("value"), identifier + " " + name);
        } else {
          assertFalse(actual.has("value"), identifier + " " + name);
        }
        assertEquals(!enabled, actual.get("reason").textValue().equals("DISABLED"));
      }
    }
  }

  @Test
  void eventStream_refetchEventAtOnce_plainMessageFrame() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket
          .getOutputStream()
          .write(
              ("GET /ofrep/v1/events/" + CLIENT + " HTTP/1.1\r\nHost: x\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      socket.setSoTimeout(5000);
      StreamFramingTest.FramedReader reader =
          new StreamFramingTest.FramedReader(socket.getInputStream());
      String headers = reader.headers();
      assertTrue(headers.contains("Content-Type: text/event-stream"), headers);
      String frame = reader.frame().text();
      assertTrue(frame.startsWith("data: {\"type\":\"refetchEvaluation\",\"etag\":\"\\\""), frame);
      assertTrue(frame.endsWith(",\"lastModified\":1795564800.0}\n\n"), frame);
      assertFalse(frame.contains("event:"), frame);
    }
  }

  @Test
  void cors_preflightAllowsOfrepHeaders_answersExposeEtag() {
    HttpResponse<String> preflight =
        ServerTestSupport.send(
            ServerTestSupport.request(server, BULK)
                .header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "POST")
                .header(
                    "Access-Control-Request-Headers",
                    "content-type,if-none-match,authorization,x-api-key")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build());
    assertEquals(200, preflight.statusCode());
    String allowed = preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("");
    for (String header :
        new String[] {"content-type", "if-none-match", "authorization", "x-api-key"}) {
      assertTrue(allowed.contains(header), allowed);
    }
    assertTrue(
        preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
    HttpResponse<String> answer =
        ServerTestSupport.send(
            ServerTestSupport.request(server, BULK)
                .header("Origin", "https://app.example")
                .header("X-API-Key", CLIENT)
                .POST(HttpRequest.BodyPublishers.ofString(NO_IDENTITY))
                .build());
    assertEquals("*", answer.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    String exposed = answer.headers().firstValue("Access-Control-Expose-Headers").orElse("");
    assertTrue(exposed.contains("ETag") && exposed.contains("Retry-After"), exposed);
  }
}
