package dev.flagedge.openfeature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evaluation through the real OpenFeature SDK against {@code environment.json}. */
class FlagEdgeProviderTest {
  private static final EvaluationContext NONE = new ImmutableContext();

  @TempDir Path directory;

  private SdkDomain sdk;
  private Client client;

  @BeforeEach
  void bind() throws IOException {
    sdk =
        new SdkDomain(
                FlagEdgeProvider.builder()
                    .documentFile(TestDocuments.file(directory))
                    .startupTimeout(Duration.ofSeconds(10))
                    .build())
            .bindAndWait();
    client = sdk.client();
  }

  @AfterEach
  void unbind() {
    sdk.close();
  }

  private static EvaluationContext identity(String key, Map<String, Value> attributes) {
    return new ImmutableContext(key, attributes);
  }

  @Test
  void metadata_providerName_flagedge() {
    assertEquals("flagedge", sdk.providerName());
  }

  @Test
  void booleanDetails_enabledFeature_trueWithDefaultReason() {
    FlagEvaluationDetails<Boolean> details = client.getBooleanDetails("banner_text", false, NONE);
    assertEquals(true, details.getValue());
    assertEquals(Reason.DEFAULT.name(), details.getReason());
    assertNull(details.getErrorCode());
    assertEquals(1L, details.getFlagMetadata().getLong(FlagResolver.FEATURE_ID));
    assertEquals("DEFAULT", details.getFlagMetadata().getString(FlagResolver.FLAGSMITH_REASON));
    assertEquals("STANDARD", details.getFlagMetadata().getString(FlagResolver.FEATURE_TYPE));
  }

  @Test
  void booleanDetails_disabledFeature_falseNotAnError() {
    FlagEvaluationDetails<Boolean> details = client.getBooleanDetails("checkout_v2", true, NONE);
    assertEquals(false, details.getValue());
    assertEquals(Reason.DEFAULT.name(), details.getReason());
    assertNull(details.getErrorCode());
  }

  @Test
  void booleanDetails_targetingKeyWithMatchingTrait_segmentEnables() {
    FlagEvaluationDetails<Boolean> details =
        client.getBooleanDetails(
            "checkout_v2", false, identity("alice", Map.of("plan", new Value("beta"))));
    assertEquals(true, details.getValue());
    assertEquals(Reason.TARGETING_MATCH.name(), details.getReason());
    assertEquals(
        "TARGETING_MATCH; segment=beta_users",
        details.getFlagMetadata().getString(FlagResolver.FLAGSMITH_REASON));
  }

  @Test
  void booleanDetails_targetingKeyWithOtherTrait_environmentValue() {
    FlagEvaluationDetails<Boolean> details =
        client.getBooleanDetails(
            "checkout_v2", true, identity("alice", Map.of("plan", new Value("free"))));
    assertEquals(false, details.getValue());
    assertEquals(Reason.DEFAULT.name(), details.getReason());
  }

  @Test
  void booleanDetails_attributesWithoutTargetingKey_ignored() {
    EvaluationContext anonymous = new ImmutableContext(Map.of("plan", new Value("beta")));
    assertFalse(client.getBooleanValue("checkout_v2", true, anonymous));
    assertFalse(client.getBooleanValue("checkout_v2", true, identity(" ", Map.of())));
  }

  @Test
  void stringDetails_value_returnedWithDefaultReason() {
    FlagEvaluationDetails<String> details = client.getStringDetails("banner_text", "x", NONE);
    assertEquals("Welcome to FlagEdge", details.getValue());
    assertEquals(Reason.DEFAULT.name(), details.getReason());
  }

  @Test
  void stringDetails_identityOverride_targetingMatch() {
    FlagEvaluationDetails<String> details =
        client.getStringDetails("banner_text", "x", identity("vip-user", Map.of()));
    assertEquals("Welcome back, VIP", details.getValue());
    assertEquals(Reason.TARGETING_MATCH.name(), details.getReason());
  }

  @Test
  void stringDetails_disabledFeature_valueWithDisabledReason() {
    FlagEvaluationDetails<String> details = client.getStringDetails("legacy_banner", "x", NONE);
    assertEquals("Old banner", details.getValue());
    assertEquals(Reason.DISABLED.name(), details.getReason());
    assertNull(details.getErrorCode());
  }

