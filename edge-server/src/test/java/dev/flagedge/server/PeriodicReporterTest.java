package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The reporters' shared shape: their thread, a report that throws, the last report on close. */
class PeriodicReporterTest {
  @Test
  void reports_onOwnDaemonThread_goOnAfterOneThrows() throws InterruptedException {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch secondRun = new CountDownLatch(1);
    List<Thread> threads = new CopyOnWriteArrayList<>();
    PeriodicReporter reporter =
        new PeriodicReporter(
            "test",
            Duration.ofMillis(1),
            Duration.ofSeconds(5),
            () -> {
              threads.add(Thread.currentThread());
              if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("a bug in one report");
              }
              secondRun.countDown();
            });
    try {
      assertTrue(secondRun.await(10, TimeUnit.SECONDS), "no report after the one that threw");
    } finally {
      reporter.close();
    }
    assertEquals("edge-server-test", threads.get(0).getName());
    assertTrue(threads.get(0).isDaemon());
  }

  @Test
  void close_reportsOnceMoreOnTheClosingThread_andStopsTheSchedule() {
    List<Thread> threads = new CopyOnWriteArrayList<>();
    PeriodicReporter reporter =
        new PeriodicReporter(
            "test",
            Duration.ofHours(1),
            Duration.ofSeconds(5),
            () -> threads.add(Thread.currentThread()));
    reporter.close();
    assertEquals(List.of(Thread.currentThread()), threads);
  }
}
