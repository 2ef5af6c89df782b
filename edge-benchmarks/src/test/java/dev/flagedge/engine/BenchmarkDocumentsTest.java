package dev.flagedge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flagedge.benchmarks.Environments;
import dev.flagedge.benchmarks.Profile;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The benchmark documents take the engine's fast path, so the benchmarks measure it. In the
 * engine's package, which this module shares on the class path (it is no JPMS module), to read what
 * the engine keeps package-private: which fast paths a document fell back from.
 */
class BenchmarkDocumentsTest {

  /** HUGE (66 MB, 100,000 identity overrides) takes some 20 s: the start-up figures are its. */
  @ParameterizedTest
  @EnumSource(Profile.class)
  void parse_benchmarkDocument_noFallback(Profile profile) {
    assertEquals(List.of(), Environment.parse(Environments.document(profile)).fallbacks);
  }
}
