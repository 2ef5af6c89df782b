package dev.flagedge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * One feature evaluated for an identity ({@link Environment#identityFlag}) gives exactly the flag
 * the full evaluation gives: over generated documents with segment overrides at every priority,
 * percentage splits (conditions and multivariate values), identity overrides (enough to be indexed)
 * and a repeated feature name, and many identities and traits.
 */
class IdentityFlagTest {
  private static final Object[] TRAIT_VALUES = {"a", "b", "1", "x", 1, 2, 50, 99, true, 1.5};

  @Test
  void identityFlag_sameAsTheFullEvaluation_forEveryFeatureAndIdentity() {
    Map<Flag.Reason, Integer> reasons = new HashMap<>();
    int identityOverrides = 0;
    int compared = 0;
    for (int seed = 0; seed < 60; seed++) {
      Random random = new Random(seed);
      Environment environment = Environment.parse(document(random).toString());
      for (int i = 0; i < 40; i++) {
        String identifier = i < 12 ? "user" + i : "someone-" + random.nextInt(1_000_000);
        Map<String, Object> traits = traits(random);
        for (Flag flag : environment.identityFlags(identifier, traits)) {
          assertEquals(
              Optional.of(flag),
              environment.identityFlag(flag.name(), identifier, traits),
              () -> flag.name() + " of " + identifier + " with " + traits);
          reasons.merge(flag.reason(), 1, Integer::sum);
          if (flag.segmentName().filter("identity_overrides"::equals).isPresent()) {
            identityOverrides++;
          }
          compared++;
        }
        assertEquals(
            Optional.empty(), environment.identityFlag("no such feature", identifier, traits));
      }
    }
    // The documents exercise what could tell the two apart.
    assertTrue(reasons.getOrDefault(Flag.Reason.SPLIT, 0) > 100, reasons::toString);
    assertTrue(reasons.getOrDefault(Flag.Reason.TARGETING_MATCH, 0) > 100, reasons::toString);
    assertTrue(identityOverrides > 100, "identity overrides: " + identityOverrides);
    assertTrue(compared > 10_000, "compared: " + compared);
  }

  /** A generated document, with identity overrides for user0 to user11 and a repeated feature. */
  private static ObjectNode document(Random random) {
    ObjectNode document = DocumentCompilerTest.generated(random);
    ArrayNode states = (ArrayNode) document.get("feature_states");
    ArrayNode identities = document.putArray("identity_overrides");
    for (int i = 0; i < 12; i++) {
      ObjectNode identity = identities.addObject().put("identifier", "user" + i);
      ObjectNode state = (ObjectNode) states.get(random.nextInt(states.size())).deepCopy();
      identity.putArray("identity_features").add(state.put("enabled", random.nextBoolean()));
    }
    states.add(((ObjectNode) states.get(0).deepCopy()).put("feature_state_value", "repeated"));
    return document;
  }

  private static Map<String, Object> traits(Random random) {
    Map<String, Object> traits = new HashMap<>();
    for (int t = 0; t < 3; t++) {
      if (random.nextInt(4) > 0) {
        traits.put("trait_" + t, TRAIT_VALUES[random.nextInt(TRAIT_VALUES.length)]);
      }
    }
    return traits;
  }
}