  @Test
  void stringDetails_disabledFeatureWithoutValue_defaultWithDisabledReason() {
    FlagEvaluationDetails<String> details = client.getStringDetails("checkout_v2", "x", NONE);
    assertEquals("x", details.getValue());
    assertEquals(Reason.DISABLED.name(), details.getReason());
    assertNull(details.getErrorCode());
  }

  @Test
  void typedDetails_disabledFeatureWithValuesOff_defaultWithDisabledReason() {
    Path file = directory.resolve("environment.json"); // shared with the other provider
    try (SdkDomain strict =
        new SdkDomain(
                FlagEdgeProvider.builder()
                    .documentFile(file)
                    .returnValueForDisabledFlags(false)
                    .build())
            .bindAndWait()) {
      FlagEvaluationDetails<String> details =
          strict.client().getStringDetails("legacy_banner", "x", NONE);
      assertEquals("x", details.getValue());
      assertEquals(Reason.DISABLED.name(), details.getReason());
      assertNull(details.getErrorCode());
      assertEquals(false, strict.client().getBooleanValue("legacy_banner", true, NONE));
      assertEquals("Welcome to FlagEdge", strict.client().getStringValue("banner_text", "x"));
    }
  }

  @Test
  void stringDetails_numberValue_typeMismatch() {
    FlagEvaluationDetails<String> details = client.getStringDetails("max_cart_items", "x", NONE);
    assertEquals("x", details.getValue());
    assertEquals(Reason.ERROR.name(), details.getReason());
    assertEquals(ErrorCode.TYPE_MISMATCH, details.getErrorCode());
    assertTrue(details.getErrorMessage().contains("max_cart_items"), details.getErrorMessage());
  }

  @Test
  void stringDetails_booleanValue_typeMismatch() {
    assertEquals(
        ErrorCode.TYPE_MISMATCH, client.getStringDetails("dark_mode", "x", NONE).getErrorCode());
  }

  @Test
  void stringDetails_enabledFeatureWithoutValue_typeMismatch() {
    FlagEvaluationDetails<String> details =
        client.getStringDetails(
            "checkout_v2", "x", identity("alice", Map.of("plan", new Value("beta"))));
    assertEquals("x", details.getValue());
    assertEquals(ErrorCode.TYPE_MISMATCH, details.getErrorCode());
  }

  @Test
  void integerDetails_number_returned() {
    FlagEvaluationDetails<Integer> details = client.getIntegerDetails("max_cart_items", 0, NONE);
    assertEquals(50, details.getValue());
    assertEquals(Reason.DEFAULT.name(), details.getReason());
  }

  @Test
  void integerDetails_numericTrait_segmentOverride() {
    FlagEvaluationDetails<Integer> details =
        client.getIntegerDetails(
            "max_cart_items", 0, identity("bulk-buyer", Map.of("orders", new Value(150))));
    assertEquals(250, details.getValue());
    assertEquals(Reason.TARGETING_MATCH.name(), details.getReason());
    assertEquals(
        50,
        client.getIntegerValue(
            "max_cart_items", 0, identity("bulk-buyer", Map.of("orders", new Value(99)))));
  }

  @Test
  void integerDetails_numericString_parsed() {
    FlagEvaluationDetails<Integer> details = client.getIntegerDetails("retry_limit", 0, NONE);
    assertEquals(7, details.getValue());
    assertNull(details.getErrorCode());
  }

  @Test
  void integerDetails_fractionalString_typeMismatch() {
    FlagEvaluationDetails<Integer> details = client.getIntegerDetails("discount_rate", 3, NONE);
    assertEquals(3, details.getValue());
    assertEquals(ErrorCode.TYPE_MISMATCH, details.getErrorCode());
  }

  @Test
  void integerDetails_beyondIntRange_typeMismatch() {
    assertEquals(
        ErrorCode.TYPE_MISMATCH, client.getIntegerDetails("big_number", 0, NONE).getErrorCode());
  }

