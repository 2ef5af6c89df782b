package dev.flagedge.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the start-up loads (snapshots, offline files) on one thread per core and waits for all:
 * compiling documents is CPU-bound, and a thousand of them one after another delays serving by
 * seconds. The threads end with the loads.
 */
final class StartupLoads {
  private StartupLoads() {}

  static void run(List<Runnable> loads) {
    int threads = Math.min(loads.size(), Runtime.getRuntime().availableProcessors());
    if (threads <= 1) {
      loads.forEach(Runnable::run);
      return;
    }
    AtomicInteger count = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            task -> {
              Thread thread = new Thread(task, "edge-sync-start-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<?>> pending = new ArrayList<>(loads.size());
      loads.forEach(load -> pending.add(pool.submit(load)));
      for (Future<?> load : pending) {
        await(load);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Waits for one load; a load's own failures are recorded by it, so only errors get here. */
  private static void await(Future<?> load) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          load.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true; // finish starting; the flag is restored below
        } catch (ExecutionException e) {
          if (e.getCause() instanceof Error error) {
            throw error;
          }
          throw new IllegalStateException("start-up load failed", e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
