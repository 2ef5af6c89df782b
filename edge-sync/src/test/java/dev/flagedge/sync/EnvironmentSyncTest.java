package dev.flagedge.sync;

import static dev.flagedge.sync.TestDocuments.CLIENT_KEY;
import static dev.flagedge.sync.TestDocuments.SERVER_KEY;
import static dev.flagedge.sync.TestDocuments.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flagedge.sync.internal.Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lifecycle, change notification and concurrency. */
class EnvironmentSyncTest {
  private final MockWebServer server = new MockWebServer();
  private final StickyDispatcher upstream = new StickyDispatcher(ok(TestDocuments.minimal()));
  private final RecordingListener listener = new RecordingListener();

  @BeforeEach
  void startServer() throws IOException {
    server.setDispatcher(upstream);
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private EnvironmentSync.Builder builder() {
    return EnvironmentSync.builder()
        .apiUrl(server.url("/api/v1").uri())
        .listener(listener)
        .environment(SERVER_KEY, CLIENT_KEY);
  }

  @Test
  void refresh_sameContentAgain_listenerNotifiedOnlyOnRealChange() {
    try (EnvironmentSync sync = builder().build()) {
      sync.refresh(CLIENT_KEY);
      LoadedEnvironment first = sync.current(CLIENT_KEY).orElseThrow();
      sync.refresh(CLIENT_KEY); // upstream without 304 support: same bytes again
      assertEquals(first, sync.current(CLIENT_KEY).orElseThrow());
      upstream.answer(ok(TestDocuments.version(2)));
      sync.refresh(CLIENT_KEY);
      sync.refresh(CLIENT_KEY);
      assertEquals(List.of("change client-key v1", "change client-key v2"), listener.events);
      assertTrue(sync.status(CLIENT_KEY).lastChange().isPresent());
    }
  }

  @Test
  void reconfigure_shorterIntervalAndNewApiUrl_nextPollDueAtOnceFromTheNewUpstream()
      throws IOException {
    ManualScheduler scheduler = new ManualScheduler();
    try (MockWebServer other = new MockWebServer()) {
      other.setDispatcher(new StickyDispatcher(ok(TestDocuments.version(2))));
      other.start();
      try (EnvironmentSync sync =
          builder()
              .scheduler(scheduler)
              .clock(new MutableClock(java.time.Instant.parse("2026-12-07T00:00:00Z")))
              .jitter(() -> 0)
              .pollInterval(Duration.ofDays(1))
              .build()) {
        sync.start();
        scheduler.runNext(); // the first fetch
        assertEquals(List.of(Duration.ofDays(1)), scheduler.pendingDelays());

        sync.reconfigure(
            EnvironmentSync.builder()
                .apiUrl(other.url("/api/v1").uri())
                .pollInterval(Duration.ofSeconds(1)));
        assertEquals(List.of(Duration.ofSeconds(1)), scheduler.pendingDelays());
        scheduler.runNext();
        assertEquals(1, other.getRequestCount(), "fetched from the new API URL");
        assertEquals(List.of(Duration.ofSeconds(1)), scheduler.pendingDelays());
        assertEquals(List.of("change client-key v1", "change client-key v2"), listener.events);
      }
    }
  }

  @Test
  void start_realThreads_firstPollImmediately() {
    try (EnvironmentSync sync = builder().build()) {
      assertFalse(sync.awaitFirstSync(Duration.ZERO));
      sync.start();
      sync.start(); // idempotent
      assertTrue(sync.awaitFirstSync(Duration.ofSeconds(10)));
      assertEquals(1, listener.count("change"));
    }
  }

  @Test
  void awaitFirstSync_upstreamDown_falseAfterTimeout() {
    upstream.answer(TestDocuments.status(500));
    try (EnvironmentSync sync = builder().build()) {
      sync.start();
      assertFalse(sync.awaitFirstSync(Duration.ofMillis(200)));
    }
  }

  @Test
  void refresh_connectionRefused_reportedAsConnectionFailure() {
    try (EnvironmentSync sync =
        EnvironmentSync.builder()
            .apiUrl(java.net.URI.create("http://127.0.0.1:" + closedPort() + "/api/v1"))
            .environment(SERVER_KEY, CLIENT_KEY)
            .build()) {
      sync.refresh(CLIENT_KEY);
      assertTrue(
          sync.status(CLIENT_KEY)
              .lastError()
              .orElseThrow()
              .startsWith("upstream connection failed: ConnectException"),
          sync.status(CLIENT_KEY).lastError().get());
    }
  }

  private static int closedPort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void current_concurrentReadersDuringSwaps_alwaysCompleteAndConsistent() throws Exception {
    AtomicInteger version = new AtomicInteger(1);
    upstream.answer(request -> ok(TestDocuments.version(version.get())));
    int readers = 4;
    int swaps = 60;
    try (EnvironmentSync sync = builder().build()) {
      sync.refresh(CLIENT_KEY);
      AtomicBoolean done = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(readers);
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < readers; i++) {
        results.add(pool.submit(() -> readUntil(sync, done)));
      }
      for (int v = 2; v <= swaps; v++) {
        version.set(v);
        sync.refresh(CLIENT_KEY);
      }
      done.set(true);
      pool.shutdown();
      for (Future<Integer> result : results) {
        assertTrue(result.get(30, TimeUnit.SECONDS) > 0);
      }
      assertEquals(swaps, listener.count("change"));
    }
  }

