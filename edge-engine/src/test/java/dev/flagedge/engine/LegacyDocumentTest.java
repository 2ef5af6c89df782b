package dev.flagedge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The legacy engine-test-data v1.0.0 document: 101 identities with the Core API's recorded
 * responses. Those responses hashed on the identity's database id, so the identity key is {@code
 * str(django_id)} here rather than the proxy's {@code <api_key>_<identifier>}.
 */
class LegacyDocumentTest {

  @Test
  void identityFlags_legacyIdentities_matchRecordedResponses() {
    JsonNode fixture =
        EngineTestData.read(
            EngineTestData.directory()
                .resolve("v1.0.0/data/environment_n9fbf9h3v4fFgH3U3ngWhb.json"));
    Environment environment = Environment.of(fixture.get("environment"));
    List<String> failures = new ArrayList<>();
    int total = 0;
    for (JsonNode entry : fixture.get("identities_and_responses")) {
      total++;
      JsonNode identity = entry.get("identity");
      List<Flag> flags =
          environment.identityFlags(
              identity.get("identifier").textValue(),
              identity.get("django_id").asText(),
              traits(identity.get("identity_traits")));
      String actual = summary(flags);
      String expected = expectedSummary(entry.get("response").get("flags"));
      if (!expected.equals(actual)) {
        failures.add(
            identity.get("identifier").textValue() + ": expected " + expected + " got " + actual);
      }
    }
    System.out.printf(
        "legacy v1.0.0 document: %d/%d identities matched%n", total - failures.size(), total);
    assertEquals(List.of(), failures);
    assertEquals(101, total);
  }

  private static Map<String, Object> traits(JsonNode traits) {
    Map<String, Object> values = new HashMap<>();
    for (JsonNode trait : traits) {
      values.put(trait.get("trait_key").textValue(), Values.fromJson(trait.get("trait_value")));
    }
    return values;
  }

  private static String summary(List<Flag> flags) {
    Map<String, String> byName = new java.util.TreeMap<>();
    for (Flag flag : flags) {
      byName.put(flag.name(), flag.enabled() + "=" + flag.valueJson());
    }
    return byName.toString();
  }

  private static String expectedSummary(JsonNode flags) {
    Map<String, String> byName = new java.util.TreeMap<>();
    for (JsonNode flag : flags) {
      byName.put(
          flag.get("feature").get("name").textValue(),
          flag.get("enabled").booleanValue()
              + "="
              + JsonText.write(flag.get("feature_state_value")));
    }
    return byName.toString();
  }
}
