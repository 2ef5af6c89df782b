package dev.flagedge.sync;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Schedules each environment's attempts: the next one is due {@link Backoff#delay(int)} after the
 * start of the previous one, measured on the configured clock (offline files are re-checked every
 * poll interval even while failing). At most {@code maxConcurrentFetches} attempts run at once,
 * {@link EnvironmentSync#refresh(String)} calls included. Nothing an attempt throws stops an
 * environment's schedule.
 */
final class Poller {
  private static final System.Logger logger = System.getLogger(Poller.class.getName());
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  private final ScheduledExecutorService executor;
  private final boolean ownsExecutor;
  private final Semaphore permits;
  private final Backoff backoff;
  private final InstantSource clock;
  private final Map<EnvironmentSlot, Future<?>> scheduled = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param executor the executor to schedule on, or null to create (and own) daemon threads named
   *     {@code edge-sync-<instance>-<n>}
   */
  Poller(
      ScheduledExecutorService executor,
      int maxConcurrentFetches,
      Backoff backoff,
      InstantSource clock) {
    this.ownsExecutor = executor == null;
    this.executor = ownsExecutor ? ownExecutor(maxConcurrentFetches) : executor;
    this.permits = new Semaphore(maxConcurrentFetches);
    this.backoff = backoff;
    this.clock = clock;
  }

  private static ScheduledExecutorService ownExecutor(int threads) {
    String prefix = "edge-sync-" + INSTANCES.incrementAndGet() + "-";
    AtomicInteger count = new AtomicInteger();
    ThreadFactory factory =
        task -> {
          Thread thread = new Thread(task, prefix + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(threads, factory);
    pool.setRemoveOnCancelPolicy(true);
    return pool;
  }

  /** Schedules the slot's first attempt after the given delay, then keeps it polling. */
  void schedule(EnvironmentSlot slot, Duration delay) {
    if (closed || slot.isClosed()) {
      return;
    }
    try {
      scheduled.put(
          slot, executor.schedule(() -> poll(slot), delay.toNanos(), TimeUnit.NANOSECONDS));
    } catch (RejectedExecutionException e) {
      if (!closed) {
        logger.log(Level.ERROR, "sync scheduler rejected a poll; polling has stopped", e);
      }
    }
  }

  /**
   * Runs one attempt now on the calling thread, within the concurrency bound.
   *
   * @return whether it succeeded; false when interrupted while waiting for a permit
   */
  boolean runNow(EnvironmentSlot slot) {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    try {
      return slot.sync();
    } finally {
      permits.release();
    }
  }

  /** Runs one attempt for the slot soon, on the poller's threads, besides its schedule. */
  void fetchSoon(EnvironmentSlot slot) {
    if (closed || slot.isClosed()) {
      return;
    }
    try {
      executor.execute(
          () -> {
            try {
              runNow(slot);
            } catch (Throwable t) {
              lastResort(t);
            }
          });
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  /** The executor attempts run on, for other timed work of the sync. */
  ScheduledExecutorService executor() {
    return executor;
  }

  /**
   * Brings every scheduled attempt due later than {@code delay} from now forward to then: after the
   * poll interval shrinks, no environment waits out the old, longer one.
   */
  void dueWithin(Duration delay) {
    scheduled.forEach(
        (slot, future) -> {
          if (future instanceof ScheduledFuture<?> timed
              && timed.getDelay(TimeUnit.NANOSECONDS) > delay.toNanos()
              && future.cancel(false)) {
            schedule(slot, delay);
          }
        });
  }

  /** Stops polling a slot (an environment no longer served). */
  void cancel(EnvironmentSlot slot) {
    Future<?> future = scheduled.remove(slot);
    if (future != null) {
      future.cancel(false);
    }
  }

  /**
   * Runs a task now and then every {@code interval} from the start of the previous run, on the
   * poller's threads but outside the fetch bound; what it throws is logged (fatal errors go to the
   * thread's handler) and never stops it.
   */
  void repeat(Runnable task, Supplier<Duration> interval) {
    scheduleRepeat(task, interval, Duration.ZERO);
  }

  private void scheduleRepeat(Runnable task, Supplier<Duration> interval, Duration delay) {
    if (closed) {
      return;
    }
    try {
      executor.schedule(
          () -> {
            Instant started = clock.instant();
            try {
              task.run();
            } catch (Throwable t) {
              lastResort(t);
            } finally {
              Duration wait = Duration.between(clock.instant(), started.plus(interval.get()));
              scheduleRepeat(task, interval, wait.isNegative() ? Duration.ZERO : wait);
            }
          },
          delay.toNanos(),
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      if (!closed) {
        logger.log(Level.ERROR, "sync scheduler rejected a task; it has stopped", e);
      }
    }
  }

  private static void lastResort(Throwable t) {
    if (EnvironmentSlot.isFatal(t)) {
      // A scheduled task's failure would only end up in its Future, unseen: hand it to the
      // thread's handler, where an application (edge-server does) decides to end the process.
      Thread thread = Thread.currentThread();
      thread.getUncaughtExceptionHandler().uncaughtException(thread, t);
    } else {
      logger.log(Level.ERROR, "unexpected failure in sync poller", t);
    }
  }

  private void poll(EnvironmentSlot slot) {
    if (closed || slot.isClosed()) {
      scheduled.remove(slot);
      return;
    }
    Instant started = clock.instant();
    try {
      runNow(slot);
    } catch (Throwable t) { // slot.sync() records its own failures; this is a last line of defence
      lastResort(t);
    } finally {
      if (!slot.isClosed()) {
        Instant due =
            started.plus(backoff.delay(backsOff(slot) ? slot.status().consecutiveFailures() : 0));
        Duration wait = Duration.between(clock.instant(), due);
        schedule(slot, wait.isNegative() ? Duration.ZERO : wait);
      }
    }
  }

  /** Whether failures slow the slot's polling down; not for local files, cheap to re-read. */
  private static boolean backsOff(EnvironmentSlot slot) {
    return slot.source().kind() != LoadedEnvironment.Source.FILE;
  }

  /** Cancels every scheduled attempt and, for an own executor, stops its threads. */
  void close() {
    closed = true;
    scheduled.values().forEach(future -> future.cancel(false));
    scheduled.clear();
    if (ownsExecutor) {
      executor.shutdownNow();
      try {
        if (!executor.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          logger.log(Level.WARNING, "sync threads still running {0} after close", CLOSE_WAIT);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
