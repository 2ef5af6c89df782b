package dev.flagedge.server;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The shape of the server's reports upstream (analytics, usage): a report runs on a daemon thread
 * of its own every interval, and once more, on the closing thread, when closed, so that what was
 * gathered since the last one is sent at shutdown. Reports send synchronously on that thread: a
 * slow upstream delays the next report, never a request. What a report throws is logged, and the
 * schedule goes on.
 */
final class PeriodicReporter implements AutoCloseable {
  private static final System.Logger logger = System.getLogger(PeriodicReporter.class.getName());

  private final String name;
  private final Runnable report;
  private final Duration closeWait;
  private final ScheduledExecutorService scheduler;
  private ScheduledFuture<?> schedule; // guarded by this
  private Duration interval; // guarded by this

  /**
   * @param name the report's name; its thread is {@code edge-server-<name>}
   * @param closeWait how long {@link #close()} waits for a report under way before the last one
   */
  PeriodicReporter(String name, Duration interval, Duration closeWait, Runnable report) {
    this.name = name;
    this.report = report;
    this.closeWait = closeWait;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "edge-server-" + name);
              thread.setDaemon(true);
              return thread;
            });
    interval(interval);
  }

  /**
   * Reports every {@code interval} from now on (a reloaded configuration): the next report comes
   * one new interval from now; what was gathered meanwhile is kept for it.
   */
  synchronized void interval(Duration interval) {
    if (interval.equals(this.interval)) {
      return;
    }
    if (schedule != null) {
      schedule.cancel(false);
    }
    this.interval = interval;
    try {
      schedule =
          scheduler.scheduleWithFixedDelay(
              this::run, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed: the last report has been sent
    }
  }

  private void run() {
    try {
      report.run();
    } catch (RuntimeException e) {
      logger.log(System.Logger.Level.ERROR, name + " report failed", e);
    }
  }

  /** Stops the schedule, waits for a report under way, then reports once more. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(closeWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    run();
  }
}
