package dev.flagedge.sync;

import static dev.flagedge.sync.TestDocuments.CLIENT_KEY;
import static dev.flagedge.sync.TestDocuments.SERVER_KEY;
import static dev.flagedge.sync.TestDocuments.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flagedge.sync.internal.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Requests, conditional headers, pagination and redirects, seen from the upstream's side. */
class DocumentFetcherTest {
  private final MockWebServer server = new MockWebServer();
  private EnvironmentSync sync;

  @BeforeEach
  void startServer() throws Exception {
    server.start();
    sync =
        EnvironmentSync.builder()
            .apiUrl(server.url("/api/v1").uri())
            // Generous: the endless-pagination test fetches 100 pages within one request timeout.
            .requestTimeout(Duration.ofSeconds(60))
            .environment(SERVER_KEY, CLIENT_KEY)
            .build();
  }

  @AfterEach
  void stop() {
    sync.close();
    server.close();
  }

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertTrue(request != null, "no request");
    return request;
  }

  private String banner(String identifier) {
    return sync.current(CLIENT_KEY)
        .orElseThrow()
        .environment()
        .identityFlags(identifier, Map.of())
        .get(0)
        .valueJson();
  }

  @Test
  void refresh_firstFetch_serverKeyHeaderAndNoConditionalHeaders() throws Exception {
    server.enqueue(ok(TestDocuments.minimal()));
    sync.refresh(CLIENT_KEY);
    RecordedRequest request = take();
    assertEquals("GET", request.getMethod());
    assertEquals("/api/v1/environment-document/", request.getUrl().encodedPath());
    assertEquals(SERVER_KEY, request.getHeaders().get("X-Environment-Key"));
    assertNull(request.getHeaders().get("If-Modified-Since"));
    assertNull(request.getHeaders().get("If-None-Match"));
    assertNull(request.getHeaders().get("Authorization"));
    LoadedEnvironment loaded = sync.current(CLIENT_KEY).orElseThrow();
    assertEquals(LoadedEnvironment.Source.UPSTREAM, loaded.source());
    assertEquals(
        TestDocuments.minimal(), new String(loaded.documentJson(), StandardCharsets.UTF_8));
    assertEquals(Keys.sha256Hex(loaded.documentJson()), loaded.contentHash());
  }

  @Test
  void refresh_200Then304_ifModifiedSinceSentAndDocumentKept() throws Exception {
    server.enqueue(ok(TestDocuments.minimal()));
    server.enqueue(new MockResponse.Builder().code(304).build());
    sync.refresh(CLIENT_KEY);
    LoadedEnvironment first = sync.current(CLIENT_KEY).orElseThrow();
    sync.refresh(CLIENT_KEY);
    take();
    assertEquals("Wed, 25 Nov 2026 10:00:00 GMT", take().getHeaders().get("If-Modified-Since"));
    assertSame(first, sync.current(CLIENT_KEY).orElseThrow());
    SyncStatus status = sync.status(CLIENT_KEY);
    assertEquals(0, status.consecutiveFailures());
    assertTrue(status.lastError().isEmpty());
    assertEquals("2026-11-25T10:00:00Z", status.documentUpdatedAt().orElseThrow());
  }

  @Test
  void refresh_etag_sentAsIfNoneMatch() throws Exception {
    server.enqueue(ok(TestDocuments.minimal()).newBuilder().setHeader("ETag", "\"abc\"").build());
    server.enqueue(new MockResponse.Builder().code(304).build());
    sync.refresh(CLIENT_KEY);
    sync.refresh(CLIENT_KEY);
    assertNull(take().getHeaders().get("If-None-Match"));
    assertEquals("\"abc\"", take().getHeaders().get("If-None-Match"));
  }

  @Test
  void refresh_etagOfRejectedDocument_neverSent() throws Exception {
    server.enqueue(ok(TestDocuments.minimal()).newBuilder().setHeader("ETag", "\"good\"").build());
    server.enqueue(
        ok(TestDocuments.text("does-not-compile.json"))
            .newBuilder()
            .setHeader("ETag", "\"bad\"")
            .build());
    server.enqueue(new MockResponse.Builder().code(304).build());
    sync.refresh(CLIENT_KEY);
    sync.refresh(CLIENT_KEY);
    sync.refresh(CLIENT_KEY);
    take();
    assertEquals("\"good\"", take().getHeaders().get("If-None-Match"));
    assertEquals("\"good\"", take().getHeaders().get("If-None-Match"));
    assertEquals(
        "\"v1\"",
        sync.current(CLIENT_KEY)
            .orElseThrow()
            .environment()
            .environmentFlag("banner")
            .orElseThrow()
            .valueJson());
  }

  @Test
  void refresh_threePages_identityOverridesOfEveryPageMerged() throws Exception {
    server.enqueue(
        ok(TestDocuments.text("page-1.json"))
            .newBuilder()
            .setHeader(
                "Link",
                "<" + server.url("/api/v1/environment-document/?page_id=2") + ">; rel=\"next\"")
            .build());
    server.enqueue(
        ok(TestDocuments.text("page-2.json"))
            .newBuilder()
            .setHeader("Link", "<?page_id=3>; rel=\"next\"")
            .build());
    server.enqueue(ok(TestDocuments.text("page-3.json")));
    sync.refresh(CLIENT_KEY);
    take();
    RecordedRequest second = take();
    RecordedRequest third = take();
    assertEquals("/api/v1/environment-document/?page_id=2", second.getTarget());
    assertEquals("/api/v1/environment-document/?page_id=3", third.getTarget());
    assertEquals(SERVER_KEY, third.getHeaders().get("X-Environment-Key"));
    assertEquals("\"page-1\"", banner("user-1"));
    assertEquals("\"page-2\"", banner("user-2"));
    assertEquals("\"page-3\"", banner("user-3"));
    assertEquals("\"v1\"", banner("someone-else"));
    String merged =
        new String(sync.current(CLIENT_KEY).orElseThrow().documentJson(), StandardCharsets.UTF_8);
    assertTrue(merged.contains("\"feature_state_value\":1.10"), merged);
  }

  @Test
  void refresh_nextLinkToOtherOrigin_refusedAndLastGoodKept() throws Exception {
    server.enqueue(ok(TestDocuments.minimal()));
    server.enqueue(
        ok(TestDocuments.text("page-1.json"))
            .newBuilder()
            .setHeader("Link", "<http://elsewhere.example:8080/steal?page_id=2>; rel=\"next\"")
            .build());
    sync.refresh(CLIENT_KEY);
    LoadedEnvironment good = sync.current(CLIENT_KEY).orElseThrow();
    sync.refresh(CLIENT_KEY);
    assertSame(good, sync.current(CLIENT_KEY).orElseThrow());
    assertEquals(
        "next page link to another origin refused: http://elsewhere.example:8080",
        sync.status(CLIENT_KEY).lastError().orElseThrow());
    assertEquals(2, server.getRequestCount());
  }

  @Test
  void refresh_failingLaterPage_partialDocumentNeverServed() throws Exception {
    server.enqueue(ok(TestDocuments.minimal()));
    server.enqueue(
        ok(TestDocuments.text("page-1.json"))
            .newBuilder()
            .setHeader("Link", "</api/v1/environment-document/?page_id=2>; rel=\"next\"")
            .build());
    server.enqueue(TestDocuments.status(502));
    sync.refresh(CLIENT_KEY);
    LoadedEnvironment good = sync.current(CLIENT_KEY).orElseThrow();
    sync.refresh(CLIENT_KEY);
    assertSame(good, sync.current(CLIENT_KEY).orElseThrow());
    assertEquals("upstream returned HTTP 502", sync.status(CLIENT_KEY).lastError().orElseThrow());
  }

  @Test
  void refresh_pageLinkingToItself_loopRefused() {
    server.enqueue(
        ok(TestDocuments.text("page-1.json"))
            .newBuilder()
            .setHeader("Link", "<?page_id=2>; rel=\"next\"")
            .build());
    server.enqueue(
        ok(TestDocuments.text("page-2.json"))
            .newBuilder()
            .setHeader("Link", "<?page_id=2>; rel=\"next\"")
            .build());
    sync.refresh(CLIENT_KEY);
    assertTrue(sync.current(CLIENT_KEY).isEmpty());
    assertTrue(sync.status(CLIENT_KEY).lastError().orElseThrow().startsWith("pagination loop"));
  }

  @Test
  void refresh_endlessPagination_cappedAtMaxPages() {
    AtomicInteger page = new AtomicInteger();
    server.setDispatcher(
        new StickyDispatcher(
            request ->
                ok(TestDocuments.text("page-2.json"))
                    .newBuilder()
                    .setHeader("Link", "<?page_id=" + page.incrementAndGet() + ">; rel=next")
                    .build()));
    sync.refresh(CLIENT_KEY);
    assertEquals("more than 100 document pages", sync.status(CLIENT_KEY).lastError().orElseThrow());
    assertEquals(DocumentFetcher.MAX_PAGES, server.getRequestCount());
  }

  @Test
  void documentUrls_apiUrlWithoutPath_segmentsAppended() {
    HttpUrl root = HttpUrl.get("https://flags.example");
    assertEquals(
        "https://flags.example/environment-document/",
        DocumentFetcher.documentUrl(root).toString());
    assertEquals(
        "https://flags.example/environments/a%20b/document/",
        DocumentFetcher.legacyDocumentUrl(root, "a b").toString());
  }

  @Test
  void refresh_sameOriginRedirect_followedWithKey() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .code(307)
            .setHeader("Location", "/api/v2/environment-document/")
            .build());
    server.enqueue(ok(TestDocuments.minimal()));
    sync.refresh(CLIENT_KEY);
    take();
    RecordedRequest redirected = take();
    assertEquals("/api/v2/environment-document/", redirected.getTarget());
    assertEquals(SERVER_KEY, redirected.getHeaders().get("X-Environment-Key"));
    assertTrue(sync.current(CLIENT_KEY).isPresent());
  }

  @Test
  void refresh_redirectToOtherOrigin_refusedWithoutSendingKey() {
    server.enqueue(
        new MockResponse.Builder()
            .code(302)
            .setHeader("Location", "https://elsewhere.example/api/v1/environment-document/")
            .build());
    sync.refresh(CLIENT_KEY);
    assertEquals(
        "redirect to another origin refused: https://elsewhere.example:443",
        sync.status(CLIENT_KEY).lastError().orElseThrow());
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void refresh_legacyEnvironment_v1PathAndTokenHeader() throws Exception {
    try (EnvironmentSync legacy =
        EnvironmentSync.builder()
            .apiUrl(server.url("/api/v1").uri())
            .legacyEnvironment(CLIENT_KEY, "token-123")
            .build()) {
      server.enqueue(ok(TestDocuments.minimal()));
      legacy.refresh(CLIENT_KEY);
      RecordedRequest request = take();
      assertEquals("/api/v1/environments/client-key/document/", request.getTarget());
      assertEquals("Token token-123", request.getHeaders().get("Authorization"));
      assertNull(request.getHeaders().get("X-Environment-Key"));
      assertTrue(legacy.current(CLIENT_KEY).isPresent());
      assertTrue(legacy.clientKeyOf(SERVER_KEY).isEmpty());
    }
  }

  @Test
  void apiUrl_trailingSlash_trimmed() throws Exception {
    try (EnvironmentSync slashed =
        EnvironmentSync.builder()
            .apiUrl(server.url("/api/v1/").uri())
            .environment(SERVER_KEY, CLIENT_KEY)
            .build()) {
      server.enqueue(ok(TestDocuments.minimal()));
      slashed.refresh(CLIENT_KEY);
      assertEquals("/api/v1/environment-document/", take().getTarget());
    }
  }
}
