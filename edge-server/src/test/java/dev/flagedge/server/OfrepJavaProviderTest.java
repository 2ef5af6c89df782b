package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.openfeature.contrib.providers.ofrep.OfrepProvider;
import dev.openfeature.contrib.providers.ofrep.OfrepProviderOptions;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenFeature's own Java OFREP provider ({@code dev.openfeature.contrib.providers:ofrep}) with the
 * OpenFeature SDK against a running server: every row of the Flagsmith → OFREP mapping, a flag not
 * found, and a wrong key.
 */
class OfrepJavaProviderTest {
  @TempDir static Path dir;
  private static EdgeServer server;
  private static OpenFeatureAPI api;
  private static Client client;
  private static Client wrongKey;

  @BeforeAll
  static void start() throws Exception {
    server = OfrepRouteTest.startServer(dir);
    api = OpenFeatureAPI.getInstance();
    api.setProviderAndWait("flagedge", provider(OfrepRouteTest.SERVER));
    api.setProviderAndWait("wrong-key", provider("ser.not_a_key"));
    client = api.getClient("flagedge");
    wrongKey = api.getClient("wrong-key");
  }

  private static OfrepProvider provider(String key) {
    return OfrepProvider.constructProvider(
        OfrepProviderOptions.builder()
            .baseUrl("http://127.0.0.1:" + server.port())
            .headers(ImmutableMap.of("X-API-Key", ImmutableList.of(key)))
            .requestTimeout(Duration.ofSeconds(10))
            .build());
  }

  @AfterAll
  static void stop() {
    api.shutdown();
    server.close();
  }

  private static EvaluationContext identity(String targetingKey, Map<String, Value> traits) {
    return new ImmutableContext(targetingKey, new HashMap<>(traits));
  }

  private static final EvaluationContext NONE = new ImmutableContext();

  @Test
  void enabledWithoutValue_true_static() {
    FlagEvaluationDetails<Boolean> details = client.getBooleanDetails("dark_mode", false, NONE);
    assertEquals(true, details.getValue());
    assertEquals("STATIC", details.getReason());
    assertNull(details.getErrorCode());
    assertEquals(9, details.getFlagMetadata().getInteger("featureId"));
  }

  @Test
  void disabledWithoutValue_false_disabled() {
    FlagEvaluationDetails<Boolean> details = client.getBooleanDetails("checkout_v2", true, NONE);
    assertEquals(false, details.getValue());
    assertEquals("DISABLED", details.getReason());
  }

  @Test
  void enabledWithValue_typedValues_static() {
    assertEquals("Welcome to FlagEdge", client.getStringValue("banner_text", "x", NONE));
    FlagEvaluationDetails<Integer> integer = client.getIntegerDetails("max_cart_items", 0, NONE);
    assertEquals(50, integer.getValue());
    assertEquals("STATIC", integer.getReason());
    assertEquals(0.25, client.getDoubleValue("ratio", 0.0, NONE));
  }

  /**
   * The answer has no value (OFREP's code default); this provider predates that form and reports it
   * as an error, with the caller's default all the same.
   */
  @Test
  void disabledWithValue_callersDefault() {
    FlagEvaluationDetails<String> details =
        client.getStringDetails("legacy_banner", "the default", NONE);
    assertEquals("the default", details.getValue());
    System.out.println(
        "disabled flag with a value, as the Java OFREP provider reports it: " + details);
  }

  @Test
  void segmentOverride_targetingMatch() {
    FlagEvaluationDetails<Integer> details =
        client.getIntegerDetails(
            "max_cart_items", 0, identity("bulk-buyer", Map.of("orders", new Value(150))));
    assertEquals(250, details.getValue());
    assertEquals("TARGETING_MATCH", details.getReason());
    assertEquals("high_volume", details.getFlagMetadata().getString("segment"));
  }

  @Test
  void identityOverride_targetingMatch() {
    FlagEvaluationDetails<String> details =
        client.getStringDetails("banner_text", "x", identity("vip-user", Map.of()));
    assertEquals("Welcome back, VIP", details.getValue());
    assertEquals("TARGETING_MATCH", details.getReason());
  }

  @Test
  void multivariate_splitWithVariant() {
    Map<String, String> variants = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      FlagEvaluationDetails<String> details =
          client.getStringDetails("button_colour", "x", identity("user-" + i, Map.of()));
      if (details.getReason().equals("SPLIT")) {
        variants.put(details.getValue(), details.getVariant());
      } else {
        assertEquals("blue", details.getValue());
      }
    }
    assertEquals(Map.of("green", "301", "orange", "302"), variants);
  }

  @Test
  void objectValue_fromTheFlagsJsonValue() {
    Value value = client.getObjectValue("dark_mode", new Value("default"), NONE);
    assertTrue(value.isBoolean(), value.toString());
  }

  @Test
  void unknownFlag_defaultWithFlagNotFound() {
    FlagEvaluationDetails<String> details = client.getStringDetails("no_such_flag", "d", NONE);
    assertEquals("d", details.getValue());
    assertEquals(ErrorCode.FLAG_NOT_FOUND, details.getErrorCode());
  }

  @Test
  void typeMismatch_defaultWithTypeMismatch() {
    FlagEvaluationDetails<Integer> details = client.getIntegerDetails("banner_text", 7, NONE);
    assertEquals(7, details.getValue());
    assertEquals(ErrorCode.TYPE_MISMATCH, details.getErrorCode());
  }

  @Test
  void wrongKey_defaultWithAnError() {
    FlagEvaluationDetails<String> details = wrongKey.getStringDetails("banner_text", "d", NONE);
    assertEquals("d", details.getValue());
    assertEquals(ErrorCode.GENERAL, details.getErrorCode(), details.toString());
  }
}
