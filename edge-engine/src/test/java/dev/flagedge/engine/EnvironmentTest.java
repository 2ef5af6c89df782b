package dev.flagedge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * The document path: mapping, overrides and their precedence, and the facts the proxy filters on.
 */
class EnvironmentTest {
  private static final String DOCUMENT =
      """
      {"api_key": "client-key", "name": "Production", "updated_at": "2026-11-25T10:00:00Z",
       "project": {"hide_disabled_flags": true, "server_key_only_feature_ids": [4],
         "segments": [
           {"id": 100, "name": "beta", "rules": [{"type": "ALL", "conditions": [
               {"operator": "EQUAL", "property_": "plan", "value": "beta"}]}],
            "feature_states": [{"feature": {"id": 1, "name": "banner", "type": "STANDARD"},
               "enabled": true, "feature_state_value": "beta", "django_id": 21,
               "feature_segment": {"priority": 2}}]},
           {"id": 101, "name": "beta-strong", "rules": [{"type": "ALL", "conditions": [
               {"operator": "EQUAL", "property_": "plan", "value": "beta"}]}],
            "feature_states": [{"feature": {"id": 1, "name": "banner", "type": "STANDARD"},
               "enabled": true, "feature_state_value": "beta-strong", "django_id": 22,
               "feature_segment": {"priority": 1}}]},
           {"id": 102, "name": "everyone-without-x", "rules": [{"type": "ALL", "conditions": [
               {"operator": "IS_NOT_SET", "property_": "x", "value": null}]}],
            "feature_states": [{"feature": {"id": 3, "name": "disabled", "type": "STANDARD"},
               "enabled": false, "feature_state_value": "segment", "django_id": 23}]}]},
       "feature_states": [
         {"feature": {"id": 1, "name": "banner", "type": "STANDARD"}, "enabled": true,
          "feature_state_value": "default", "django_id": 11, "multivariate_feature_state_values": []},
         {"feature": {"id": 2, "name": "colour", "type": "MULTIVARIATE"}, "enabled": true,
          "feature_state_value": "control", "django_id": 12, "multivariate_feature_state_values": [
            {"id": 2, "percentage_allocation": 50, "multivariate_feature_option": {"value": "red"}},
            {"id": 1, "percentage_allocation": 50, "multivariate_feature_option": {"value": "blue"}}]},
         {"feature": {"id": 3, "name": "disabled", "type": "STANDARD"}, "enabled": false,
          "feature_state_value": 12},
         {"feature": {"id": 4, "name": "secret", "type": "STANDARD"}, "enabled": true,
          "feature_state_value": 1.5}],
       "identity_overrides": [
         {"identifier": "vip", "identity_features": [{"feature": {"id": 1, "name": "banner"},
            "enabled": false, "feature_state_value": "identity"}]},
         {"identifier": "0123", "identity_features": [{"feature": {"id": 1, "name": "banner"},
            "enabled": true, "feature_state_value": "zero-one-two-three"}]}]}
      """;

  private final Environment environment = Environment.parse(DOCUMENT);

  @Test
  void parse_documentFacts_exposed() {
    assertEquals("client-key", environment.apiKey());
    assertEquals("Production", environment.name());
    assertEquals("2026-11-25T10:00:00Z", environment.updatedAt().orElseThrow());
    assertTrue(environment.hideDisabledFlags());
    assertEquals(java.util.Set.of(4L), environment.serverKeyOnlyFeatureIds());
  }

  @Test
  void environmentFlags_documentOrder_withIdentityLessSegmentsApplied() {
    List<Flag> flags = environment.environmentFlags();
    assertEquals(
        List.of("banner", "colour", "disabled", "secret"), flags.stream().map(Flag::name).toList());
    assertEquals("\"segment\"", flags.get(2).valueJson());
    assertEquals(Flag.Reason.TARGETING_MATCH, flags.get(2).reason());
    assertEquals(Optional.of("everyone-without-x"), flags.get(2).segmentName());
    assertEquals("1.5", flags.get(3).valueJson());
    assertEquals(FeatureType.MULTIVARIATE, flags.get(1).type());
    assertEquals(2, flags.get(1).featureId());
  }

  @Test
  void flags_sameContentFromTwoCompilations_equalWithEqualHashCodes() {
    List<Flag> these = environment.identityFlags("someone", Map.of("plan", "beta"));
    List<Flag> those = Environment.parse(DOCUMENT).identityFlags("someone", Map.of("plan", "beta"));
    assertEquals(these, those);
    assertEquals(
        these.stream().map(Flag::hashCode).toList(), those.stream().map(Flag::hashCode).toList());
  }

