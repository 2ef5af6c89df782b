package dev.flagedge.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.flagsmith.models.BaseFlag;
import com.flagsmith.models.Flags;
import dev.flagedge.engine.Environment;
import dev.flagedge.engine.Flag;
import dev.flagedge.engine.SegmentMatch;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The generated documents are stable, match as documented, and both engines agree on them. */
class EnvironmentsTest {

  @ParameterizedTest
  @ValueSource(strings = {"simple", "heavy"})
  void document_sameProfile_sameBytes(String profile) {
    assertArrayEquals(
        Environments.document(Profile.of(profile)), Environments.document(Profile.of(profile)));
  }

  @ParameterizedTest
  @CsvSource({
    "simple, 0, ''",
    "simple, 5, beta_users",
    "heavy, 0, ''",
    "heavy, 5, segment_03 segment_09",
    "heavy, 15, segment_00 segment_03 segment_06 segment_09 segment_12"
  })
  void traits_matchDocumentedSegments(String profile, int traitCount, String expected) {
    Environment environment = Environment.parse(Environments.document(Profile.of(profile)));
    List<String> matched =
        environment
            .evaluate("bench-user-1", Traits.of(Profile.of(profile), traitCount))
            .segments()
            .stream()
            .map(SegmentMatch::name)
            .toList();
    assertEquals(expected, String.join(" ", matched));
  }

  @ParameterizedTest
  @CsvSource({"simple, 0", "simple, 5", "simple, 15", "heavy, 0", "heavy, 5", "heavy, 15"})
  void identityFlags_flagEdgeAndSdk_agree(String profile, int traitCount) {
    byte[] json = Environments.document(Profile.of(profile));
    Map<String, Object> traits = Traits.of(Profile.of(profile), traitCount);
    Map<String, String> flagEdge = new TreeMap<>();
    for (Flag flag : Environment.parse(json).identityFlags("bench-user-1", traits)) {
      flagEdge.put(
          flag.name(), flag.enabled() + " " + flag.value().map(String::valueOf).orElse("null"));
    }
    Flags flags = SdkEngine.load(json).identityFlags("bench-user-1", traits);
    Map<String, String> sdk = new TreeMap<>();
    for (BaseFlag flag : flags.getAllFlags()) {
      sdk.put(flag.getFeatureName(), flag.getEnabled() + " " + flag.getValue());
    }
    assertEquals(sdk, flagEdge);
  }
}
