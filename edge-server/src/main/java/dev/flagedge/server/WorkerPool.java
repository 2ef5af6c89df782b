package dev.flagedge.server;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.lang.reflect.Method;
import java.util.concurrent.Executor;

/**
 * The executor requests run on: virtual threads where the JDK has them (21+), else a fixed pool. Each
 * task records when it was queued, so a request that waited too long under overload is answered 503
 * at once instead of adding to the backlog.
 */
final class WorkerPool implements Executor {
  private static final ThreadLocal<Long> QUEUED_AT = new ThreadLocal<>();

  private final ExecutorService delegate;

  WorkerPool() {
    this.delegate = newExecutor();
  }

  @Override
  public void execute(Runnable task) {
    long queuedAt = System.nanoTime();
    delegate.execute(() -> {
      QUEUED_AT.set(queuedAt);
      try {
        task.run();
      } finally {
        QUEUED_AT.remove();
      }
    });
  }

  /** Whether the request on this thread waited for a worker longer than the limit. */
  static boolean waitedTooLong() {
    Long queuedAt = QUEUED_AT.get();
    return queuedAt != null && System.nanoTime() - queuedAt > Limits.MAX_QUEUE_WAIT.toNanos();
  }

  void shutdown() {
    delegate.shutdown();
  }

  private static ExecutorService newExecutor() {
    try {
      Method virtual = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
      return (ExecutorService) virtual.invoke(null);
    } catch (ReflectiveOperationException e) {
      int threads = Math.max(16, Runtime.getRuntime().availableProcessors() * 8);
      return Executors.newFixedThreadPool(threads, runnable -> {
        Thread thread = new Thread(runnable, "edge-server-worker");
        thread.setDaemon(true);
        return thread;
      });
    }
  }
}
