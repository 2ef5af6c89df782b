package dev.flagedge.server;

import static dev.flagedge.server.ServerTestSupport.get;
import static dev.flagedge.server.ServerTestSupport.json;
import static dev.flagedge.server.ServerTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings a running server applies when its configuration file is rewritten: each test starts a
 * real server with a {@link ConfigReloader}, rewrites the file, and watches the server over HTTP.
 */
class LiveSettingsTest {
  private static final Duration WITHIN = Duration.ofSeconds(5);
  private static final String CLIENT_KEY = "a_client";

  @TempDir Path dir;
  private final AtomicInteger fetches = new AtomicInteger();
  private final AtomicBoolean upstreamFails = new AtomicBoolean();
  private final AtomicLong answerDelayMillis = new AtomicLong();
  private final AtomicInteger usageReports = new AtomicInteger();
  private final java.util.Set<String> proxyKeysSeen =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final MockWebServer upstream =
      ServerTestSupport.upstream(
          request -> {
            if (request.getUrl().encodedPath().equals("/api/v1/proxy/usage/")) {
              usageReports.incrementAndGet();
              return new MockResponse.Builder().code(202).build();
            }
            fetches.incrementAndGet();
            String proxyKey = request.getHeaders().get("X-Proxy-Key");
            if (proxyKey != null) {
              proxyKeysSeen.add(proxyKey);
            }
            return upstreamFails.get()
                ? new MockResponse.Builder().code(500).build()
                : ServerTestSupport.upstreamJson(ServerTestSupport.document(CLIENT_KEY, "live"))
                    .newBuilder()
                    .headersDelay(answerDelayMillis.get(), TimeUnit.MILLISECONDS)
                    .build();
          });
  private final AtomicInteger otherFetches = new AtomicInteger();
  private final MockWebServer otherUpstream =
      ServerTestSupport.upstream(
          request -> {
            otherFetches.incrementAndGet();
            return ServerTestSupport.upstreamJson(ServerTestSupport.document(CLIENT_KEY, "other"));
          });
  private Path file;
  private EdgeServer server;
  private ConfigReloader reloader;

  @AfterEach
  void stop() {
    if (reloader != null) {
      reloader.close();
    }
    if (server != null) {
      server.close();
    }
    upstream.close();
    otherUpstream.close();
  }

  /** The test's configuration: one upstream environment, and these settings. */
  private String config(Map<String, Object> settings) {
    ObjectNode config = ServerTestSupport.JSON.createObjectNode();
    config
        .putArray("environment_key_pairs")
        .addObject()
        .put("server_side_key", "ser.a")
        .put("client_side_key", CLIENT_KEY);
    config.put("api_url", upstream.url("/api/v1").toString());
    config.putObject("server").put("host", "127.0.0.1").put("port", 0);
    settings.forEach((path, value) -> config.set(path, ServerTestSupport.JSON.valueToTree(value)));
    return config.toString();
  }

  private void start(Map<String, Object> settings) throws IOException {
    file = Files.writeString(dir.resolve("config.json"), config(settings));
    server = EdgeServer.start(ConfigLoader.load(Map.of(), Optional.of(file)).builder().build());
    reloader =
        new ConfigReloader(file, ConfigReloader.digest(file), Map.of(), server, next -> {}).start();
  }

