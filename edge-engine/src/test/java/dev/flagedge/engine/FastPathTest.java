package dev.flagedge.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Usual documents take the fast paths, and unusual ones fall back only for the reasons {@link
 * FastPath} names; a bug in a fast path propagates rather than making loading silently slower.
 */
class FastPathTest {
  /** What the server's tests serve: documents from the Flagsmith API, or written in their image. */
  private static final Path SERVER_DOCUMENTS = Path.of("../edge-server/src/test/resources");

  static Stream<Arguments> serverDocuments() throws IOException {
    assertTrue(Files.isDirectory(SERVER_DOCUMENTS), () -> "not found: " + SERVER_DOCUMENTS);
    List<Arguments> documents = new ArrayList<>();
    try (Stream<Path> cases = Files.list(SERVER_DOCUMENTS.resolve("compat-cases"))) {
      for (Path file : cases.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        JsonNode testCase = Json.MAPPER.readTree(file.toFile());
        documents.add(Arguments.of(file.getFileName().toString(), testCase.get("document")));
      }
    }
    for (String file : List.of("sdk/sdk-environment.json", "documents/shop.json")) {
      documents.add(
          Arguments.of(file, Json.MAPPER.readTree(SERVER_DOCUMENTS.resolve(file).toFile())));
    }
    return documents.stream();
  }

  /**
   * A condition on a general JSONPath query ({@code $.environment.name}, say: the compatibility
   * cases have them) reads the context tree, which only the reference mapping builds; no other
   * document falls back.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("serverDocuments")
  void parse_serverTestDocument_fastPathUnlessItQueriesTheContext(String name, JsonNode document)
      throws IOException {
    String json = document.toString();
    if (queriesContextTree(document)) {
      FastPath.Fallback query = FastPath.Fallback.CONTEXT_TREE_QUERY;
      assertEquals(List.of(query, query), Environment.parse(json).fallbacks);
      assertEquals(
          List.of(query),
          Environment.parse(new ByteArrayInputStream(json.getBytes(UTF_8))).fallbacks);
    } else {
      assertNoFallback(json);
    }
  }

  @Test
  void parse_conformanceDocument_noFallback() throws IOException {
    Path file =
        EngineTestData.directory().resolve("v1.0.0/data/environment_n9fbf9h3v4fFgH3U3ngWhb.json");
    assertNoFallback(EngineTestData.read(file).get("environment").toString());
  }

  @Test
  void parse_generatedDocuments_noFallback() throws IOException {
    for (int seed = 0; seed < 40; seed++) {
      assertNoFallback(DocumentCompilerTest.generated(new Random(seed)).toString());
    }
  }

  /**
   * Text in memory takes the one-pass reading; a stream, read once, the direct compile of a tree.
   */
  private static void assertNoFallback(String json) throws IOException {
    byte[] bytes = json.getBytes(UTF_8);
    assertEquals(List.of(), Environment.parse(bytes).fallbacks);
    assertEquals(List.of(), Environment.parse(json).fallbacks);
    assertEquals(List.of(), Environment.parse(new ByteArrayInputStream(bytes)).fallbacks);
  }

  /** Whether a segment condition's property is a JSONPath query other than the two shortcuts. */
  private static boolean queriesContextTree(JsonNode document) {
    for (JsonNode condition : document.findValues("conditions")) {
      for (JsonNode c : condition) {
        String property = c.path("property_").asText("");
        if (property.startsWith("$.")
            && !property.equals("$.identity.identifier")
            && !property.equals("$.identity.key")) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void parse_nullIdentityOverrides_treeCompilesDirectly() {
    Environment environment =
        Environment.parse(document(", \"identity_overrides\": null", "\"feature_segment\": null"));
    assertEquals(List.of(FastPath.Fallback.UNUSUAL_TOKENS), environment.fallbacks);
  }

  @Test
  void parse_djangoIdRepeatedAfterTheSkippedUuid_treeReadsTheUuid() {
    // The one-pass reading skips featurestate_uuid after a django_id; a later django_id: null
    // makes the uuid the state's key again, which only the tree still has.
    Environment environment =
        Environment.parse(
            document("", "\"django_id\": 5, \"featurestate_uuid\": \"fs-1\", \"django_id\": null"));
    assertEquals(List.of(FastPath.Fallback.UNUSUAL_TOKENS), environment.fallbacks);
    assertEquals(
        List.of(),
        Environment.parse(document("", "\"django_id\": 5, \"featurestate_uuid\": \"fs-1\""))
            .fallbacks);
  }

  @Test
  void parse_floatPriority_treeCompilesDirectly() {
    Environment environment =
        Environment.parse(document("", "\"feature_segment\": {\"priority\": 1.5}"));
    assertEquals(List.of(FastPath.Fallback.UNUSUAL_TOKENS), environment.fallbacks);
  }

  @Test
  void parse_invalidDocument_errorWithItsPath() {
    DocumentParseException e =
        assertThrows(
            DocumentParseException.class,
            () -> Environment.parse(document("", "\"enabled\": \"yes\"")));
    assertEquals(
        "expected a boolean at $.feature_states[0].enabled, found \"yes\"", e.getMessage());
  }

  @Test
  void parse_bytesInNoJsonEncoding_documentParseException() {
    DocumentParseException e =
        assertThrows(
            DocumentParseException.class, () -> Environment.parse(new byte[] {0, 0, '{', 0}));
    assertTrue(
        e.getMessage().startsWith("environment document is not valid JSON: "), e.getMessage());
  }

  @Test
  void streamRead_bugInTheReading_propagates() throws IOException {
    JsonParser parser =
        new JsonParserDelegate(Json.MAPPER.createParser(document("", "\"enabled\": true"))) {
          private int tokens;

          @Override
          public JsonToken nextToken() throws IOException {
            if (++tokens == 10) {
              throw new IllegalStateException("a bug");
            }
            return super.nextToken();
          }
        };
    assertThrows(IllegalStateException.class, () -> DocumentStream.read(parser));
  }

  @Test
  @SuppressWarnings("unchecked") // ObjectNode's deepCopy() narrows JsonNode's generic one
  void treeCompile_bugInTheCompile_propagates() {
    ObjectNode document =
        new ObjectNode(JsonNodeFactory.instance) {
          private static final long serialVersionUID = 1L;

          @Override
          public JsonNode get(String name) {
            if (name.equals("feature_states")) {
              throw new IllegalStateException("a bug");
            }
            return super.get(name);
          }
        };
    document.put("api_key", "k");
    assertThrows(
        IllegalStateException.class,
        () -> DocumentCompiler.compile(document, new IdentityOverrides()));
  }

  /** A document of one feature, with a member added to it and one to its feature state. */
  private static String document(String documentMember, String stateMember) {
    return "{\"api_key\": \"k\", \"feature_states\": [{\"feature\": {\"id\": 1, \"name\": \"f\"}, "
        + stateMember
        + "}]"
        + documentMember
        + "}";
  }
}
