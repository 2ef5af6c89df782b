package dev.flagedge.server;

import static dev.flagedge.server.ServerTestSupport.get;
import static dev.flagedge.server.ServerTestSupport.request;
import static dev.flagedge.server.ServerTestSupport.send;
import static dev.flagedge.server.ServerTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entity tags and 304s on the SDK endpoints, and a FlagEdge whose upstream is another FlagEdge: it
 * polls the first with conditional requests and serves the same answers.
 */
class ConditionalRequestsTest {
  private static final String CLIENT = "shop_client_key";
  private static final String SERVER = "ser.shop_server_key";

  @TempDir Path dir;
  private EdgeServer origin;
  private EdgeServer tier;

  @BeforeEach
  void start() throws IOException {
    origin =
        EdgeServer.start(
            ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .pollInterval(Duration.ofSeconds(1))
                .environmentFile(ServerTestSupport.document(dir, "shop.json"), Optional.of(SERVER))
                .build());
  }

  @AfterEach
  void stop() {
    if (tier != null) {
      tier.close();
    }
    origin.close();
  }

  private HttpResponse<String> conditional(String path, String key, String header, String value) {
    return send(
        request(origin, path).header("X-Environment-Key", key).header(header, value).GET().build());
  }

  private static String etag(HttpResponse<String> response) {
    return response.headers().firstValue("ETag").orElseThrow();
  }

  @Test
  void flags_sameTagAgain_304WithoutBody_perKeyTypeAndEncoding() {
    HttpResponse<String> first = get(origin, "/api/v1/flags/", CLIENT);
    assertEquals(200, first.statusCode());
    String tag = etag(first);
    assertTrue(tag.matches("\"[0-9a-f]{16}-c\""), tag);
    HttpResponse<String> again = conditional("/api/v1/flags/", CLIENT, "If-None-Match", tag);
    assertEquals(304, again.statusCode());
    assertEquals("", again.body());
    assertEquals(tag, etag(again));
    assertEquals(
        304,
        conditional("/api/v1/flags/", CLIENT, "If-None-Match", "\"other\", W/" + tag).statusCode());
    assertEquals(
        200, conditional("/api/v1/flags/", CLIENT, "If-None-Match", "\"other\"").statusCode());
    String serverTag = etag(get(origin, "/api/v1/flags/", SERVER));
    assertNotEquals(tag, serverTag);
    assertEquals(200, conditional("/api/v1/flags/", SERVER, "If-None-Match", tag).statusCode());
    assertEquals(
        304,
        conditional(
                "/api/v1/flags/?feature=banner_text",
                CLIENT,
                "If-None-Match",
                etag(get(origin, "/api/v1/flags/?feature=banner_text", CLIENT)))
            .statusCode());
  }

  @Test
  void identitiesGet_taggedAndConditional_postIsNot() {
    HttpResponse<String> first = get(origin, "/api/v1/identities/?identifier=u1", CLIENT);
    String tag = etag(first);
    assertEquals(
        304,
        conditional("/api/v1/identities/?identifier=u1", CLIENT, "If-None-Match", tag)
            .statusCode());
    String serverTag = etag(get(origin, "/api/v1/identities/?identifier=u1", SERVER));
    assertNotEquals(tag, serverTag);
    assertEquals(
        304,
        conditional("/api/v1/identities/?identifier=u1", SERVER, "If-None-Match", serverTag)
            .statusCode());
    assertEquals(
        200,
        conditional("/api/v1/identities/?identifier=u1", SERVER, "If-None-Match", tag)
            .statusCode());
    HttpResponse<String> post =
        ServerTestSupport.post(
            origin, "/api/v1/identities/", CLIENT, "{\"identifier\": \"u1\", \"traits\": []}");
    assertEquals(200, post.statusCode());
    assertTrue(post.headers().firstValue("ETag").isEmpty());
  }

