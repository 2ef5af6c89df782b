package dev.flagedge.benchmarks;

import com.flagsmith.flagengine.environments.EnvironmentModel;
import dev.flagedge.engine.Environment;
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
 * Loading a document: JSON bytes to a ready-to-evaluate environment. FlagEdge parses and compiles
 * ({@link Environment#parse(byte[])}, which also pre-evaluates the environment flags); the SDK
 * parses into its {@link EnvironmentModel} and indexes identity overrides, as its client does on
 * each poll.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class DocumentLoadBenchmark {

  /** The document bytes of one profile, generated once per trial. */
  @State(Scope.Benchmark)
  public static class Document {
    @Param({"simple", "heavy", "huge"})
    public String profile;

    byte[] json;

    @Setup(Level.Trial)
    public void generate() {
      json = Environments.document(Profile.of(profile));
    }
  }

  @Benchmark
  public Environment flagEdge(Document document) {
    return Environment.parse(document.json);
  }

  @Benchmark
  public EnvironmentModel flagsmithSdk(Document document) {
    return SdkEngine.load(document.json).environment();
  }
}