  @Test
  void flags_differingInValueReasonOrVariant_notEqual() {
    List<Flag> plain = environment.identityFlags("someone", Map.of());
    List<Flag> beta = environment.identityFlags("someone", Map.of("plan", "beta"));
    assertNotEquals(flag(plain, "banner"), flag(beta, "banner"));
    assertNotEquals(flag(plain, "banner"), flag(plain, "colour"));
    assertNotEquals(environment.environmentFlag("colour").orElseThrow(), flag(plain, "colour"));
  }

  @Test
  void environmentFlags_multivariateWithoutIdentity_controlValue() {
    Flag colour = environment.environmentFlag("colour").orElseThrow();
    assertEquals("\"control\"", colour.valueJson());
    assertTrue(colour.variant().isEmpty());
  }

  @Test
  void identityFlags_lowerPriorityNumber_winsAmongSegments() {
    Flag banner = flag(environment.identityFlags("someone", Map.of("plan", "beta")), "banner");
    assertEquals("\"beta-strong\"", banner.valueJson());
    assertEquals(Optional.of("beta-strong"), banner.segmentName());
  }

  @Test
  void identityFlags_identityOverride_beatsSegmentOverride() {
    Flag banner = flag(environment.identityFlags("vip", Map.of("plan", "beta")), "banner");
    assertEquals("\"identity\"", banner.valueJson());
    assertEquals(false, banner.enabled());
    assertEquals(Flag.Reason.TARGETING_MATCH, banner.reason());
    assertEquals(Optional.of("identity_overrides"), banner.segmentName());
  }

  @Test
  void identityFlags_numericIdentifier_coercedBeforeOverrideLookup() {
    // The reference reads "0123" as the int 123, so the override listed for "0123" never applies.
    assertEquals(
        "\"default\"", flag(environment.identityFlags("0123", Map.of()), "banner").valueJson());
  }

