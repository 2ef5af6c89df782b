package dev.flagedge.openfeature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.flagedge.sync.FlagEdgeClient;
import dev.flagedge.sync.Flags;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Value;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same flag value reads the same through {@link Flags#value(String, Object)} and through the
 * OpenFeature provider: the same typed value, or the default on both paths.
 */
class ValueRuleAgreementTest {
  /** Flag values as JSON literals, one feature each. */
  private static final List<String> VALUES =
      List.of(
          "\"12.34\"",
          "12.34",
          "\"7\"",
          "7",
          "\" -7 \"",
          "\"12.0\"",
          "12.0",
          "\"abc\"",
          "\"\"",
          "true",
          "\"true\"",
          "\"1e3\"",
          "\"NaN\"",
          "\"0x10\"",
          "2147483648",
          "9007199254740993",
          "123456789012345678901234567890",
          "\"{\\\"a\\\": [1, 2.5, null]}\"",
          "\"[\\\"eu\\\"]\"",
          "\"{bad\"",
          "\"[1] [2]\"",
          "null");

  private static FlagEdgeClient client;
  private static FlagEdgeProvider provider;

  @BeforeAll
  static void start() {
    StringBuilder features = new StringBuilder();
    for (int i = 0; i < VALUES.size(); i++) {
      features
          .append(i == 0 ? "" : ",")
          .append("{\"feature\": {\"id\": ")
          .append(i + 1)
          .append(", \"name\": \"f")
          .append(i)
          .append("\"}, \"enabled\": true, \"feature_state_value\": ")
          .append(VALUES.get(i))
          .append('}');
    }
    byte[] document =
        ("{\"api_key\": \"agreement\", \"project\": {\"segments\": []}, \"feature_states\": ["
                + features
                + "]}")
            .getBytes(StandardCharsets.UTF_8);
    client = FlagEdgeClient.builder().documentSupplier(() -> document).build();
    provider = FlagEdgeProvider.builder().client(client).build();
    provider.initialize(new ImmutableContext());
  }

  @AfterAll
  static void stop() {
    provider.shutdown();
    client.close();
  }

  private static String feature(String json) {
    return "f" + VALUES.indexOf(json);
  }

  /** Both paths give the same value; when the rule gives none, both give the default. */
  private static <T> void assertAgree(T flagsValue, ProviderEvaluation<T> evaluation, T fallback) {
    assertEquals(flagsValue, evaluation.getValue());
    if (flagsValue == fallback) {
      assertNotNull(evaluation.getErrorCode(), "the provider reports why it gave the default");
    } else {
      assertNull(evaluation.getErrorCode());
    }
  }

  static List<String> values() {
    return VALUES;
  }

  @ParameterizedTest
  @MethodSource("values")
  void value_sameInputBothPaths_sameTypedResult(String json) {
    String key = feature(json);
    Flags flags = client.environmentFlags();
    Integer noInteger = Integer.valueOf(-99_999); // a fresh instance: identity marks the default
    Double noDouble = Double.valueOf(-0.5);
    String noString = new String("default");
    assertAgree(
        flags.value(key, noInteger),
        provider.getIntegerEvaluation(key, noInteger, null),
        noInteger);
    assertAgree(
        flags.value(key, noDouble), provider.getDoubleEvaluation(key, noDouble, null), noDouble);
    assertAgree(
        flags.value(key, noString), provider.getStringEvaluation(key, noString, null), noString);

    Map<?, ?> noMap = Map.of("none", 0);
    List<?> noList = List.of("none");
    Object map = flags.value(key, noMap);
    Object container = map != noMap ? map : flags.value(key, noList);
    Value noValue = new Value("default");
    ProviderEvaluation<Value> object = provider.getObjectEvaluation(key, noValue, null);
    if (container == noList) {
      assertEquals(noValue, object.getValue());
      assertNotNull(object.getErrorCode());
    } else {
      assertEquals(OpenFeatureValues.value(container), object.getValue());
      assertNull(object.getErrorCode());
    }
  }

  @Test
  void value_floatStoredAsString_numberOnBothPaths() {
    String key = feature("\"12.34\"");
    assertEquals(12.34, client.environmentFlags().value(key, 0.0));
    assertEquals(12.34, provider.getDoubleEvaluation(key, 0.0, null).getValue());
    assertEquals(0, client.environmentFlags().value(key, 0));
    assertEquals(0, provider.getIntegerEvaluation(key, 0, null).getValue());
  }

  @Test
  void value_jsonObjectText_mapAndStructureAlike() {
    String key = feature("\"{\\\"a\\\": [1, 2.5, null]}\"");
    Map<?, ?> map = client.environmentFlags().value(key, Map.of());
    assertEquals(Arrays.asList(1L, 2.5, null), map.get("a"));
    Value structure = provider.getObjectEvaluation(key, new Value(), null).getValue();
    assertEquals(
        Arrays.asList(new Value(1), new Value(2.5), new Value()),
        structure.asStructure().getValue("a").asList());
  }
}
