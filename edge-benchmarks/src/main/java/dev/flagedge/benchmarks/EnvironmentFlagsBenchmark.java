package dev.flagedge.benchmarks;

import com.flagsmith.models.Flags;
import dev.flagedge.engine.Environment;
import dev.flagedge.engine.Flag;
import java.util.List;
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
 * Environment flags (no identity), the work behind {@code GET /api/v1/flags/}. FlagEdge computes
 * them at load time, so this measures the lookup; the SDK filters its feature states and maps them
 * to {@link Flags} on every call, as {@code FlagsmithClient.getEnvironmentFlags()} does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EnvironmentFlagsBenchmark {

  /** Both engines loaded with one profile's document. */
  @State(Scope.Benchmark)
  public static class Engines {
    @Param({"simple", "heavy"})
    public String profile;

    Environment flagEdge;
    SdkEngine sdk;

    @Setup(Level.Trial)
    public void load() {
      byte[] json = Environments.document(Profile.of(profile));
      flagEdge = Environment.parse(json);
      sdk = SdkEngine.load(json);
    }
  }

  @Benchmark
  public List<Flag> flagEdge(Engines engines) {
    return engines.flagEdge.environmentFlags();
  }

  @Benchmark
  public Flags flagsmithSdk(Engines engines) {
    return engines.sdk.environmentFlags();
  }
}
