package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupCompactionTest {
  private static final long MB = 1 << 20;

  @Test
  void worthwhile_largeProcessFarBeyondTheHeapInUse_compacts() {
    assertTrue(StartupCompaction.worthwhile(OptionalLong.of(920 * MB), 490 * MB));
    assertTrue(StartupCompaction.worthwhile(OptionalLong.of(512 * MB), 256 * MB));
  }

  @Test
  void worthwhile_smallProcess_leavesTheHeapAlone() {
    assertFalse(StartupCompaction.worthwhile(OptionalLong.of(390 * MB), 80 * MB));
    assertFalse(StartupCompaction.worthwhile(OptionalLong.of(511 * MB), 0));
  }

  @Test
  void worthwhile_largeProcessMostlyHeapInUse_leavesTheHeapAlone() {
    assertFalse(StartupCompaction.worthwhile(OptionalLong.of(900 * MB), 700 * MB));
    assertFalse(StartupCompaction.worthwhile(OptionalLong.of(600 * MB), 345 * MB));
  }

  @Test
  void worthwhile_residentUnknown_leavesTheHeapAlone() {
    assertFalse(StartupCompaction.worthwhile(OptionalLong.empty(), 0));
  }

  @Test
  void residentBytes_readsVmRssOfAProcStatusFile(@TempDir Path dir) throws IOException {
    Path status = dir.resolve("status");
    Files.writeString(
        status,
        "Name:\tjava\nVmPeak:\t 7654321 kB\nVmHWM:\t  900000 kB\nVmRSS:\t  812345 kB\nThreads:\t40\n");
    assertEquals(OptionalLong.of(812345L * 1024), StartupCompaction.residentBytes(status));
  }

  @Test
  void residentBytes_missingOrMalformed_isEmpty(@TempDir Path dir) throws IOException {
    assertEquals(OptionalLong.empty(), StartupCompaction.residentBytes(dir.resolve("absent")));
    Path status = dir.resolve("status");
    Files.writeString(status, "VmRSS:\t lots\n");
    assertEquals(OptionalLong.empty(), StartupCompaction.residentBytes(status));
    Files.writeString(status, "Name:\tjava\n");
    assertEquals(OptionalLong.empty(), StartupCompaction.residentBytes(status));
  }

  @Test
  void residentBytes_thisProcessOnLinux_isItsResidentMemory() {
    OptionalLong resident = StartupCompaction.residentBytes(Path.of("/proc/self/status"));
    if (Files.isReadable(Path.of("/proc/self/status"))) {
      // a running JVM holds tens of megabytes at least
      assertTrue(resident.orElse(0) > 10 * MB, "resident: " + resident);
    }
  }
}
