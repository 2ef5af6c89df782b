package dev.flagedge.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the HTTP load harness from rotting: runs {@code load.sh --smoke} (2 s per case) and the
 * {@code --smoke} mode of every other scenario ({@code load.sh --scale}, {@code --startup}, {@code
 * --otel}, {@code --slow-clients}, {@code --streams}, {@code soak.sh --scale}: tiny N, about 1 s
 * per case; {@code alloc.sh} with 1 s runs) against the server jar built earlier in the same build,
 * and checks that each printed its table with a result row. It runs after packaging (failsafe, in
 * {@code verify}) because the scripts need benchmarks.jar; edge-server comes earlier in the reactor
 * (module order, root pom). No thresholds. Needs wrk, which it does not install ({@code
 * .ci/install} does): without it the tests are skipped, or fail under CI (environment variable
 * {@code CI} set). Every run gets free ports, so a busy 8000 does not matter.
 */
class LoadScriptSmokeIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** A table row whose first numeric cell is the given number: {@code | 5 | …}. */
  private static final String ROW = "(?m)^\\|\\s+%s\\s+\\|\\s+[0-9.]+\\s+\\|";

  @BeforeAll
  static void prerequisites() throws InterruptedException {
    assumeTrue(
        Files.isRegularFile(ROOT.resolve("edge-server/target/edge-server.jar")),
        "edge-server.jar is built by `mvn install` of the whole project");
    assumeTrue(
        Files.isRegularFile(ROOT.resolve("edge-benchmarks/target/benchmarks.jar")),
        "benchmarks.jar is built in the package phase");
    if (!succeeds("bash", "-c", "command -v wrk")) {
      String missing = "wrk not found: run .ci/install or apt-get install wrk";
      if (System.getenv("CI") != null) {
        fail(missing + " (CI is set: these tests must run, not be skipped)");
      }
      abort(missing);
    }
  }

  @Test
  void loadScript_smoke_printsAResultForEveryCase() throws Exception {
    String output = run(freePorts(), "edge-benchmarks/load.sh", "--smoke");
    assertTrue(output.contains("| flags simple"), output);
    assertTrue(output.contains("| baseline (static bytes)"), output);
  }

  @Test
  void scale_smoke_printsARowPerCase() throws Exception {
    String output = run(freePorts(), "edge-benchmarks/load.sh", "--scale", "--smoke");
    assertTrue(output.contains("| identities heavy, 15 traits, new id, 3 keys"), output);
    assertTrue(
        output.contains("| identities heavy, 15 traits, new id, 3 keys, paced 200/s"), output);
    assertTrue(output.contains("| identities heavy, 15 traits, new id, 1 key"), output);
    assertTrue(output.contains("| OFREP bulk heavy, 15 traits, new id, 1 key"), output);
    assertTrue(output.contains("| OFREP one flag heavy, 15 traits, new id, 1 key"), output);
    assertTrue(output.contains("| flags simple, 1 key"), output);
    assertTrue(output.contains("| p99.9 ms |  max ms |"), output);
    assertFalse(output.contains("|     -1 |"), "a wrk run failed:\n" + output);
  }

  @Test
  void startup_smoke_printsTheStartupRowAndTheCpuAtReadiness() throws Exception {
    String output = run(freePorts(), "edge-benchmarks/load.sh", "--startup", "--smoke");
    assertTrue(Pattern.compile(String.format(ROW, 5)).matcher(output).find(), output);
    assertTrue(
        Pattern.compile("server CPU at readiness: [0-9.]+ s \\(sync threads [0-9.]+, JIT")
            .matcher(output)
            .find(),
        output);
  }

  @Test
  void slowClients_smoke_printsARowWithAndWithoutSlowClients() throws Exception {
    String output = run(freePorts(), "edge-benchmarks/load.sh", "--slow-clients", "--smoke");
    assertTrue(Pattern.compile(String.format(ROW, 0)).matcher(output).find(), output);
    assertTrue(Pattern.compile(String.format(ROW, 5)).matcher(output).find(), output);
  }

  @Test
  void streams_smoke_printsTheRowAndEveryChange() throws Exception {
    String output = run(freePorts(), "edge-benchmarks/load.sh", "--streams", "--smoke");
    assertTrue(Pattern.compile(String.format(ROW, 20)).matcher(output).find(), output);
    assertTrue(output.contains("change 1: first event after"), output);
    assertTrue(output.contains("20 of 20 streams"), output);
  }

  @Test
  void otel_smoke_printsEveryModeAndTheSpansKept() throws Exception {
    String output = run(freePorts(), "edge-benchmarks/load.sh", "--otel", "--smoke");
    for (String mode : List.of("off", "every request sampled", "traceidratio 0.01")) {
      assertTrue(output.contains("| flags heavy, tracing " + mode), output);
      assertTrue(output.contains("| identities heavy, 15 traits, new id, tracing " + mode), output);
    }
    for (String kind : List.of("flags", "identities")) {
      for (String mode : List.of("every request sampled", "traceidratio 0\\.01")) {
        String summary =
            "\\| "
                + kind
                + ", tracing "
                + mode
                + " \\| \\d+% \\| \\d+% \\| \\d\\.\\d\\d \\| \\d+ \\|";
        assertTrue(Pattern.compile(summary).matcher(output).find(), summary + "\n" + output);
      }
    }
    assertFalse(output.contains("|     -1 |"), "a wrk run failed:\n" + output);
  }

  @Test
  void soakScale_smoke_printsSlicesAndTheEndState() throws Exception {
    String output = run(freePorts(), "edge-benchmarks/soak.sh", "--scale", "--smoke");
    assertTrue(Pattern.compile(String.format(ROW, 1)).matcher(output).find(), output);
    assertTrue(output.contains("newest document served:"), output);
  }

  @Test
  void alloc_smoke_printsBytesAndCpuPerRequest() throws Exception {
    Map<String, String> environment = new HashMap<>(freePorts());
    environment.put("DURATION", "1");
    environment.put("WARMUP", "1");
    String output = run(environment, "edge-benchmarks/alloc.sh");
    Pattern unique =
        Pattern.compile(
            "\\| identities heavy 15 traits, unique +\\| +[1-9][0-9]* \\| +[0-9,]+ \\|");
    assertTrue(unique.matcher(output).find(), output);
    assertTrue(output.contains("| OFREP bulk heavy 15 traits, unique"), output);
    assertTrue(output.contains("| OFREP one flag heavy 15 traits, unique"), output);
    assertTrue(output.contains("| flags heavy"), output);
  }

  private static String run(Map<String, String> environment, String... script) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash"));
    command.addAll(List.of(script));
    Path log = Files.createTempFile("flagedge-load-smoke-", ".log");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(ROOT.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().putAll(environment);
      long start = System.nanoTime();
      Process process = builder.start();
      boolean finished = process.waitFor(3, TimeUnit.MINUTES);
      if (!finished) {
        process.destroy(); // SIGTERM: the script's trap stops the server and the stub
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        }
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      System.out.printf(
          "%s (%.1f s):%n%s%n",
          String.join(" ", script), (System.nanoTime() - start) / 1e9, output);
      assertTrue(finished, String.join(" ", script) + " timed out: " + output);
      assertEquals(0, process.exitValue(), output);
      return output;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** PORT, STUB_PORT, BASELINE_PORT and SINK_PORT set to ports free right now. */
  private static Map<String, String> freePorts() throws IOException {
    try (ServerSocket a = new ServerSocket(0);
        ServerSocket b = new ServerSocket(0);
        ServerSocket c = new ServerSocket(0);
        ServerSocket d = new ServerSocket(0)) {
      return Map.of(
          "PORT",
          Integer.toString(a.getLocalPort()),
          "STUB_PORT",
          Integer.toString(b.getLocalPort()),
          "BASELINE_PORT",
          Integer.toString(c.getLocalPort()),
          "SINK_PORT",
          Integer.toString(d.getLocalPort()));
    }
  }

  private static boolean succeeds(String... command) throws InterruptedException {
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return process.waitFor(3, TimeUnit.MINUTES) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
