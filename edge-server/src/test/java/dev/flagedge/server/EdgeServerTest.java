package dev.flagedge.server;

import static dev.flagedge.server.ServerTestSupport.get;
import static dev.flagedge.server.ServerTestSupport.json;
import static dev.flagedge.server.ServerTestSupport.post;
import static dev.flagedge.server.ServerTestSupport.request;
import static dev.flagedge.server.ServerTestSupport.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint over real HTTP, against a server serving an offline document. */
class EdgeServerTest {
  private static final String CLIENT = "shop_client_key";
  private static final String SERVER = "ser.shop_server_key";

  @TempDir static Path dir;
  private static Path document;
  private static EdgeServer server;

  @BeforeAll
  static void start() throws IOException {
    document = ServerTestSupport.document(dir, "shop.json");
    server = ServerTestSupport.startOffline(document, Optional.of(SERVER));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void flags_clientKey_hidesServerOnlyAndDisabledFlags() {
    HttpResponse<String> response = get(server, "/api/v1/flags/", CLIENT);
    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
    assertEquals(
        List.of("banner_text", "button_colour", "max_cart_items", "terms_text"),
        names(json(response)));
  }

  @Test
  void flags_serverKey_seesEveryFlagInDocumentOrder() {
    assertEquals(
        List.of(
            "banner_text",
            "button_colour",
            "checkout_v2",
            "max_cart_items",
            "internal_rate_limit",
            "terms_text"),
        names(json(get(server, "/api/v1/flags/", SERVER))));
  }

  @Test
  void flags_flagShape_matchesReference() {
    JsonNode flag = json(get(server, "/api/v1/flags/?feature=max_cart_items", CLIENT));
    assertEquals(
        "{\"feature\":{\"id\":4,\"name\":\"max_cart_items\",\"type\":\"STANDARD\"},"
            + "\"enabled\":true,\"feature_state_value\":50}",
        flag.toString());
  }

  @Test
  void flags_withoutTrailingSlash_servedDirectly() {
    assertEquals(200, get(server, "/api/v1/flags", CLIENT).statusCode());
  }

  @Test
  void flags_hiddenOrUnknownFeature_404WithReferenceBody() {
    HttpResponse<String> hidden = get(server, "/api/v1/flags/?feature=internal_rate_limit", CLIENT);
    assertEquals(404, hidden.statusCode());
    assertEquals(
        "{\"status\":\"not_found\",\"message\":\"feature 'internal_rate_limit' not found\"}",
        hidden.body());
    assertEquals(
        200, get(server, "/api/v1/flags/?feature=internal_rate_limit", SERVER).statusCode());
  }

  @Test
  void flags_unknownKey_401WithReferenceBody() {
    HttpResponse<String> response = get(server, "/api/v1/flags/", "nope");
    assertEquals(401, response.statusCode());
    assertEquals(
        "{\"status\":\"unauthorized\",\"message\":\"unknown key 'nope'\"}", response.body());
    assertEquals(401, get(server, "/api/v1/flags/", "ser.nope").statusCode());
  }

  @Test
  void flags_missingKey_401JsonInsteadOf500() {
    HttpResponse<String> response = get(server, "/api/v1/flags/", null);
    assertEquals(401, response.statusCode());
    assertEquals("unauthorized", json(response).get("status").textValue());
  }

  @Test
  void identities_postWithTraits_segmentAndIdentityOverridesApply() {
    HttpResponse<String> response =
        post(
            server,
            "/api/v1/identities/",
            CLIENT,
            "{\"identifier\":\"vip-user\",\"traits\":[{\"trait_key\":\"orders\",\"trait_value\":150},"
                + "{\"trait_key\":\"plan\",\"trait_value\":\"beta\",\"transient\":true}]}");
    assertEquals(200, response.statusCode());
    JsonNode body = json(response);
    assertEquals("vip-user", body.get("identifier").textValue());
    assertEquals(
        "[{\"trait_key\":\"orders\",\"trait_value\":150},"
            + "{\"trait_key\":\"plan\",\"trait_value\":\"beta\"}]",
        body.get("traits").toString());
    assertEquals("Welcome back, VIP", value(body.get("flags"), "banner_text").textValue());
    assertEquals(250, value(body.get("flags"), "max_cart_items").intValue());
    assertTrue(names(body.get("flags")).contains("checkout_v2"), "enabled by the beta segment");
  }

  @Test
  void identities_controlCharactersAndNumbers_echoedAsTheReferenceWritesThem() {
    HttpResponse<String> response =
        post(
            server,
            "/api/v1/identities/",
            CLIENT,
            "{\"identifier\":\"a\\b\\f\\u0001\\\"\u00e9\ud83d\ude00\",\"traits\":["
                + "{\"trait_key\":\"k\\n\",\"trait_value\":\"x\\ty\"},"
                + "{\"trait_key\":\"f\",\"trait_value\":1.5},{\"trait_key\":\"i\",\"trait_value\":-7},"
                + "{\"trait_key\":\"n\",\"trait_value\":null},"
                + "{\"trait_key\":\"small\",\"trait_value\":1E-5},"
                + "{\"trait_key\":\"large\",\"trait_value\":1e16},"
                + "{\"trait_key\":\"huge\",\"trait_value\":1.7976931348623157e308},"
                + "{\"trait_key\":\"big\",\"trait_value\":123456789012345678901234567890}]}");
    assertEquals(200, response.statusCode());
    assertTrue(
        response
            .body()
            .startsWith(
                "{\"identifier\":\"a\\b\\f\\u0001\\\"\u00e9\ud83d\ude00\","
                    + "\"traits\":[{\"trait_key\":\"k\\n\",\"trait_value\":\"x\\ty\"},"
                    + "{\"trait_key\":\"f\",\"trait_value\":1.5},{\"trait_key\":\"i\",\"trait_value\":-7},"
                    + "{\"trait_key\":\"n\",\"trait_value\":null},"
                    + "{\"trait_key\":\"small\",\"trait_value\":1e-05},"
                    + "{\"trait_key\":\"large\",\"trait_value\":1e+16},"
                    + "{\"trait_key\":\"huge\",\"trait_value\":1.7976931348623157e+308},"
                    + "{\"trait_key\":\"big\",\"trait_value\":123456789012345678901234567890}],"
                    + "\"flags\":[{\"feature\":"),
        response.body());
  }

  @Test
  void identities_sameRequestAgain_answeredFromTheCacheWithTheSameBytes() {
    String body =
        "{\"identifier\":\"cached-user\",\"traits\":[{\"trait_key\":\"orders\","
            + "\"trait_value\":3}]}";
    String first = post(server, "/api/v1/identities/", CLIENT, body).body();
    assertEquals(first, post(server, "/api/v1/identities/", CLIENT, body).body()); // now cached
    String hitsBefore = cacheHits();
    assertEquals(first, post(server, "/api/v1/identities/", CLIENT, body).body());
    assertTrue(
        Double.parseDouble(cacheHits()) >= Double.parseDouble(hitsBefore) + 1,
        hitsBefore + " -> " + cacheHits());
    // The same body with a server key is another request: server-only features differ.
    assertFalse(first.equals(post(server, "/api/v1/identities/", SERVER, body).body()));
  }

  @Test
  void identities_cachedAnswer_unchangedByTheAnswersWrittenAfterIt() {
    // Unique answers are written into reusable arrays; a cached answer must hold its own copy.
    String body = "{\"identifier\":\"kept-user\",\"traits\":[]}";
    String first = post(server, "/api/v1/identities/", CLIENT, body).body();
    assertEquals(first, post(server, "/api/v1/identities/", CLIENT, body).body()); // now cached
    for (int i = 0; i < 50; i++) {
      String other = "{\"identifier\":\"other-" + i + "\",\"traits\":[]}";
      assertTrue(post(server, "/api/v1/identities/", CLIENT, other).body().contains("other-" + i));
    }
    assertEquals(first, post(server, "/api/v1/identities/", CLIENT, body).body());
  }

  private static String cacheHits() {
    for (String line : get(server, "/metrics", null).body().split("\n")) {
      if (line.startsWith("flagedge_response_cache_requests_total{result=\"hit\"}")) {
        return line.substring(line.lastIndexOf(' ') + 1);
      }
    }
    return "0";
  }

  @Test
  void identities_get_evaluatesWithoutTraits() {
    JsonNode body = json(get(server, "/api/v1/identities?identifier=someone", CLIENT));
    assertEquals("[]", body.get("traits").toString());
    assertEquals(50, value(body.get("flags"), "max_cart_items").intValue());
  }

  @Test
  void identities_getWithoutIdentifier_422() {
    HttpResponse<String> response = get(server, "/api/v1/identities/", CLIENT);
    assertEquals(422, response.statusCode());
    assertEquals(
        "[\"query\",\"identifier\"]", json(response).get("detail").get(0).get("loc").toString());
  }

  @Test
  void identities_postInvalidJson_422JsonInvalid() {
    HttpResponse<String> response = post(server, "/api/v1/identities/", CLIENT, "{\"identifier\"");
    assertEquals(422, response.statusCode());
    assertEquals("json_invalid", json(response).get("detail").get(0).get("type").textValue());
  }

  @Test
  void identities_postTraitStringOver2000Characters_422() {
    HttpResponse<String> response =
        post(
            server,
            "/api/v1/identities/",
            CLIENT,
            "{\"identifier\":\"u\",\"traits\":[{\"trait_key\":\"k\",\"trait_value\":\""
                + "x".repeat(2001)
                + "\"}]}");
    assertEquals(422, response.statusCode());
    assertEquals("string_too_long", json(response).get("detail").get(0).get("type").textValue());
  }

  @Test
  void identities_postWithoutContentType_accepted() {
    HttpResponse<String> response =
        send(
            request(server, "/api/v1/identities/")
                .header("X-Environment-Key", CLIENT)
                .POST(HttpRequest.BodyPublishers.ofString("{\"identifier\":\"u\"}"))
                .build());
    assertEquals(200, response.statusCode());
  }

  @Test
  void identities_bodyOverOneMebibyte_413() {
    HttpResponse<String> response =
        post(
            server,
            "/api/v1/identities/",
            CLIENT,
            "{\"identifier\":\"" + "x".repeat(1 << 20) + "\"}");
    assertEquals(413, response.statusCode());
    assertEquals("payload_too_large", json(response).get("status").textValue());
  }

  @Test
  void environmentDocument_serverKey_servesDocument() throws IOException {
    HttpResponse<String> response = get(server, "/api/v1/environment-document", SERVER);
    assertEquals(200, response.statusCode());
    assertEquals(ServerTestSupport.JSON.readTree(Files.readAllBytes(document)), json(response));
  }

  @Test
  void environmentDocument_plainAndGzip_byteForByteTheDocument() throws IOException {
    byte[] expected = Files.readAllBytes(document);
    HttpResponse<byte[]> plain;
    HttpResponse<byte[]> gzipped;
    try {
      plain =
          ServerTestSupport.HTTP.send(
              request(server, "/api/v1/environment-document/")
                  .header("X-Environment-Key", SERVER)
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      gzipped =
          ServerTestSupport.HTTP.send(
              request(server, "/api/v1/environment-document/")
                  .header("X-Environment-Key", SERVER)
                  .header("Accept-Encoding", "gzip")
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertArrayEquals(expected, plain.body());
    assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElseThrow());
    assertArrayEquals(
        expected, new GZIPInputStream(new ByteArrayInputStream(gzipped.body())).readAllBytes());
  }

  @Test
  void environmentDocument_clientKey_403() {
    HttpResponse<String> response = get(server, "/api/v1/environment-document/", CLIENT);
    assertEquals(403, response.statusCode());
    assertFalse(response.body().contains("segments"));
  }

  @Test
  void head_answeredLikeGetWithoutBody() {
    HttpResponse<String> response =
        send(
            request(server, "/api/v1/flags/")
                .header("X-Environment-Key", CLIENT)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
    assertEquals(200, response.statusCode());
    assertEquals("", response.body());
  }

  @Test
  void unknownPathAndWrongMethod_referenceBodies() {
    HttpResponse<String> missing = get(server, "/nope", CLIENT);
    assertEquals(404, missing.statusCode());
    assertEquals("{\"detail\":\"Not Found\"}", missing.body());
    HttpResponse<String> wrong = post(server, "/api/v1/flags/", CLIENT, "{}");
    assertEquals(405, wrong.statusCode());
    assertEquals("{\"detail\":\"Method Not Allowed\"}", wrong.body());
    assertEquals("GET, HEAD", wrong.headers().firstValue("Allow").orElseThrow());
  }

  @Test
  void cors_preflight_allowsAnyOriginByDefault() {
    HttpResponse<String> response =
        send(
            request(server, "/api/v1/flags/")
                .header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "x-environment-key")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build());
    assertEquals(200, response.statusCode());
    assertEquals(
        "https://app.example",
        response.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
    assertEquals(
        "x-environment-key",
        response.headers().firstValue("Access-Control-Allow-Headers").orElseThrow());
    HttpResponse<String> simple =
        send(
            request(server, "/api/v1/flags/")
                .header("Origin", "https://app.example")
                .header("X-Environment-Key", CLIENT)
                .build());
    assertEquals("*", simple.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
  }

  @Test
  void gzip_largeBodyWhenAsked_compressed() throws IOException {
    HttpResponse<byte[]> response;
    try {
      response =
          ServerTestSupport.HTTP.send(
              request(server, "/api/v1/flags/")
                  .header("X-Environment-Key", CLIENT)
                  .header("Accept-Encoding", "gzip")
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertEquals("gzip", response.headers().firstValue("Content-Encoding").orElseThrow());
    byte[] plain = new GZIPInputStream(new ByteArrayInputStream(response.body())).readAllBytes();
    assertEquals(get(server, "/api/v1/flags/", CLIENT).body(), new String(plain, "UTF-8"));
  }

  @Test
  void health_loadedDocument_okWithDetail() {
    HttpResponse<String> response = get(server, "/proxy/health", null);
    assertEquals(200, response.statusCode());
    JsonNode body = json(response);
    assertEquals("ok", body.get("status").textValue());
    assertTrue(body.get("reason").isNull());
    assertEquals("shop…", body.get("environments").get(0).get("key").textValue());
    assertEquals(200, get(server, "/proxy/health/readiness/", null).statusCode());
    assertEquals(200, get(server, "/health", null).statusCode());
    HttpResponse<String> liveness = get(server, "/proxy/health/liveness", null);
    assertEquals(200, liveness.statusCode());
    assertEquals("", liveness.body());
  }

  @Test
  void metrics_prometheusText_countsRequestsWithoutKeys() {
    get(server, "/api/v1/flags/", CLIENT);
    HttpResponse<String> response = get(server, "/metrics", null);
    assertEquals(200, response.statusCode());
    assertTrue(
        response.body().contains("flagedge_http_requests_total{route=\"flags\",status=\"200\"}"),
        response.body());
    assertTrue(
        java.util.regex.Pattern.compile(
                "flagedge_document_age_seconds\\{environment=\"shop…[0-9a-f]{6}\"}")
            .matcher(response.body())
            .find(),
        response.body());
    assertFalse(response.body().contains(CLIENT));
  }

  @Test
  void metrics_environmentsWhoseKeysShareTheirMaskedPrefix_keptApart() throws Exception {
    java.nio.file.Path first = dir.resolve("env_one.json");
    java.nio.file.Path second = dir.resolve("env_two.json");
    java.nio.file.Files.writeString(first, ServerTestSupport.document("env_one_key", "1"));
    java.nio.file.Files.writeString(second, ServerTestSupport.document("env_two_key", "2"));
    try (EdgeServer twins =
        EdgeServer.start(
            ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .environmentFile(first, java.util.Optional.empty())
                .environmentFile(second, java.util.Optional.empty())
                .build())) {
      HttpResponse<String> response = get(twins, "/metrics", null);
      assertEquals(200, response.statusCode(), response.body());
      assertEquals(
          2,
          response
              .body()
              .lines()
              .filter(line -> line.startsWith("flagedge_document_age_seconds{environment=\"env_…"))
              .count(),
          response.body());
    }
  }

  private static List<String> names(JsonNode flags) {
    List<String> names = new ArrayList<>();
    flags.forEach(flag -> names.add(flag.get("feature").get("name").textValue()));
    return names;
  }

  private static JsonNode value(JsonNode flags, String name) {
    for (JsonNode flag : flags) {
      if (flag.get("feature").get("name").textValue().equals(name)) {
        return flag.get("feature_state_value");
      }
    }
    throw new AssertionError("no flag " + name + " in " + flags);
  }
}
