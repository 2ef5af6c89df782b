package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityRequestTest {
  private static IdentityRequest request(String traitsJson) {
    return IdentityRequest.validate(
        ("{\"identifier\":\"someone\",\"traits\":[" + traitsJson + "]}")
            .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void traitValues_distinctKeys_everyTraitInOrderWithNulls() {
    Map<String, Object> values =
        request(
                "{\"trait_key\":\"plan\",\"trait_value\":\"beta\"},"
                    + "{\"trait_key\":\"age\",\"trait_value\":42},"
                    + "{\"trait_key\":\"gone\",\"trait_value\":null}")
            .traitValues();
    Map<String, Object> expected = new HashMap<>();
    expected.put("plan", "beta");
    expected.put("age", 42L);
    expected.put("gone", null);
    assertEquals(expected, values);
    assertEquals(expected, new HashMap<>(values));
    Map<String, Object> visited = new LinkedHashMap<>();
    values.forEach(visited::put);
    assertEquals(List.of("plan", "age", "gone"), new ArrayList<>(visited.keySet()));
    assertEquals(42L, values.get("age"));
  }

  @Test
  void traitValues_repeatedKey_lastValueWins() {
    Map<String, Object> values =
        request(
                "{\"trait_key\":\"plan\",\"trait_value\":\"free\"},"
                    + "{\"trait_key\":\"other\",\"trait_value\":1},"
                    + "{\"trait_key\":\"plan\",\"trait_value\":\"beta\"}")
            .traitValues();
    assertEquals(Map.of("plan", "beta", "other", 1L), values);
    Map<String, Object> visited = new HashMap<>();
    values.forEach(visited::put);
    assertEquals(Map.of("plan", "beta", "other", 1L), visited);
  }

  @Test
  void traitValues_manyTraits_everyOneOnce() {
    StringBuilder json = new StringBuilder();
    Map<String, Object> expected = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      json.append(i > 0 ? "," : "")
          .append("{\"trait_key\":\"t")
          .append(i % 60)
          .append("\",\"trait_value\":")
          .append(i)
          .append('}');
      expected.put("t" + (i % 60), (long) i);
    }
    assertEquals(expected, request(json.toString()).traitValues());
  }
}
