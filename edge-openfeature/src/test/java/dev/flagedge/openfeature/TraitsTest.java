package dev.flagedge.openfeature;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.Value;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraitsTest {
  @Test
  void of_scalarAttributes_keptAsTheirJavaValues() {
    Map<String, Value> attributes = new HashMap<>();
    attributes.put("plan", new Value("pro"));
    attributes.put("beta", new Value(true));
    attributes.put("orders", new Value(150));
    attributes.put("score", new Value(0.75));
    attributes.put("signedUp", new Value(Instant.parse("2026-11-25T10:00:00Z")));

    assertEquals(
        Map.of(
            "plan",
            "pro",
            "beta",
            true,
            "orders",
            150,
            "score",
            0.75,
            "signedUp",
            "2026-11-25T10:00:00Z"),
        Traits.of(new ImmutableContext("u", attributes)));
  }

  @Test
  void of_nullStructureAndListAttributes_skipped() {
    Map<String, Value> attributes = new HashMap<>();
    attributes.put("none", new Value());
    attributes.put("address", new Value(new ImmutableStructure(Map.of("city", new Value("x")))));
    attributes.put("tags", new Value(List.of(new Value("a"))));
    attributes.put("plan", new Value("pro"));

    assertEquals(Map.of("plan", "pro"), Traits.of(new ImmutableContext("u", attributes)));
  }

  @Test
  void of_targetingKey_notATrait() {
    MutableContext context = new MutableContext("user-1");
    context.add("plan", "pro");
    assertEquals(Map.of("plan", "pro"), Traits.of(context));
    assertEquals(Map.of(), Traits.of(new ImmutableContext("user-1")));
  }
}
