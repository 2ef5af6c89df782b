package dev.flagedge.openfeature;

import dev.flagedge.sync.FlagEdgeClient;
import dev.flagedge.sync.SyncStatus;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches a client the provider did not build, and so cannot listen to, by reading its {@link
 * SyncStatus} every interval: a new {@code lastChange} is a document change, and the failure
 * count's rise from and return to zero are a failure and a recovery. Runs on one daemon thread,
 * {@code flagedge-openfeature-watcher}, stopped by {@link #close()}.
 */
final class StatusWatcher implements AutoCloseable {
  private static final System.Logger logger = System.getLogger(StatusWatcher.class.getName());

  private final FlagEdgeClient client;
  private final ChangeTracker tracker;
  private final ScheduledExecutorService executor;
  // Confined to the executor thread after start.
  private Optional<Instant> lastChange;
  private int failures;

  StatusWatcher(FlagEdgeClient client, ChangeTracker tracker, SyncStatus baseline) {
    this.client = client;
    this.tracker = tracker;
    this.lastChange = baseline.hasDocument() ? baseline.lastChange() : Optional.empty();
    this.failures = baseline.consecutiveFailures();
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "flagedge-openfeature-watcher");
              thread.setDaemon(true);
              return thread;
            });
  }

  void start(Duration interval) {
    long nanos = interval.toNanos();
    executor.scheduleWithFixedDelay(this::checkSafely, nanos, nanos, TimeUnit.NANOSECONDS);
  }

  private void checkSafely() {
    try {
      check();
    } catch (RuntimeException e) {
      logger.log(Level.WARNING, "watching the flags client failed", e);
    }
  }

  void check() {
    SyncStatus status = client.status();
    if (status.hasDocument() && !status.lastChange().equals(lastChange)) {
      lastChange = status.lastChange();
      tracker.documentChanged(client.environmentFlags().all());
    }
    int now = status.consecutiveFailures();
    if (now > 0 && failures == 0) {
      tracker.failed(status.lastError().orElse("sync failed"));
    } else if (now == 0 && failures > 0) {
      tracker.recovered();
    }
    failures = now;
  }

  /** Stops watching; idempotent. */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
