package dev.flagedge.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Identity trait fixtures for each {@link Profile}, chosen to match a known subset of its segments.
 *
 * <ul>
 *   <li>simple: {@code plan=beta} (matches {@code beta_users}), then an integer, an e-mail, a
 *       country, a boolean and padding traits;
 *   <li>heavy: {@code trait_0 … trait_{n-1} = "v0"}. With 5 traits the two {@code ANY} segments
 *       over {@code "v0"} match; with 15 the three {@code ALL} segments over {@code "v0"} match as
 *       well (5 of 15), and the non-matching {@code ANY} segments test all 15 conditions;
 *   <li>huge: as heavy, against its mixed-operator conditions.
 * </ul>
 *
 * Stateless and thread-safe.
 */
final class Traits {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX = 15;

  private Traits() {}

  /**
   * The first {@code count} traits of the profile's fixture, in a stable order.
   *
   * @throws IllegalArgumentException if count is negative or above 15
   */
  static Map<String, Object> of(Profile profile, int count) {
    if (count < 0 || count > MAX) {
      throw new IllegalArgumentException("trait count must be in [0, 15]: " + count);
    }
    Map<String, Object> all = new LinkedHashMap<>();
    if (profile == Profile.SIMPLE) {
      all.put("plan", "beta");
      all.put("orders", 150);
      all.put("email", "bench@flagedge.dev");
      all.put("country", "de");
      all.put("beta_tester", true);
    }
    for (int i = all.size(); i < MAX; i++) {
      all.put("trait_" + i, "v0");
    }
    Map<String, Object> traits = new LinkedHashMap<>();
    for (Map.Entry<String, Object> trait : all.entrySet()) {
      if (traits.size() == count) {
        break;
      }
      traits.put(trait.getKey(), trait.getValue());
    }
    return Collections.unmodifiableMap(traits);
  }

  /** The body of {@code POST /api/v1/identities/} for an identifier and traits. */
  static String requestBody(String identifier, Map<String, Object> traits) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("identifier", identifier);
    ArrayNode list = body.putArray("traits");
    for (Map.Entry<String, Object> trait : traits.entrySet()) {
      ObjectNode node = list.addObject();
      node.put("trait_key", trait.getKey());
      node.set("trait_value", MAPPER.valueToTree(trait.getValue()));
    }
    try {
      return MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
