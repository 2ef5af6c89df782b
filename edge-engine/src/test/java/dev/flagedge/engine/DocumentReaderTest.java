package dev.flagedge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Streaming the identity overrides must read a document exactly as the tree path does. */
class DocumentReaderTest {
  private static final String FEATURES =
      "\"feature_states\": [{\"feature\": {\"id\": 1, "
          + "\"name\": \"f\"}, \"enabled\": false, \"feature_state_value\": \"default\"}]";

  private static String override(String identifier, String value) {
    return "{\"identifier\": \""
        + identifier
        + "\", \"identity_features\": [{\"feature\": "
        + "{\"id\": 1, \"name\": \"f\"}, \"enabled\": true, \"feature_state_value\": \""
        + value
        + "\"}]}";
  }

  @Test
  void parse_streamedOverrides_sameFlagsAsTree() throws Exception {
    String json =
        "{\"identity_overrides\": ["
            + override("a", "A")
            + ", "
            + override("b", "B")
            + "], \"api_key\": \"k\", "
            + FEATURES
            + "}";
    Environment streamed = Environment.parse(json);
    Environment tree = Environment.of(Json.MAPPER.readTree(json));
    for (String identifier : new String[] {"a", "b", "c"}) {
      assertEquals(
          tree.identityFlags(identifier, Map.of()).get(0).valueJson(),
          streamed.identityFlags(identifier, Map.of()).get(0).valueJson());
    }
    assertEquals("\"A\"", streamed.identityFlags("a", Map.of()).get(0).valueJson());
  }

  @Test
  void parse_repeatedOverridesMember_lastWinsLikeATree() {
    Environment environment =
        Environment.parse(
            "{\"api_key\": \"k\", "
                + FEATURES
                + ", \"identity_overrides\": ["
                + override("a", "first")
                + "], \"identity_overrides\": ["
                + override("b", "second")
                + "]}");
    assertEquals("\"default\"", environment.identityFlags("a", Map.of()).get(0).valueJson());
    assertEquals("\"second\"", environment.identityFlags("b", Map.of()).get(0).valueJson());
  }

  @Test
  void parse_nullOverrides_none() {
    Environment environment =
        Environment.parse("{\"api_key\": \"k\", " + FEATURES + ", \"identity_overrides\": null}");
    assertEquals("\"default\"", environment.identityFlags("a", Map.of()).get(0).valueJson());
  }

  @Test
  void parse_overrideNotAnObject_messageNamesIndex() {
    DocumentParseException e =
        assertThrows(
            DocumentParseException.class,
            () ->
                Environment.parse(
                    "{\"api_key\": \"k\", "
                        + FEATURES
                        + ", \"identity_overrides\": ["
                        + override("a", "A")
                        + ", 7]}"));
    assertEquals("expected an object at $.identity_overrides[1], found 7", e.getMessage());
  }

  @Test
  void parse_contentAfterTheDocument_rejected() {
    DocumentParseException e =
        assertThrows(
            DocumentParseException.class,
            () -> Environment.parse("{\"api_key\": \"k\", " + FEATURES + "} {}"));
    assertEquals("environment document is not valid JSON: content after the end", e.getMessage());
  }

  @Test
  void parse_rootNotAnObject_messageNamesRoot() {
    DocumentParseException e =
        assertThrows(DocumentParseException.class, () -> Environment.parse("[1, 2]"));
    assertEquals("expected an object at $, found [1,2]", e.getMessage());
  }
}
