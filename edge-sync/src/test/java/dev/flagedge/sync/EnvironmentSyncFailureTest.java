package dev.flagedge.sync;

import static dev.flagedge.sync.TestDocuments.CLIENT_KEY;
import static dev.flagedge.sync.TestDocuments.SERVER_KEY;
import static dev.flagedge.sync.TestDocuments.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every upstream failure keeps the last good document serving and shows in the status. */
class EnvironmentSyncFailureTest {
  private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

  private final MockWebServer server = new MockWebServer();
  private final StickyDispatcher upstream = new StickyDispatcher(ok(TestDocuments.minimal()));
  private final MutableClock clock = new MutableClock(T0);
  private final RecordingListener listener = new RecordingListener();
  private EnvironmentSync sync;

  @BeforeEach
  void startServer() throws Exception {
    server.setDispatcher(upstream);
    server.start();
    sync =
        EnvironmentSync.builder()
            .apiUrl(server.url("/api/v1").uri())
            .requestTimeout(Duration.ofMillis(300))
            .clock(clock)
            .listener(listener)
            .environment(SERVER_KEY, CLIENT_KEY)
            .build();
  }

  @AfterEach
  void stop() {
    sync.close();
    server.close();
  }

  static Stream<Arguments> failures() {
    String big =
        TestDocuments.minimal()
            .replace("\"name\":\"Test\"", "\"name\":\"" + "x".repeat(64 * 1024) + "\"");
    return Stream.of(
        Arguments.of(
            "500",
            TestDocuments.status(500),
            "upstream returned HTTP 500",
            SyncFailure.Kind.HTTP_STATUS),
        Arguments.of(
            "503",
            TestDocuments.status(503),
            "upstream returned HTTP 503",
            SyncFailure.Kind.HTTP_STATUS),
        Arguments.of(
            "401",
            TestDocuments.status(401),
            "upstream rejected the environment key: HTTP 401",
            SyncFailure.Kind.UNAUTHORIZED),
        Arguments.of(
            "403",
            TestDocuments.status(403),
            "upstream rejected the environment key: HTTP 403",
            SyncFailure.Kind.UNAUTHORIZED),
        Arguments.of(
            "hanging response",
            ok(TestDocuments.version(2))
                .newBuilder()
                .onResponseStart(SocketEffect.Stall.INSTANCE)
                .build(),
            "upstream request timed out after PT0.3S",
            SyncFailure.Kind.TIMEOUT),
        Arguments.of(
            "connection reset",
            ok(TestDocuments.version(2))
                .newBuilder()
                .onResponseStart(new SocketEffect.CloseSocket())
                .build(),
            "upstream connection failed",
            SyncFailure.Kind.NETWORK),
        Arguments.of(
            "truncated body",
            ok(big).newBuilder().onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build(),
            "upstream connection failed",
            SyncFailure.Kind.NETWORK),
        Arguments.of(
            "invalid JSON",
            ok(TestDocuments.text("invalid-json.json")),
            "invalid document: ",
            SyncFailure.Kind.INVALID_DOCUMENT),
        Arguments.of("empty body", ok(""), "invalid document: ", SyncFailure.Kind.INVALID_DOCUMENT),
        Arguments.of(
            "JSON that does not compile",
            ok(TestDocuments.text("does-not-compile.json")),
            "invalid document: expected a boolean at $.feature_states[0].enabled, found \"yes\"",
            SyncFailure.Kind.INVALID_DOCUMENT),
        Arguments.of(
            "not an object",
            ok("[]"),
            "invalid document: expected an object at $",
            SyncFailure.Kind.INVALID_DOCUMENT),
        Arguments.of(
            "304 after a lost document", new MockResponse.Builder().code(304).build(), null, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void refresh_upstreamFailure_lastGoodServedAndErrorReported(
      String name, MockResponse failure, String error, SyncFailure.Kind kind) {
    sync.refresh(CLIENT_KEY);
    LoadedEnvironment good = sync.current(CLIENT_KEY).orElseThrow();
    Instant firstSuccess = clock.instant();
    clock.advance(Duration.ofSeconds(10));
    upstream.answer(failure);

    sync.refresh(CLIENT_KEY);

    assertSame(good, sync.current(CLIENT_KEY).orElseThrow());
    SyncStatus status = sync.status(CLIENT_KEY);
    if (error == null) { // a 304 for the cached document is a success
      assertEquals(0, status.consecutiveFailures());
      return;
    }
    assertTrue(status.lastError().orElseThrow().startsWith(error), status.lastError().get());
    assertEquals(1, status.consecutiveFailures());
    assertTrue(status.hasDocument());
    assertEquals(firstSuccess, status.lastSuccess().orElseThrow());
    assertEquals(clock.instant(), status.lastAttempt().orElseThrow());
    assertEquals(Duration.ofSeconds(10), status.staleness(clock.instant()));
    assertEquals("failure client-key 1 " + status.lastError().get(), listener.events.get(1));
    SyncFailure reported = listener.failures.get(0);
    assertEquals(kind, reported.kind());
    assertEquals(status.lastError().get(), reported.message());
    boolean fromStatus =
        kind == SyncFailure.Kind.HTTP_STATUS || kind == SyncFailure.Kind.UNAUTHORIZED;
    assertEquals(fromStatus, reported.httpStatus().isPresent(), reported.toString());
    if (kind == SyncFailure.Kind.INVALID_DOCUMENT || kind == SyncFailure.Kind.NETWORK) {
      assertTrue(reported.cause().isPresent(), "the parse or I/O exception is kept");
    }

    upstream.answer(ok(TestDocuments.version(2)));
    sync.refresh(CLIENT_KEY);
    assertEquals(
        List.of(
            "change client-key v1",
            "failure client-key 1 " + status.lastError().get(),
            "change client-key v2",
            "recovery client-key"),
        listener.events);
    assertEquals(0, sync.status(CLIENT_KEY).consecutiveFailures());
    assertTrue(sync.status(CLIENT_KEY).lastError().isEmpty());
  }

  @Test
  void refresh_304WithoutCachedDocument_errorNotCrash() {
    upstream.answer(new MockResponse.Builder().code(304).build());
    sync.refresh(CLIENT_KEY);
    SyncStatus status = sync.status(CLIENT_KEY);
    assertEquals(
        "upstream answered 304 Not Modified but no document is cached",
        status.lastError().orElseThrow());
    assertEquals(SyncFailure.Kind.PROTOCOL, listener.failures.get(0).kind());
    assertTrue(sync.current(CLIENT_KEY).isEmpty());
    assertEquals(SyncStatus.NEVER, status.staleness(clock.instant()));
  }

  @Test
  void refresh_repeatedFailures_streakCounted() {
    upstream.answer(TestDocuments.status(500));
    sync.refresh(CLIENT_KEY);
    sync.refresh(CLIENT_KEY);
    sync.refresh(CLIENT_KEY);
    assertEquals(3, sync.status(CLIENT_KEY).consecutiveFailures());
    assertEquals(3, listener.count("failure"));
    assertEquals(0, listener.count("recovery"));
  }

  @Test
  void refresh_oneEnvironmentFailing_othersUnaffected() {
    upstream.answer(
        request ->
            "ser.broken".equals(request.getHeaders().get("X-Environment-Key"))
                ? TestDocuments.status(500)
                : ok(TestDocuments.minimal()));
    try (EnvironmentSync two =
        EnvironmentSync.builder()
            .apiUrl(server.url("/api/v1").uri())
            .environment("ser.broken", "broken-client")
            .environment(SERVER_KEY, CLIENT_KEY)
            .build()) {
      two.refresh("broken-client");
      two.refresh(CLIENT_KEY);
      assertEquals(1, two.status("broken-client").consecutiveFailures());
      assertEquals(0, two.status(CLIENT_KEY).consecutiveFailures());
      assertTrue(two.current(CLIENT_KEY).isPresent());
      assertTrue(two.current("broken-client").isEmpty());
      assertEquals(
          List.of("broken-client", CLIENT_KEY),
          two.statuses().stream().map(SyncStatus::clientKey).toList());
    }
  }
}
