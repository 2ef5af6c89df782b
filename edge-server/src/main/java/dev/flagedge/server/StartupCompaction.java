package dev.flagedge.server;

import dev.flagedge.sync.EnvironmentSync;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Once every environment has its first document: logs how long that took and, when it pays, runs
 * one full collection. The JVM sized its heap for the burst of compiling every document at start-up
 * and only a full collection gives that memory back; but it also shrinks the heap to about three
 * times what is live, and under load the collector then grows a small heap again in steps that
 * overshoot. So it runs only for a large process with much to give back: 1,000 heavy environments
 * leave ~920 MB resident, ~430 MB beyond the heap in use (idle RSS 1,050 MB without the collection,
 * 580–860 MB with it); 200 leave ~390 MB resident (peak RSS under load 360–430 MB without the
 * collection, 440–770 MB with it).
 */
final class StartupCompaction {
  private static final System.Logger logger = System.getLogger(StartupCompaction.class.getName());

  /** The resident memory from which a full collection may pay. */
  static final long LARGE_PROCESS_BYTES = 512L << 20;

  /**
   * The resident memory beyond the heap in use that a full collection must be able to give back.
   */
  static final long WORTHWHILE_BYTES = 256L << 20;

  private static final Path PROC_STATUS = Path.of("/proc/self/status");

  private StartupCompaction() {}

  /**
   * Starts a daemon thread that waits for the first documents (each compressed as it arrived, which
   * freed its uncompressed bytes), then logs and maybe compacts.
   */
  static Thread start(EnvironmentSync sync, DocumentCompression documents) {
    Thread thread =
        new Thread(
            () -> {
              // False also when interrupted: the server is closing.
              if (sync.awaitFirstSync(Duration.ofHours(1))) {
                loaded(sync.clientKeys().size(), documents.releasedBytes());
              }
            },
            "edge-server-compact");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void loaded(int environments, long released) {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    OptionalLong resident = residentBytes(PROC_STATUS);
    // The documents' uncompressed copies are counted in use until the old generation is collected,
    // though nothing refers to them any more: 246 MB for 1,000 heavy documents.
    boolean compact = worthwhile(resident, Math.max(0, heap.getUsed() - released));
    logger.log(
        System.Logger.Level.INFO,
        "all {0} environment(s) loaded and their documents compressed {1} ms after the JVM"
            + " started; heap in use {2} MB ({3} MB of it uncompressed documents dropped),"
            + " resident {4}{5}",
        environments,
        ManagementFactory.getRuntimeMXBean().getUptime(),
        heap.getUsed() >> 20,
        released >> 20,
        resident.isPresent() ? (resident.getAsLong() >> 20) + " MB" : "unknown",
        compact ? "; compacting the heap" : "");
    if (compact) {
      System.gc();
    }
  }

  /**
   * Whether a full collection pays: the process holds at least {@link #LARGE_PROCESS_BYTES}, of
   * which at least {@link #WORTHWHILE_BYTES} beyond the heap in use. Unknown resident memory (no
   * {@code /proc}): no.
   */
  static boolean worthwhile(OptionalLong residentBytes, long heapUsedBytes) {
    if (residentBytes.isEmpty()) {
      return false;
    }
    long resident = residentBytes.getAsLong();
    return resident >= LARGE_PROCESS_BYTES && resident - heapUsedBytes >= WORTHWHILE_BYTES;
  }

  /** The {@code VmRSS} of a Linux {@code /proc/<pid>/status} file; empty when unreadable. */
  static OptionalLong residentBytes(Path status) {
    try {
      for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
        if (line.startsWith("VmRSS:")) {
          String kilobytes = line.substring("VmRSS:".length()).replace("kB", "").trim();
          return OptionalLong.of(Long.parseLong(kilobytes) * 1024);
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      // not Linux, or a format we do not know: leave the heap alone
    }
    return OptionalLong.empty();
  }
}
