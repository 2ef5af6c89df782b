package dev.flagedge.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** A scheduler whose tasks run only when the test runs them, on the test's thread. */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  private final List<Task<?>> tasks = new ArrayList<>();
  private boolean shutdown;

  /** The pending tasks' delays as requested, earliest first. */
  synchronized List<Duration> pendingDelays() {
    return tasks.stream()
        .filter(task -> !task.isCancelled())
        .map(task -> task.delay)
        .sorted()
        .toList();
  }

  /**
   * Waits until a task with the given delay is pending, for tasks scheduled from other threads (a
   * realtime stream's reopening, from OkHttp's reader thread).
   *
   * @throws AssertionError when none is after the timeout
   */
  synchronized void awaitPending(Duration delay, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!pendingDelays().contains(delay)) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "no task with a delay of "
                + delay
                + " after "
                + timeout
                + "; pending "
                + pendingDelays());
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Runs the pending task with the shortest delay. */
  void runNext() {
    Task<?> next;
    synchronized (this) {
      tasks.removeIf(Task::isCancelled);
      next = tasks.stream().min(Comparator.comparing(t -> t.delay)).orElseThrow();
      tasks.remove(next);
    }
    next.run();
  }

  @Override
  public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    Task<Object> task = new Task<>(Duration.ofNanos(unit.toNanos(delay)), command);
    tasks.add(task);
    notifyAll();
    return task;
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> pending = new ArrayList<>(tasks);
    tasks.clear();
    return pending;
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }

  private static final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    final Duration delay;

    Task(Duration delay, Runnable command) {
      super(command, null);
      this.delay = delay;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }
  }
}