  /** Reads until done, checking each read is one whole document; returns the number of reads. */
  private static int readUntil(EnvironmentSync sync, AtomicBoolean done) {
    int reads = 0;
    int lastSeen = 0;
    while (!done.get() || reads == 0) {
      LoadedEnvironment loaded = sync.current(CLIENT_KEY).orElseThrow();
      byte[] json = loaded.documentJson();
      String value = loaded.environment().environmentFlag("banner").orElseThrow().valueJson();
      int seen = Integer.parseInt(value.substring(2, value.length() - 1));
      String text = new String(json, StandardCharsets.UTF_8);
      if (!Keys.sha256Hex(json).equals(loaded.contentHash())
          || !text.contains("\"feature_state_value\":" + value)
          || !text.contains("\"updated_at\":\"" + loaded.environment().updatedAt().orElseThrow())
          || seen < lastSeen) {
        throw new AssertionError("inconsistent read: " + loaded + " " + value);
      }
      Thread.yield();
      lastSeen = seen;
      reads++;
    }
    return reads;
  }

  @Test
  void close_duringHangingFetch_returnsPromptlyAndStopsThreads() throws Exception {
    AtomicReference<Thread> pollerThread = new AtomicReference<>();
    CountDownLatch firstChange = new CountDownLatch(1);
    SyncListener capture =
        new SyncListener() {
          @Override
          public void onChange(String clientKey, LoadedEnvironment current) {
            pollerThread.set(Thread.currentThread());
            firstChange.countDown();
          }
        };
    EnvironmentSync sync =
        builder()
            .listener(capture)
            .pollInterval(Duration.ofMillis(10))
            .requestTimeout(Duration.ofSeconds(60))
            .maxConcurrentFetches(1)
            .build();
    sync.start();
    assertTrue(firstChange.await(10, TimeUnit.SECONDS));
    CountDownLatch stalled = new CountDownLatch(1);
    upstream.answer(
        request -> {
          stalled.countDown();
          return ok(TestDocuments.version(2))
              .newBuilder()
              .onResponseStart(SocketEffect.Stall.INSTANCE)
              .build();
        });
    assertTrue(stalled.await(10, TimeUnit.SECONDS), "no poll reached the stalled response");
    int failuresBefore = (int) listener.count("failure");

    long start = System.nanoTime();
    sync.close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "close took " + took);
    Thread thread = pollerThread.get();
    assertNotNull(thread);
    assertTrue(thread.getName().startsWith("edge-sync-"), thread.getName());
    assertTrue(thread.isDaemon());
    thread.join(TimeUnit.SECONDS.toMillis(2));
    assertFalse(thread.isAlive(), "poller thread still alive after close");
    assertEquals(failuresBefore, listener.count("failure"), "canceled fetch reported as failure");
    assertTrue(sync.current(CLIENT_KEY).isPresent(), "documents stay readable after close");
    sync.close(); // idempotent
  }

  @Test
  void lifecycle_afterClose_startRejectedRefreshIgnored() {
    EnvironmentSync sync = builder().build();
    sync.close();
    assertThrows(IllegalStateException.class, sync::start);
    sync.refresh(CLIENT_KEY);
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void lookups_unknownOrConfiguredKeys() {
    try (EnvironmentSync sync = builder().build()) {
      assertEquals(java.util.Optional.of(CLIENT_KEY), sync.clientKeyOf(SERVER_KEY));
      assertTrue(sync.clientKeyOf("ser.other").isEmpty());
      assertTrue(sync.current("nope").isEmpty());
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> sync.status("nope-nope"));
      assertEquals("unknown client key: nope…", e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> sync.refresh("nope"));
      assertEquals(java.util.Set.of(CLIENT_KEY), sync.clientKeys());
      SyncStatus fresh = sync.status(CLIENT_KEY);
      assertFalse(fresh.hasDocument());
      assertTrue(fresh.lastAttempt().isEmpty());
      assertEquals(SyncStatus.NEVER, fresh.staleness(java.time.Instant.now()));
    }
  }
}