  @Test
  void identityFlags_multivariate_orderedByOptionIdAndSplitOnIdentityKey() {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 200; i++) {
      Flag colour = flag(environment.identityFlags("user" + i, Map.of()), "colour");
      counts.merge(colour.valueJson(), 1, Integer::sum);
      double p = Hashing.percentage("12", "client-key_user" + i);
      // Option id 1 ("blue") comes first, so it takes the lower half.
      assertEquals(p < 50 ? "\"blue\"" : "\"red\"", colour.valueJson());
      assertEquals(Flag.Reason.SPLIT, colour.reason());
      assertEquals(OptionalDouble.of(50), colour.splitWeight());
    }
    assertEquals(2, counts.size());
  }

  @Test
  void identityFlags_nullTrait_countsAsNotSet() {
    Map<String, Object> traits = new HashMap<>();
    traits.put("x", null);
    assertEquals(
        "\"segment\"", flag(environment.identityFlags("u", traits), "disabled").valueJson());
    assertEquals(
        "12", flag(environment.identityFlags("u", Map.of("x", 1)), "disabled").valueJson());
  }

  @Test
  void evaluate_identity_reportsMatchedSegmentsInOrder() {
    EvaluationResult result = environment.evaluate("vip", Map.of("plan", "beta"));
    assertEquals(
        List.of("beta", "beta-strong", "everyone-without-x", "identity_overrides"),
        result.segments().stream().map(SegmentMatch::name).toList());
  }

  @Test
  void identityFlags_manyIdentityOverrides_foundByIdentifier() {
    StringBuilder overrides = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      overrides
          .append(i == 0 ? "" : ",")
          .append("{\"identifier\": \"id")
          .append(i)
          .append("\", \"identity_features\": [{\"feature\": {\"id\": 1, \"name\": \"f\"},")
          .append("\"enabled\": true, \"feature_state_value\": ")
          .append(i)
          .append("}]}");
    }
    Environment many =
        Environment.parse(
            "{\"api_key\": \"k\", \"feature_states\": [{\"feature\":"
                + " {\"id\": 1, \"name\": \"f\"}, \"enabled\": false, \"feature_state_value\": -1}],"
                + " \"identity_overrides\": ["
                + overrides
                + "]}");
    assertEquals("777", many.identityFlags("id777", Map.of()).get(0).valueJson());
    assertEquals("-1", many.identityFlags("id1000", Map.of()).get(0).valueJson());
    assertEquals(
        List.of("identity_overrides"),
        many.evaluate("id5", Map.of()).segments().stream().map(SegmentMatch::name).toList());
  }

  @Test
  void parse_missingApiKey_messageNamesPath() {
    DocumentParseException e =
        assertThrows(
            DocumentParseException.class, () -> Environment.parse("{\"feature_states\": []}"));
    assertEquals("expected a string at $.api_key, found nothing", e.getMessage());
  }

  @Test
  void parse_wrongType_messageNamesPathAndValue() {
    DocumentParseException e =
        assertThrows(
            DocumentParseException.class,
            () ->
                Environment.parse(
                    "{\"api_key\": \"k\", \"feature_states\": [{\"feature\": "
                        + "{\"id\": 1, \"name\": 12}}]}"));
    assertEquals("expected a string at $.feature_states[0].feature.name, found 12", e.getMessage());
  }

  @Test
  void parse_malformedJson_saysSo() {
    DocumentParseException e =
        assertThrows(DocumentParseException.class, () -> Environment.parse("{\"api_key\": "));
    assertTrue(e.getMessage().startsWith("environment document is not valid JSON"), e.getMessage());
  }

  @Test
  void identityFlags_jsonPathOnEnvironmentName_readsCompiledTree() {
    Environment env = Environment.parse(jsonPathDocument("$.environment.name", "Production"));
    assertEquals("\"on\"", env.identityFlags("u", Map.of()).get(0).valueJson());
    assertEquals("\"on\"", env.environmentFlags().get(0).valueJson());
  }

  @Test
  void identityFlags_jsonPathIntoFeatures_readsCompiledTree() {
    Environment env = Environment.parse(jsonPathDocument("$.features.f.value", "off"));
    assertEquals(Optional.of("s"), env.identityFlags("u", Map.of()).get(0).segmentName());
    Environment miss = Environment.parse(jsonPathDocument("$.features.f.value", "other"));
    assertEquals(Flag.Reason.DEFAULT, miss.identityFlags("u", Map.of()).get(0).reason());
  }

  @Test
  void identityFlags_jsonPathWildcardOverSegments_readsCompiledTree() {
    Environment env = Environment.parse(jsonPathDocument("$.segments.*.metadata.source", "api"));
    assertEquals("\"on\"", env.identityFlags("u", Map.of()).get(0).valueJson());
  }

  @Test
  void value_container_freshMutableCopyEachCall() {
    Environment env =
        Environment.parse(
            "{\"api_key\": \"k\", \"feature_states\": [{\"feature\":"
                + " {\"id\": 7, \"name\": \"f\"}, \"enabled\": true,"
                + " \"feature_state_value\": {\"a\": [1, 2.5, \"x\"]}}]}");
    Flag flag = env.environmentFlags().get(0);
    @SuppressWarnings("unchecked")
    Map<String, Object> value = (Map<String, Object>) flag.value().orElseThrow();
    assertEquals(Map.of("a", List.of(1L, 2.5, "x")), value);
    value.put("b", true);
    assertEquals("{\"a\":[1,2.5,\"x\"]}", flag.valueJson());
    assertEquals(1, ((Map<?, ?>) flag.value().orElseThrow()).size());
    Map<String, Object> metadata = flag.metadata();
    assertEquals(Map.of("id", 7L), metadata);
    metadata.put("x", 1);
    assertNotSame(metadata, flag.metadata());
    assertEquals(Map.of("id", 7L), flag.metadata());
  }

  @Test
  void evaluate_toJson_writesFlagAndSegmentMetadata() {
    String json = environment.evaluate("someone", Map.of("plan", "beta")).toJson();
    assertTrue(
        json.contains(
            "\"banner\":{\"name\":\"banner\",\"enabled\":true,"
                + "\"value\":\"beta-strong\",\"reason\":\"TARGETING_MATCH; segment=beta-strong\","
                + "\"variant\":null,\"metadata\":{\"id\":1}}"),
        json);
    assertTrue(
        json.contains("{\"name\":\"beta\",\"metadata\":{\"id\":100,\"source\":\"api\"}}"), json);
  }

  @Test
  void parse_repeatedStrings_sharedWithinOneEnvironment() {
    Flag plain = flag(environment.identityFlags("a", Map.of()), "banner");
    Flag beta = flag(environment.identityFlags("a", Map.of("plan", "beta")), "banner");
    Flag vip = flag(environment.identityFlags("vip", Map.of()), "banner");
    assertSame(plain.name(), beta.name());
    assertSame(plain.name(), vip.name());
    Environment twin = Environment.parse(DOCUMENT);
    assertNotSame(plain.name(), twin.environmentFlags().get(0).name());
  }

  /**
   * One feature "f" (value "off"), one segment "s" overriding it with "on" when the query equals
   * value.
   */
  private static String jsonPathDocument(String query, String value) {
    return """
        {"api_key": "k", "name": "Production",
         "project": {"segments": [{"id": 1, "name": "s", "rules": [{"type": "ALL", "conditions": [
             {"operator": "EQUAL", "property_": "%s", "value": "%s"}]}],
           "feature_states": [{"feature": {"id": 1, "name": "f"}, "enabled": true,
             "feature_state_value": "on"}]}]},
         "feature_states": [{"feature": {"id": 1, "name": "f"}, "enabled": true,
           "feature_state_value": "off"}]}
        """
        .formatted(query, value);
  }

  private static Flag flag(List<Flag> flags, String name) {
    return flags.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }
}
