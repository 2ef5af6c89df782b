package dev.flagedge.sync;

import static dev.flagedge.sync.TestDocuments.CLIENT_KEY;
import static dev.flagedge.sync.TestDocuments.SERVER_KEY;
import static dev.flagedge.sync.TestDocuments.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scheduling decisions, driven by a manual scheduler and a manual clock. */
class PollerTest {
  private static final Duration INTERVAL = Duration.ofSeconds(10);

  private final MockWebServer server = new MockWebServer();
  private final StickyDispatcher upstream = new StickyDispatcher(TestDocuments.status(500));
  private final ManualScheduler scheduler = new ManualScheduler();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));

  @BeforeEach
  void startServer() throws IOException {
    server.setDispatcher(upstream);
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private EnvironmentSync.Builder builder(double jitter) {
    return EnvironmentSync.builder()
        .apiUrl(server.url("/api/v1").uri())
        .pollInterval(INTERVAL)
        .maxBackoff(Duration.ofSeconds(60))
        .clock(clock)
        .scheduler(scheduler)
        .jitter(() -> jitter)
        .environment(SERVER_KEY, CLIENT_KEY);
  }

  @Test
  void start_firstPollImmediately_thenBackoffWhileFailing_thenIntervalAfterRecovery() {
    try (EnvironmentSync sync = builder(0).build()) {
      sync.start();
      assertEquals(List.of(Duration.ZERO), scheduler.pendingDelays());
      scheduler.runNext(); // failure 1
      assertEquals(List.of(INTERVAL), scheduler.pendingDelays());
      scheduler.runNext(); // failure 2
      assertEquals(List.of(Duration.ofSeconds(20)), scheduler.pendingDelays());
      scheduler.runNext(); // failure 3
      assertEquals(List.of(Duration.ofSeconds(40)), scheduler.pendingDelays());
      scheduler.runNext(); // failure 4: capped
      assertEquals(List.of(Duration.ofSeconds(60)), scheduler.pendingDelays());
      assertEquals(4, sync.status(CLIENT_KEY).consecutiveFailures());

      upstream.answer(ok(TestDocuments.minimal()));
      scheduler.runNext();
      assertEquals(List.of(INTERVAL), scheduler.pendingDelays());
      assertTrue(sync.current(CLIENT_KEY).isPresent());
      assertEquals(clock.instant(), sync.status(CLIENT_KEY).lastSuccess().orElseThrow());
    }
  }

  @Test
  void poll_outOfMemory_handedToThreadsUncaughtHandler_pollingGoesOn() {
    upstream.answer(ok(TestDocuments.minimal()));
    SyncListener exhausted =
        new SyncListener() {
          @Override
          public void onChange(String clientKey, LoadedEnvironment current) {
            throw new OutOfMemoryError("Java heap space");
          }
        };
    List<Throwable> handled = new ArrayList<>();
    Thread thread = Thread.currentThread();
    Thread.UncaughtExceptionHandler previous = thread.getUncaughtExceptionHandler();
    thread.setUncaughtExceptionHandler((t, e) -> handled.add(e));
    try (EnvironmentSync sync = builder(0).listener(exhausted).build()) {
      sync.start();
      scheduler.runNext();
      assertEquals(1, handled.size());
      assertTrue(handled.get(0) instanceof OutOfMemoryError);
      assertEquals(1, scheduler.pendingDelays().size());
    } finally {
      thread.setUncaughtExceptionHandler(previous);
    }
  }

  @Test
  void poll_slowFetch_nextPollDueFromStartOfPrevious() {
    upstream.answer(
        request -> {
          clock.advance(Duration.ofSeconds(3));
          return ok(TestDocuments.minimal());
        });
    try (EnvironmentSync sync = builder(0.5).build()) {
      sync.start();
      scheduler.runNext();
      // 10 s less 10% jitter, less the 3 s the fetch took on the clock
      assertEquals(List.of(Duration.ofSeconds(6)), scheduler.pendingDelays());
    }
  }

  @Test
  void poll_attemptThrowsError_pollingContinues() {
    AtomicInteger calls = new AtomicInteger();
    SyncListener exploding =
        new SyncListener() {
          @Override
          public void onFailure(String clientKey, SyncFailure failure, int consecutiveFailures) {
            calls.incrementAndGet();
            throw new StackOverflowError("listener blew up");
          }
        };
    try (EnvironmentSync sync = builder(0).listener(exploding).build()) {
      sync.start();
      scheduler.runNext();
      scheduler.runNext();
      assertEquals(2, calls.get());
      assertEquals(1, scheduler.pendingDelays().size());
    }
  }

  @Test
  void poll_offlineFileFailing_recheckedEveryIntervalWithoutBackoff(@TempDir Path directory)
      throws IOException {
    Path file = directory.resolve("environment.json");
    Files.writeString(file, TestDocuments.minimal());
    try (EnvironmentSync sync =
        EnvironmentSync.builder()
            .pollInterval(INTERVAL)
            .clock(clock)
            .scheduler(scheduler)
            .jitter(() -> 0)
            .offlineEnvironment(file)
            .build()) {
      sync.start();
      assertEquals(List.of(INTERVAL), scheduler.pendingDelays());
      Files.writeString(file, "{broken");
      Files.setLastModifiedTime(
          file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2_000));
      scheduler.runNext();
      scheduler.runNext();
      assertEquals(2, sync.status(TestDocuments.CLIENT_KEY).consecutiveFailures());
      assertEquals(List.of(INTERVAL), scheduler.pendingDelays());
    }
  }

  @Test
  void close_pendingPollsCancelled() {
    EnvironmentSync sync = builder(0).build();
    sync.start();
    sync.close();
    assertEquals(List.of(), scheduler.pendingDelays());
    assertTrue(!scheduler.isShutdown(), "an injected scheduler is not ours to shut down");
  }
}