  @Test
  void doubleDetails_floatStoredAsString_parsed() {
    FlagEvaluationDetails<Double> details = client.getDoubleDetails("discount_rate", 0.0, NONE);
    assertEquals(12.34, details.getValue());
    assertNull(details.getErrorCode());
  }

  @Test
  void doubleDetails_numbers_converted() {
    assertEquals(3.14159, client.getDoubleValue("pi", 0.0, NONE));
    assertEquals(50.0, client.getDoubleValue("max_cart_items", 0.0, NONE));
    assertEquals(3.0e9, client.getDoubleValue("big_number", 0.0, NONE));
  }

  @Test
  void doubleDetails_text_typeMismatch() {
    FlagEvaluationDetails<Double> details = client.getDoubleDetails("banner_text", 1.5, NONE);
    assertEquals(1.5, details.getValue());
    assertEquals(ErrorCode.TYPE_MISMATCH, details.getErrorCode());
  }

  @Test
  void objectDetails_jsonObjectText_structure() {
    FlagEvaluationDetails<Value> details = client.getObjectDetails("theme", new Value(), NONE);
    assertNull(details.getErrorCode());
    Map<String, Value> theme = details.getValue().asStructure().asMap();
    assertEquals("#0055ff", theme.get("primary").asString());
    assertEquals(List.of(new Value(1), new Value(2.5)), theme.get("sizes").asList());
    assertEquals(true, theme.get("dark").asBoolean());
    assertEquals(3.0e9, theme.get("views").asDouble());
  }

  @Test
  void objectDetails_jsonArrayText_list() {
    FlagEvaluationDetails<Value> details = client.getObjectDetails("regions", new Value(), NONE);
    assertEquals(List.of(new Value("eu"), new Value("us")), details.getValue().asList());
  }

  @Test
  void objectDetails_plainText_typeMismatch() {
    Value fallback = new Value("fallback");
    FlagEvaluationDetails<Value> details = client.getObjectDetails("banner_text", fallback, NONE);
    assertEquals(fallback, details.getValue());
    assertEquals(ErrorCode.TYPE_MISMATCH, details.getErrorCode());
  }

  @Test
  void objectDetails_malformedJson_parseError() {
    FlagEvaluationDetails<Value> details =
        client.getObjectDetails("broken_json", new Value(), NONE);
    assertEquals(ErrorCode.PARSE_ERROR, details.getErrorCode());
    assertEquals(Reason.ERROR.name(), details.getReason());
  }

  @Test
  void details_unknownFlag_flagNotFoundWithDefault() {
    FlagEvaluationDetails<String> details =
        client.getStringDetails("no_such_flag", "x", identity("alice", Map.of()));
    assertEquals("x", details.getValue());
    assertEquals(Reason.ERROR.name(), details.getReason());
    assertEquals(ErrorCode.FLAG_NOT_FOUND, details.getErrorCode());
    assertEquals(false, client.getBooleanValue("no_such_flag", false, NONE));
  }

  @Test
  void stringDetails_multivariateIdentity_splitWithVariant() {
    FlagEvaluationDetails<String> details =
        client.getStringDetails("button_colour", "x", identity("user-7", Map.of()));
    assertEquals("green", details.getValue());
    assertEquals(Reason.SPLIT.name(), details.getReason());
    assertEquals("green", details.getVariant());
    assertEquals(
        "SPLIT; weight=30", details.getFlagMetadata().getString(FlagResolver.FLAGSMITH_REASON));
    assertEquals("MULTIVARIATE", details.getFlagMetadata().getString(FlagResolver.FEATURE_TYPE));
  }

  @Test
  void stringDetails_multivariateControl_defaultWithControlVariant() {
    FlagEvaluationDetails<String> details =
        client.getStringDetails("button_colour", "x", identity("user-2", Map.of()));
    assertEquals("blue", details.getValue());
    assertEquals(Reason.DEFAULT.name(), details.getReason());
    assertEquals("control", details.getVariant());
  }

  @Test
  void stringDetails_multivariateWithoutIdentity_noVariant() {
    FlagEvaluationDetails<String> details = client.getStringDetails("button_colour", "x", NONE);
    assertEquals("blue", details.getValue());
    assertNull(details.getVariant());
  }
}
