package dev.flagedge.openfeature;

import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.Value;
import java.util.HashMap;
import java.util.Map;

/**
 * Converts OpenFeature context attributes to Flagsmith traits: strings, booleans and numbers are
 * kept, instants become ISO-8601 strings ({@code 2026-11-25T10:00:00Z}), and null values,
 * structures and lists are skipped (Flagsmith traits are scalars). The targeting key is the
 * identifier, never a trait.
 */
final class Traits {
  private Traits() {}

  static Map<String, Object> of(EvaluationContext context) {
    Map<String, Object> traits = new HashMap<>();
    for (String key : context.keySet()) {
      if (!key.equals(EvaluationContext.TARGETING_KEY)) {
        Object trait = trait(context.getValue(key));
        if (trait != null) {
          traits.put(key, trait);
        }
      }
    }
    return traits;
  }

  /** The trait value, or null when the attribute has no trait form. */
  static Object trait(Value value) {
    if (value == null || value.isNull()) {
      return null;
    } else if (value.isString()) {
      return value.asString();
    } else if (value.isBoolean()) {
      return value.asBoolean();
    } else if (value.isNumber()) {
      return value.asObject();
    } else if (value.isInstant()) {
      return value.asInstant().toString();
    }
    return null;
  }
}
