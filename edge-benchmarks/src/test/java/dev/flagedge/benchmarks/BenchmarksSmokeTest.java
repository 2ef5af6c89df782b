package dev.flagedge.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flagedge.engine.Environment;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Keeps the benchmarks from rotting: runs every benchmark class in-process for one 100 ms iteration
 * on the simple profile and checks that each method produced a score, and measures the retained
 * footprint of a few simple environments. No performance or size thresholds.
 */
class BenchmarksSmokeTest {

  @ParameterizedTest
  @ValueSource(
      classes = {
        DocumentLoadBenchmark.class,
        EnvironmentFlagsBenchmark.class,
        IdentityFlagsBenchmark.class
      })
  void benchmark_runsAndReportsEveryMethod(Class<?> benchmark) throws RunnerException {
    Options options =
        new OptionsBuilder()
            .include("^" + benchmark.getName().replace(".", "\\.") + "\\.")
            .param("profile", "simple")
            .param("traitCount", "5")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(100))
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT)
            .build();

    Collection<RunResult> results = new Runner(options).run();

    Set<String> methods = new TreeSet<>();
    for (RunResult result : results) {
      methods.add(result.getParams().getBenchmark().replace(benchmark.getName() + ".", ""));
      double score = result.getPrimaryResult().getScore();
      assertTrue(
          score > 0 && Double.isFinite(score), result.getParams().getBenchmark() + ": " + score);
    }
    assertEquals(Set.of("flagEdge", "flagsmithSdk"), methods);
  }

  @Test
  void retainedFootprint_simpleProfile_measuresEveryCopy() {
    byte[] document = Environments.document(Profile.SIMPLE);

    RetainedFootprint.Result result = RetainedFootprint.measure(document, 3);

    assertEquals(document.length, result.documentBytes());
    assertEquals(3, result.copies());
  }

  @Test
  void retainedFootprint_apiKeySuffix_makesDistinctDocuments() {
    byte[] document = Environments.document(Profile.SIMPLE);

    byte[] copy = RetainedFootprint.withApiKeySuffix(document, "_0007");

    assertEquals(Profile.SIMPLE.apiKey() + "_0007", Environment.parse(copy).apiKey());
  }
}
