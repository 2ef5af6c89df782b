package dev.flagedge.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.flagedge.engine.Environment;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Load time and heap footprint of one document, measured the way a server start-up sees them: a
 * fresh JVM reads the file and compiles it, cold and then again warm. Run it under the heap limit
 * to check, e.g. {@code java -Xmx512m -cp benchmarks.jar dev.flagedge.benchmarks.LoadFootprint
 * huge.json 5}.
 *
 * <p>Prints each load's wall time, the heap retained by the compiled environment after a full GC
 * (document bytes released), and the largest heap occupancy left after any collection during the
 * loads: an upper bound of the live set the loads needed (a run that finishes under {@code -Xmx}
 * shows the limit suffices).
 */
public final class LoadFootprint {
  private LoadFootprint() {}

  /**
   * @param args the document file, then optionally the number of loads (default 5)
   * @throws IOException if the file cannot be read
   */
  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: LoadFootprint DOCUMENT.json [LOADS]");
      System.exit(2);
    }
    int loads = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long before = usedAfterGc(memory);
    AtomicLong maxAfterGc = watchCollections();
    byte[] json = Files.readAllBytes(Path.of(args[0]));
    System.out.printf(
        "document: %s, %.1f MB, max heap %d MB%n",
        args[0], json.length / 1e6, Runtime.getRuntime().maxMemory() >> 20);
    Environment environment = null;
    long best = Long.MAX_VALUE;
    for (int i = 1; i <= loads; i++) {
      environment = null;
      long start = System.nanoTime();
      environment = Environment.parse(json);
      long elapsed = System.nanoTime() - start;
      best = Math.min(best, elapsed);
      System.out.printf("load %d: %,d ms%s%n", i, elapsed / 1_000_000, i == 1 ? " (cold)" : "");
    }
    long loadPeak = maxAfterGc.get();
    json = null;
    long retained = usedAfterGc(memory) - before;
    System.out.printf("best load: %,d ms; %s%n", best / 1_000_000, environment);
    System.out.printf("retained by the compiled environment: %.1f MB%n", retained / 1048576.0);
    System.out.printf(
        "max heap used after any GC during the loads: %.1f MB%n", loadPeak / 1048576.0);
  }

  private static long usedAfterGc(MemoryMXBean memory) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** Tracks the largest heap occupancy left after any collection (all heap pools summed). */
  private static AtomicLong watchCollections() {
    AtomicLong max = new AtomicLong();
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) collector)
          .addNotificationListener(
              (notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                    notification.getType())) {
                  GarbageCollectionNotificationInfo info =
                      GarbageCollectionNotificationInfo.from(
                          (CompositeData) notification.getUserData());
                  long used = 0;
                  for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP) {
                      used +=
                          info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName()).getUsed();
                    }
                  }
                  max.accumulateAndGet(used, Math::max);
                }
              },
              null,
              null);
    }
    return max;
  }
}
