package dev.flagedge.server;

import java.lang.reflect.Method;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor requests run on. The JDK server reads a request's headers and body on the worker
 * that handles it, so a client sending slowly holds its worker until the request deadline
 * ({@link Limits#REQUEST_TIMEOUT}). Workers must therefore be cheap to hold:
 * <ul>
 *   <li>on Java 21+, a virtual thread per request: a parked reader costs a few hundred bytes;</li>
 *   <li>on Java 17, platform threads that grow on demand up to {@link #MAX_PLATFORM_THREADS} before
 *       anything queues (a plain fixed pool would queue behind a few slow clients), and shrink back
 *       when idle.</li>
 * </ul>
 * Each task records when it was queued, so a request that waited too long under overload is answered
 * 503 at once instead of adding to the backlog. A fatal JVM error in a task ends the process.
 */
final class WorkerPool implements Executor {
  /** Enough for hundreds of slow clients at ~100 KB of touched stack each, bounded for memory. */
  static final int MAX_PLATFORM_THREADS = 512;
  private static final ThreadLocal<Long> QUEUED_AT = new ThreadLocal<>();

  private final ExecutorService delegate;
  private final FatalErrors fatalErrors;

  WorkerPool(FatalErrors fatalErrors) {
    this(fatalErrors, virtualThreads());
  }

  WorkerPool(FatalErrors fatalErrors, boolean useVirtualThreads) {
    this.fatalErrors = fatalErrors;
    this.delegate = useVirtualThreads ? newVirtualThreadExecutor() : newPlatformPool();
  }

  @Override
  public void execute(Runnable task) {
    long queuedAt = System.nanoTime();
    try {
      delegate.execute(() -> {
        QUEUED_AT.set(queuedAt);
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          fatalErrors.checkFatal(e);
          throw e;
        } finally {
          QUEUED_AT.remove();
        }
      });
    } catch (VirtualMachineError e) {
      // Called on the JDK's dispatcher thread, which would log this at TRACE and carry on.
      fatalErrors.checkFatal(e);
      throw e;
    }
  }

  /** Whether the request on this thread waited for a worker longer than the limit. */
  static boolean waitedTooLong() {
    Long queuedAt = QUEUED_AT.get();
    return queuedAt != null && System.nanoTime() - queuedAt > Limits.MAX_QUEUE_WAIT.toNanos();
  }

  void shutdown() {
    delegate.shutdown();
  }

  /** Whether this JDK has virtual threads (21+). */
  static boolean virtualThreads() {
    return virtualThreadFactory() != null;
  }

  private static Method virtualThreadFactory() {
    try {
      return Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  private static ExecutorService newVirtualThreadExecutor() {
    try {
      return (ExecutorService) virtualThreadFactory().invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("virtual threads are not available", e);
    }
  }

  private static ExecutorService newPlatformPool() {
    int core = Math.max(16, Runtime.getRuntime().availableProcessors() * 8);
    AtomicInteger count = new AtomicInteger();
    ThreadFactory factory = runnable -> {
      Thread thread = new Thread(runnable, "edge-server-worker-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    return new GrowingPool(core, MAX_PLATFORM_THREADS, factory);
  }

  /**
   * A pool that adds a thread, up to its maximum, rather than queue a task while every thread is
   * busy; a plain {@link ThreadPoolExecutor} grows only when its queue refuses, i.e. never with an
   * unbounded queue. Idle threads above the core size end after 30 seconds.
   */
  private static final class GrowingPool extends ThreadPoolExecutor {
    private final AtomicInteger inFlight = new AtomicInteger();

    GrowingPool(int core, int max, ThreadFactory factory) {
      super(core, max, 30, TimeUnit.SECONDS, new GrowFirstQueue(), factory,
          (task, pool) -> ((GrowFirstQueue) pool.getQueue()).force(task));
      ((GrowFirstQueue) getQueue()).pool = this;
    }

    @Override
    public void execute(Runnable task) {
      inFlight.incrementAndGet();
      try {
        super.execute(task);
      } catch (RuntimeException | Error e) {
        inFlight.decrementAndGet();
        throw e;
      }
    }

    @Override
    protected void afterExecute(Runnable task, Throwable failure) {
      inFlight.decrementAndGet();
    }

    /** Whether a thread is free to take one more task (tasks are only submitted by the dispatcher). */
    boolean hasIdleThread() {
      return inFlight.get() <= getPoolSize();
    }
  }

  /** Refuses a task while the pool should grow instead; see {@link GrowingPool}. */
  private static final class GrowFirstQueue extends LinkedBlockingQueue<Runnable> {
    private static final long serialVersionUID = 1L;
    transient GrowingPool pool;

    @Override
    public boolean offer(Runnable task) {
      if (!pool.hasIdleThread() && pool.getPoolSize() < pool.getMaximumPoolSize()) {
        return false;
      }
      return super.offer(task);
    }

    /** For a task refused because the pool reached its maximum meanwhile: queue it after all. */
    void force(Runnable task) {
      super.offer(task);
    }
  }
}
