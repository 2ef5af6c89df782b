package dev.flagedge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The typed reason and feature type of a flag, and the reference text kept beside them. */
class FlagTest {
  /**
   * Feature "f" (variants weighted {@code weights}, a segment "s" overriding it for plan=beta, an
   * identity override for "vip"); feature "g" of type {@code type}.
   */
  private static String document(String weights, String type) {
    return """
        {"api_key": "k",
         "project": {"segments": [{"id": 1, "name": "s", "rules": [{"type": "ALL", "conditions": [
             {"operator": "EQUAL", "property_": "plan", "value": "beta"}]}],
           "feature_states": [{"feature": {"id": 1, "name": "f"}, "enabled": true,
             "feature_state_value": "segment", "django_id": 3}]}]},
         "feature_states": [
           {"feature": {"id": 1, "name": "f", "type": "MULTIVARIATE"}, "enabled": true,
            "feature_state_value": "control", "django_id": 2, "multivariate_feature_state_values": [
              {"id": 1, "percentage_allocation": %s,
               "multivariate_feature_option": {"value": "a", "key": "a"}}]},
           {"feature": {"id": 2, "name": "g", "type": %s}, "enabled": true,
            "feature_state_value": null}],
         "identity_overrides": [
           {"identifier": "vip", "identity_features": [{"feature": {"id": 1, "name": "f"},
              "enabled": true, "feature_state_value": "vip"}]}]}
        """
        .formatted(weights, type);
  }

  private static final Environment ENVIRONMENT = Environment.parse(document("100", "\"STANDARD\""));

  @Test
  void reason_environmentDefault_defaultWithoutDetails() {
    Flag flag = ENVIRONMENT.environmentFlag("f").orElseThrow();
    assertEquals(Flag.Reason.DEFAULT, flag.reason());
    assertEquals(Optional.empty(), flag.segmentName());
    assertEquals(OptionalDouble.empty(), flag.splitWeight());
    assertEquals("DEFAULT", flag.reasonText());
  }

  @Test
  void reason_segmentOverride_targetingMatchNamingTheSegment() {
    Flag flag = f(ENVIRONMENT, "someone", Map.of("plan", "beta"));
    assertEquals(Flag.Reason.TARGETING_MATCH, flag.reason());
    assertEquals(Optional.of("s"), flag.segmentName());
    assertEquals(OptionalDouble.empty(), flag.splitWeight());
    assertEquals("TARGETING_MATCH; segment=s", flag.reasonText());
  }

  @Test
  void reason_identityOverride_targetingMatchOnIdentityOverridesSegment() {
    Flag flag = f(ENVIRONMENT, "vip", Map.of());
    assertEquals("\"vip\"", flag.valueJson());
    assertEquals(Flag.Reason.TARGETING_MATCH, flag.reason());
    assertEquals(Optional.of("identity_overrides"), flag.segmentName());
    assertEquals("TARGETING_MATCH; segment=identity_overrides", flag.reasonText());
  }

  @Test
  void reason_split_carriesTheOptionWeight() {
    Flag flag = f(ENVIRONMENT, "someone", Map.of());
    assertEquals(Flag.Reason.SPLIT, flag.reason());
    assertEquals(OptionalDouble.of(100), flag.splitWeight());
    assertEquals(Optional.empty(), flag.segmentName());
    assertEquals("SPLIT; weight=100", flag.reasonText());
  }

  @Test
  void reasonText_floatWeight_writtenAsTheDocumentWritesIt() {
    Environment floatWeight = Environment.parse(document("100.0", "\"STANDARD\""));
    Flag flag = f(floatWeight, "someone", Map.of());
    assertEquals("SPLIT; weight=100.0", flag.reasonText());
    assertEquals(OptionalDouble.of(100), flag.splitWeight());
    assertNotEquals(f(ENVIRONMENT, "someone", Map.of()), flag);
  }