  private void rewrite(Map<String, Object> settings) {
    try {
      Path next = dir.resolve("config.json.next");
      Files.writeString(next, config(settings));
      Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String metrics() {
    return get(server, "/metrics", null).body();
  }

  private void assertNothingAwaitsARestart() {
    assertFalse(json(get(server, "/proxy/health", null)).has("restart_required_for"));
  }

  @Test
  void responseCacheBytes_offThenOn_identityAnswersCachedWithoutARestart() throws IOException {
    start(Map.of("response_cache_bytes", 0));
    assertTrue(metrics().contains("flagedge_response_cache_max_bytes 0.0"), metrics());
    rewrite(Map.of("response_cache_bytes", 1 << 20));
    waitUntil(
        () -> metrics().contains("flagedge_response_cache_max_bytes 1048576.0"),
        WITHIN,
        "the new budget");
    for (int i = 0; i < 3; i++) {
      assertEquals(
          200, get(server, "/api/v1/identities/?identifier=alice", CLIENT_KEY).statusCode());
    }
    assertTrue(
        metrics().contains("flagedge_response_cache_requests_total{result=\"hit\"} 1.0"),
        metrics());
    assertNothingAwaitsARestart();

    rewrite(Map.of("response_cache_bytes", 0));
    waitUntil(
        () -> metrics().contains("flagedge_response_cache_bytes 0.0"),
        WITHIN,
        "the cache emptied when turned off");
  }

  @Test
  void pollFrequency_shortened_nextPollsComeAtTheNewIntervalNotAfterTheOldOne() throws IOException {
    start(Map.of("api_poll_frequency_seconds", 86400));
    int first = fetches.get();
    assertTrue(first >= 1, "the first fetch");
    rewrite(Map.of("api_poll_frequency_seconds", 1));
    waitUntil(() -> fetches.get() >= first + 2, WITHIN, "polls every second");
    assertNothingAwaitsARestart();
  }

  @Test
  void apiUrl_changed_documentsFetchedFromTheNewUpstream() throws IOException {
    start(Map.of("api_poll_frequency_seconds", 1));
    assertEquals(0, otherFetches.get());
    rewrite(
        Map.of(
            "api_poll_frequency_seconds", 1, "api_url", otherUpstream.url("/api/v1").toString()));
    waitUntil(
        () -> get(server, "/api/v1/flags/", CLIENT_KEY).body().contains("other"),
        WITHIN,
        "the new upstream's document served");
    assertTrue(otherFetches.get() >= 1);
    assertNothingAwaitsARestart();
  }

  @Test
  void pollTimeout_lengthened_aSlowUpstreamIsWaitedFor() throws IOException {
    answerDelayMillis.set(1500);
    start(Map.of("api_poll_frequency_seconds", 1, "api_poll_timeout_seconds", 1));
    assertEquals(503, get(server, "/api/v1/flags/", CLIENT_KEY).statusCode(), "timed out");
    rewrite(Map.of("api_poll_frequency_seconds", 1, "api_poll_timeout_seconds", 10));
    // After failures the polls back off (1, 2, 4 s): the next one comes within about 5 s.
    waitUntil(
        () -> get(server, "/api/v1/flags/", CLIENT_KEY).statusCode() == 200,
        Duration.ofSeconds(10),
        "the slow answer waited for");
    assertNothingAwaitsARestart();
  }

  @Test
  void realtimeUpstreamUrl_set_theEnvironmentsStreamFollowed() throws IOException {
    List<String> streams = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (MockWebServer realtime =
        ServerTestSupport.upstream(
            request -> {
              streams.add(request.getTarget());
              return new MockResponse.Builder()
                  .setHeader("Content-Type", "text/event-stream")
                  .body(": quiet\n\n")
                  .build();
            })) {
      start(Map.of());
      rewrite(Map.of("realtime_upstream_url", realtime.url("/").toString()));
      waitUntil(() -> !streams.isEmpty(), WITHIN, "the realtime stream followed");
      assertEquals("/sse/environments/" + CLIENT_KEY + "/stream", streams.get(0));
      assertNothingAwaitsARestart();
    }
  }

  @Test
  void usageFlushInterval_shortened_usageReportedAtTheNewInterval() throws IOException {
    start(Map.of("proxy_key", "pk_live", "usage_flush_interval_seconds", 86400));
    assertEquals(200, get(server, "/api/v1/flags/", CLIENT_KEY).statusCode());
    assertEquals(0, usageReports.get());
    rewrite(Map.of("proxy_key", "pk_live", "usage_flush_interval_seconds", 1));
    waitUntil(() -> usageReports.get() >= 1, WITHIN, "the usage report at the new interval");
    assertNothingAwaitsARestart();
  }

  @Test
  void proxyHeaders_turnedOn_ofrepEventStreamUrlFollowsTheForwardedHost() throws IOException {
    start(Map.of());
    assertEquals(
        "http://localhost:" + server.port() + "/ofrep/v1/events/" + CLIENT_KEY, eventUrl());
    rewrite(Map.of("server", Map.of("host", "127.0.0.1", "port", 0, "proxy_headers", true)));
    waitUntil(
        () -> eventUrl().equals("https://flags.example/ofrep/v1/events/" + CLIENT_KEY),
        WITHIN,
        "the forwarded scheme and host");
    assertNothingAwaitsARestart();
  }

  private String eventUrl() {
    HttpResponse<String> answer =
        ServerTestSupport.send(
            ServerTestSupport.request(server, "/ofrep/v1/evaluate/flags")
                .header("X-API-Key", CLIENT_KEY)
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "flags.example")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"context\":{}}"))
                .build());
    return json(answer).get("eventStreams").get(0).get("url").textValue();
  }

  @Test
  void proxyKey_rotated_fetchesCarryTheNewKey_addingOneAwaitsARestart() throws IOException {
    start(Map.of("proxy_key", "pk_one", "api_poll_frequency_seconds", 1));
    assertTrue(proxyKeysSeen.contains("pk_one"), proxyKeysSeen.toString());
    rewrite(Map.of("proxy_key", "pk_two", "api_poll_frequency_seconds", 1));
    waitUntil(() -> proxyKeysSeen.contains("pk_two"), WITHIN, "a fetch with the rotated key");
    assertNothingAwaitsARestart();

    ServerConfig withoutKey =
        ConfigLoader.load(
                Map.of(),
                Optional.of(Files.writeString(dir.resolve("plain.json"), config(Map.of()))))
            .builder()
            .build();
    assertEquals(List.of("proxy_key"), server.reconfigure(withoutKey));
  }

  @Test
  void sseAuthenticationToken_rotated_newTokenAcceptedOldRefused() throws IOException {
    start(Map.of("sse_authentication_token", "first-token"));
    assertEquals(200, queueChange("Token first-token"));
    rewrite(Map.of("sse_authentication_token", "second-token"));
    waitUntil(() -> queueChange("Token second-token") == 200, WITHIN, "the new token accepted");
    assertEquals(401, queueChange("Token first-token"));
    assertNothingAwaitsARestart();
  }

  private int queueChange(String authorization) {
    return ServerTestSupport.send(
            ServerTestSupport.request(server, "/sse/environments/" + CLIENT_KEY + "/queue-change")
                .header("Authorization", authorization)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"updated_at\": \"2026-11-25T10:00:02Z\"}"))
                .build())
        .statusCode();
  }

  @Test
  void sseMaxStreamAge_fromUnlimitedToOneSecond_openStreamEnds() throws Exception {
    start(Map.of("sse_max_stream_age_seconds", 0));
    HttpResponse<java.io.InputStream> response =
        ServerTestSupport.HTTP.send(
            HttpRequest.newBuilder(
                    java.net.URI.create(
                        "http://localhost:"
                            + server.port()
                            + "/sse/environments/"
                            + CLIENT_KEY
                            + "/stream"))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    CompletableFuture<Void> ended =
        CompletableFuture.runAsync(
            () -> {
              try (java.io.InputStream body = response.body()) {
                body.transferTo(java.io.OutputStream.nullOutputStream());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    assertFalse(ended.isDone(), "an unlimited stream stays open");
    rewrite(Map.of("sse_max_stream_age_seconds", 1));
    waitUntil(ended::isDone, WITHIN, "the stream ended at the new maximum age");
    ended.join(); // ended cleanly, not with an error
    assertNothingAwaitsARestart();
  }

  @Test
  void updateGracePeriod_shortened_healthReportsTheStaleDocument() throws IOException {
    start(
        Map.of(
            "api_poll_frequency_seconds",
            1,
            "health_check",
            Map.of("environment_update_grace_period_seconds", 60)));
    upstreamFails.set(true);
    int failing = fetches.get();
    waitUntil(() -> fetches.get() > failing + 1, WITHIN, "failing polls");
    assertEquals("ok", json(get(server, "/proxy/health", null)).get("status").textValue());
    rewrite(
        Map.of(
            "api_poll_frequency_seconds",
            1,
            "health_check",
            Map.of("environment_update_grace_period_seconds", 0)));
    waitUntil(
        () ->
            "environment document(s) stale."
                .equals(json(get(server, "/proxy/health", null)).path("reason").textValue()),
        WITHIN,
        "stale by the new grace period");
    assertNothingAwaitsARestart();
  }
}
