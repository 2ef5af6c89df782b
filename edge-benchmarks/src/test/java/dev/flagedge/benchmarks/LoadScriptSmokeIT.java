package dev.flagedge.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Keeps the HTTP load harness from rotting: runs {@code load.sh --smoke} (2 s per case) against the
 * server jar built earlier in the same build. It runs after packaging (failsafe, in {@code verify})
 * because the script needs benchmarks.jar. No thresholds. Skipped when wrk is not installed and cannot
 * be installed.
 */
class LoadScriptSmokeIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void loadScript_smoke_printsAResultForEveryCase() throws Exception {
    assumeTrue(Files.isRegularFile(ROOT.resolve("edge-server/target/edge-server.jar")),
        "edge-server.jar is built by `mvn install` of the whole project");
    assumeTrue(Files.isRegularFile(ROOT.resolve("edge-benchmarks/target/benchmarks.jar")),
        "benchmarks.jar is built in the package phase");
    assumeTrue(wrkAvailable(), "wrk is not installed and `apt-get install -y wrk` failed");
    Process process = new ProcessBuilder("bash", "edge-benchmarks/load.sh", "--smoke")
        .directory(ROOT.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(3, TimeUnit.MINUTES), "load.sh --smoke timed out");
    assertEquals(0, process.exitValue(), output);
    assertTrue(output.contains("| flags simple"), output);
    assertTrue(output.contains("| baseline (static bytes)"), output);
  }

  private static boolean wrkAvailable() throws InterruptedException {
    return succeeds("bash", "-c", "command -v wrk")
        || succeeds("bash", "-c", "apt-get install -y -q wrk || (apt-get update -q && "
            + "apt-get install -y -q wrk)") && succeeds("bash", "-c", "command -v wrk");
  }

  private static boolean succeeds(String... command) throws InterruptedException {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return process.waitFor(3, TimeUnit.MINUTES) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
