package dev.flagedge.benchmarks;

import com.flagsmith.models.Flags;
import dev.flagedge.engine.Environment;
import dev.flagedge.engine.Flag;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Flags for one identity with traits, the work behind {@code POST /api/v1/identities/}: every
 * segment that carries overrides is evaluated against the traits, then overrides and multivariate
 * splits are applied. The traits ({@link Traits}) match some segments of each profile.
 * Single-threaded.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class IdentityFlagsBenchmark {
  private static final String IDENTIFIER = "bench-user-1";

  /** Both engines loaded with one profile's document, and the identity's traits. */
  @State(Scope.Benchmark)
  public static class Engines {
    @Param({"simple", "heavy"})
    public String profile;

    @Param({"0", "5", "15"})
    public int traitCount;

    Environment flagEdge;
    SdkEngine sdk;
    Map<String, Object> traits;

    @Setup(Level.Trial)
    public void load() {
      byte[] json = Environments.document(Profile.of(profile));
      flagEdge = Environment.parse(json);
      sdk = SdkEngine.load(json);
      traits = Traits.of(Profile.of(profile), traitCount);
    }
  }

  @Benchmark
  public List<Flag> flagEdge(Engines engines) {
    return engines.flagEdge.identityFlags(IDENTIFIER, engines.traits);
  }

  @Benchmark
  public Flags flagsmithSdk(Engines engines) {
    return engines.sdk.identityFlags(IDENTIFIER, engines.traits);
  }
}