  @Test
  void environmentDocument_etagAndLastModified_ifNoneMatchTakesPrecedence() {
    HttpResponse<String> first = get(origin, "/api/v1/environment-document/", SERVER);
    String tag = etag(first);
    String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();
    assertEquals(
        304,
        conditional("/api/v1/environment-document/", SERVER, "If-None-Match", tag).statusCode());
    assertEquals(
        304,
        conditional("/api/v1/environment-document/", SERVER, "If-Modified-Since", lastModified)
            .statusCode());
    assertEquals(
        200,
        conditional(
                "/api/v1/environment-document/",
                SERVER,
                "If-Modified-Since",
                "Mon, 01 Jan 2024 00:00:00 GMT")
            .statusCode());
    assertEquals(
        200,
        send(request(origin, "/api/v1/environment-document/")
                .header("X-Environment-Key", SERVER)
                .header("If-None-Match", "\"stale\"")
                .header("If-Modified-Since", lastModified)
                .GET()
                .build())
            .statusCode());
  }

  @Test
  void secondTier_pollsTheFirstWith304s_servesTheSameAnswers() throws IOException {
    tier =
        EdgeServer.start(
            ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .environment(SERVER, CLIENT)
                .apiUrl(java.net.URI.create("http://127.0.0.1:" + origin.port() + "/api/v1"))
                .pollInterval(Duration.ofSeconds(1))
                .build());
    for (String path : new String[] {"/api/v1/flags/", "/api/v1/identities/?identifier=u7"}) {
      assertEquals(get(origin, path, CLIENT).body(), get(tier, path, CLIENT).body(), path);
    }
    assertEquals(
        ServerTestSupport.post(
                origin,
                "/api/v1/identities/",
                SERVER,
                "{\"identifier\": \"u8\", \"traits\": [{\"trait_key\": \"plan\", \"trait_value\": 1}]}")
            .body(),
        ServerTestSupport.post(
                tier,
                "/api/v1/identities/",
                SERVER,
                "{\"identifier\": \"u8\", \"traits\": [{\"trait_key\": \"plan\", \"trait_value\": 1}]}")
            .body());
    waitUntil(
        () ->
            get(origin, "/metrics", null)
                .body()
                .contains(
                    "flagedge_http_requests_total{route=\"environment-document\",status=\"304\"}"),
        Duration.ofSeconds(10),
        "a 304 answered to the second tier");
  }

  @Test
  void secondTier_followingTheFirstsStream_changesPushedDespiteAnHourlyPoll() throws IOException {
    tier =
        EdgeServer.start(
            ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .environment(SERVER, CLIENT)
                .apiUrl(java.net.URI.create("http://127.0.0.1:" + origin.port() + "/api/v1"))
                .realtimeUpstreamUrl(java.net.URI.create("http://127.0.0.1:" + origin.port() + "/"))
                .pollInterval(Duration.ofHours(1))
                .build());
    String before = get(tier, "/api/v1/flags/", CLIENT).body();
    Path file = dir.resolve("shop.json");
    java.nio.file.Files.writeString(
        file,
        java.nio.file.Files.readString(file)
            .replace("Welcome", "Hello")
            .replaceFirst(
                "\"updated_at\"\\s*:\\s*\"[^\"]*\"", "\"updated_at\": \"2026-12-01T00:00:00Z\""));
    waitUntil(
        () -> !before.equals(get(origin, "/api/v1/flags/", CLIENT).body()),
        Duration.ofSeconds(10),
        "the first tier's new document");
    waitUntil(
        () ->
            get(origin, "/api/v1/flags/", CLIENT)
                .body()
                .equals(get(tier, "/api/v1/flags/", CLIENT).body()),
        Duration.ofSeconds(10),
        "the second tier, pushed by the first's stream");
  }

  @Test
  void documentChanges_oldTagAnswered200WithTheNewTag() throws IOException {
    String old = etag(get(origin, "/api/v1/flags/", CLIENT));
    Path file = dir.resolve("shop.json");
    java.nio.file.Files.writeString(
        file,
        java.nio.file.Files.readString(file)
            .replaceFirst(
                "\"updated_at\"\\s*:\\s*\"[^\"]*\"", "\"updated_at\": \"2026-12-01T00:00:00Z\""));
    waitUntil(
        () -> !old.equals(etag(get(origin, "/api/v1/flags/", CLIENT))),
        Duration.ofSeconds(15),
        "a new tag for the new document");
    HttpResponse<String> answer = conditional("/api/v1/flags/", CLIENT, "If-None-Match", old);
    assertEquals(200, answer.statusCode());
    assertNotEquals(old, etag(answer));
  }
}