  @Test
  void reason_controlBucket_keepsTheFeatureStateReason() {
    Flag flag = f(Environment.parse(document("0", "\"STANDARD\"")), "someone", Map.of());
    assertEquals(Optional.of("control"), flag.variant());
    assertEquals(Flag.Reason.DEFAULT, flag.reason());
    assertEquals(OptionalDouble.empty(), flag.splitWeight());
  }

  @Test
  void reasonText_oneSegment_sharedByItsFlags() {
    Flag first = f(ENVIRONMENT, "a", Map.of("plan", "beta"));
    Flag second = f(ENVIRONMENT, "b", Map.of("plan", "beta"));
    assertSame(first.reasonText(), second.reasonText());
  }

  @Test
  void reason_evaluationContext_targetingMatchNamingTheSegment() {
    EvaluationResult result =
        FlagEngine.evaluate(
            """
            {"environment": {"key": "k", "name": "e"},
             "features": {"f": {"key": "1", "name": "f", "enabled": true, "value": 1}},
             "segments": {"1": {"key": "1", "name": "everyone", "overrides": [
               {"key": "2", "name": "f", "enabled": false, "value": 2}],
               "rules": [{"type": "ALL", "conditions": [{"property": "x", "operator": "IS_NOT_SET"}]}]}}}
            """);
    Flag flag = result.flags().get("f");
    assertEquals(Flag.Reason.TARGETING_MATCH, flag.reason());
    assertEquals(Optional.of("everyone"), flag.segmentName());
    assertEquals(FeatureType.STANDARD, flag.type());
  }

  @Test
  void type_givenInDocument_typedWithItsText() {
    Flag f = ENVIRONMENT.environmentFlag("f").orElseThrow();
    assertEquals(FeatureType.MULTIVARIATE, f.type());
    assertEquals("MULTIVARIATE", f.typeText());
    Flag g = ENVIRONMENT.environmentFlag("g").orElseThrow();
    assertEquals(FeatureType.STANDARD, g.type());
    assertEquals("STANDARD", g.typeText());
  }

  @Test
  void type_null_standard() {
    Flag g = Environment.parse(document("100", "null")).environmentFlag("g").orElseThrow();
    assertEquals(FeatureType.STANDARD, g.type());
    assertEquals("STANDARD", g.typeText());
  }

  @Test
  void type_unknownText_unknownWithTheTextKept() throws IOException {
    String document = document("100", "\"FEATURE_FLAG\"");
    for (Environment environment :
        new Environment[] {
          Environment.parse(document), Environment.of(Json.MAPPER.readTree(document))
        }) {
      Flag g = environment.environmentFlag("g").orElseThrow();
      assertEquals(FeatureType.UNKNOWN, g.type());
      assertEquals("FEATURE_FLAG", g.typeText());
      assertEquals(true, g.enabled());
    }
  }

  @Test
  void type_differentText_flagsNotEqual() {
    Flag standard = ENVIRONMENT.environmentFlag("g").orElseThrow();
    Flag unknown =
        Environment.parse(document("100", "\"OTHER\"")).environmentFlag("g").orElseThrow();
    assertNotEquals(standard, unknown);
  }

  @Test
  void hashCode_equalFlagsFromTwoLoads_equalAndStable() {
    Flag first = ENVIRONMENT.environmentFlag("g").orElseThrow();
    Flag second =
        Environment.parse(document("100", "\"STANDARD\"")).environmentFlag("g").orElseThrow();
    assertNotSame(first, second);
    assertEquals(first, second);
    assertEquals(first.hashCode(), second.hashCode());
    assertEquals(first.hashCode(), first.hashCode());
    assertEquals("kept", Map.of(first, "kept").get(second));
  }

  private static Flag f(Environment environment, String identifier, Map<String, ?> traits) {
    return environment.identityFlags(identifier, traits).stream()
        .filter(flag -> flag.name().equals("f"))
        .findFirst()
        .orElseThrow();
  }
}
