package dev.flagedge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The direct paths ({@link DocumentCompiler} from a tree, {@link DocumentStream} from tokens) must
 * compile exactly what the reference mapping ({@link DocumentMapper}) compiles: the compiled
 * contexts are compared field by field, down to every flag, condition and value.
 */
class DocumentCompilerTest {

  static Stream<String> documents() {
    List<String> documents = new ArrayList<>();
    documents.add(
        EngineTestData.read(
                EngineTestData.directory()
                    .resolve("v1.0.0/data/environment_n9fbf9h3v4fFgH3U3ngWhb.json"))
            .get("environment")
            .toString());
    for (int seed = 0; seed < 40; seed++) {
      documents.add(generated(new Random(seed)).toString());
    }
    return documents.stream();
  }

  @ParameterizedTest
  @MethodSource("documents")
  void compile_directPaths_sameAsMapping(String json) throws Exception {
    JsonNode tree = Json.MAPPER.readTree(json);
    String expected = dump(DocumentMapper.mapAndCompile(tree, IdentityOverrides.of(tree)));
    FastPath<CompiledContext> direct = DocumentCompiler.compile(tree, IdentityOverrides.of(tree));
    assertNull(direct.fallback(), "tree walk fell back");
    assertEquals(expected, dump(direct.result()));
    FastPath<DocumentReader.Read> streamed =
        DocumentStream.read(Json.MAPPER.createParser(json.getBytes(StandardCharsets.UTF_8)));
    assertNull(streamed.fallback(), "stream fell back");
    assertEquals(expected, dump(streamed.result().compiled()));
    Environment parsed = Environment.parse(json);
    assertEquals(List.of(), parsed.fallbacks);
    Environment of = Environment.of(tree);
    assertEquals(List.of(), of.fallbacks);
    assertEquals(of.name(), parsed.name());
    assertEquals(of.updatedAt(), parsed.updatedAt());
    assertEquals(of.hideDisabledFlags(), parsed.hideDisabledFlags());
    assertEquals(of.serverKeyOnlyFeatureIds(), parsed.serverKeyOnlyFeatureIds());
    assertEquals(of.environmentFlags().toString(), parsed.environmentFlags().toString());
  }

  @Test
  void compile_repeatedFeatureName_fallsBackAndMapsLikeTheReference() throws Exception {
    ObjectNode document = generated(new Random(1));
    ArrayNode states = (ArrayNode) document.get("feature_states");
    states.add(states.get(0).deepCopy());
    ((ObjectNode) states.get(states.size() - 1)).put("feature_state_value", "replaced");
    assertFallsBackButCompilesLikeMapping(document, FastPath.Fallback.REPEATED_KEY);
  }

  @Test
  void compile_repeatedSegmentId_fallsBackAndMapsLikeTheReference() throws Exception {
    ObjectNode document = generated(new Random(2));
    ArrayNode segments = (ArrayNode) document.get("project").get("segments");
    segments.add(segments.get(0).deepCopy());
    ((ObjectNode) segments.get(segments.size() - 1)).put("name", "replaced");
    assertFallsBackButCompilesLikeMapping(document, FastPath.Fallback.REPEATED_KEY);
  }

  @Test
  void compile_contextTreeQuery_fallsBackAndMapsLikeTheReference() throws Exception {
    ObjectNode document = generated(new Random(3));
    ObjectNode condition =
        (ObjectNode)
            document
                .get("project")
                .get("segments")
                .get(0)
                .get("rules")
                .get(0)
                .get("conditions")
                .get(0);
    condition.put("property_", "$.features.feature_0.value");
    assertFallsBackButCompilesLikeMapping(document, FastPath.Fallback.CONTEXT_TREE_QUERY);
  }

  private static void assertFallsBackButCompilesLikeMapping(
      ObjectNode document, FastPath.Fallback reason) throws Exception {
    String json = document.toString();
    JsonNode tree = Json.MAPPER.readTree(json);
    assertEquals(reason, DocumentCompiler.compile(tree, IdentityOverrides.of(tree)).fallback());
    assertEquals(reason, DocumentStream.read(Json.MAPPER.createParser(json)).fallback());
    String expected = dump(DocumentMapper.mapAndCompile(tree, IdentityOverrides.of(tree)));
    DocumentReader.Read read = DocumentReader.read(json);
    assertEquals(expected, dump(read.compiled()));
    assertEquals(List.of(reason, reason), read.fallbacks());
  }

  /** A document using every kind of value, variant, priority and condition the mapping handles. */
  static ObjectNode generated(Random random) {
    ObjectNode document = Json.MAPPER.createObjectNode();
    document.put("id", 1).put("api_key", "key-" + random.nextInt(5)).put("name", "Env");
    ObjectNode project = document.putObject("project");
    project.put("hide_disabled_flags", random.nextBoolean());
    project.putArray("server_key_only_feature_ids").add(2);
    int featureCount = 1 + random.nextInt(8);
    ArrayNode segments = project.putArray("segments");
    int segmentCount = random.nextInt(6);
    for (int s = 0; s < segmentCount; s++) {
      ObjectNode segment = segments.addObject();
      if (random.nextInt(8) > 0) {
        segment.put("id", 100 + s);
      } else {
        segment.put("id", "s" + s);
      }
      segment.put("name", "segment " + s);
      ObjectNode rule = segment.putArray("rules").addObject();
      rule.put("type", pick(random, "ALL", "ANY", "NONE", "BOGUS"));
      conditions(random, rule.putArray("conditions"));
      ObjectNode sub = rule.putArray("rules").addObject();
      sub.put("type", pick(random, "ALL", "ANY"));
      conditions(random, sub.putArray("conditions"));
      if (random.nextInt(5) > 0) {
        ArrayNode overrides = segment.putArray("feature_states");
        for (int f = 0; f < featureCount; f++) {
          if (random.nextBoolean()) {
            ObjectNode state = state(random, f, overrides.addObject());
            if (random.nextInt(4) > 0) {
              state.putObject("feature_segment").put("priority", random.nextInt(3));
            }
          }
        }
      }
    }
    ArrayNode states = document.putArray("feature_states");
    for (int f = 0; f < featureCount; f++) {
      state(random, f, states.addObject()).putNull("feature_segment");
    }
    ArrayNode identities = document.putArray("identity_overrides");
    for (int i = 0; i < random.nextInt(4); i++) {
      ObjectNode identity = identities.addObject().put("identifier", "user" + i);
      state(
          random, random.nextInt(featureCount), identity.putArray("identity_features").addObject());
    }
    return document;
  }

  private static ObjectNode state(Random random, int feature, ObjectNode state) {
    state
        .putObject("feature")
        .put("id", feature + 1)
        .put("name", "feature_" + feature)
        .put("type", feature % 3 == 0 ? "MULTIVARIATE" : "STANDARD");
    state.put("enabled", random.nextBoolean());
    switch (random.nextInt(9)) {
      case 0 -> state.put("feature_state_value", "text " + random.nextInt(4));
      case 1 -> state.put("feature_state_value", random.nextInt(4));
      case 2 -> state.put("feature_state_value", random.nextBoolean());
      case 3 -> state.putNull("feature_state_value");
      case 4 -> state.put("feature_state_value", 1.5);
      case 5 -> state.put("feature_state_value", new BigInteger("123456789012345678901234"));
      case 6 -> state.putObject("feature_state_value").put("a", 1).putArray("b").add("x");
      case 7 -> state.put("feature_state_value", "quote \" and \\ and \n");
      default -> {} // absent
    }
    switch (random.nextInt(3)) {
      case 0 -> state.put("django_id", 1000 + random.nextInt(100));
      case 1 -> state.putNull("django_id");
      default -> state.put("django_id", 0);
    }
    state.put("featurestate_uuid", "fs-uuid-" + random.nextInt(100));
    ArrayNode values = state.putArray("multivariate_feature_state_values");
    if (random.nextInt(3) == 0) {
      for (int v = 0; v < 1 + random.nextInt(3); v++) {
        ObjectNode value = values.addObject();
        if (random.nextBoolean()) {
          value.put("id", 50 + random.nextInt(10));
        } else {
          value.putNull("id");
        }
        value.put("mv_fs_value_uuid", "0000000" + v + "-0000-0000-0000-00000000000" + v);
        if (random.nextBoolean()) {
          value.put("percentage_allocation", 30);
        } else {
          value.put("percentage_allocation", 25.5);
        }
        ObjectNode option = value.putObject("multivariate_feature_option");
        option.put("value", "option " + v);
        if (random.nextBoolean()) {
          option.put("key", "k" + v);
        }
      }
    }
    return state;
  }

  private static void conditions(Random random, ArrayNode conditions) {
    for (int c = 0; c < random.nextInt(4); c++) {
      ObjectNode condition = conditions.addObject();
      String operator =
          pick(
              random,
              "EQUAL",
              "NOT_EQUAL",
              "GREATER_THAN",
              "IN",
              "NOT_CONTAINS",
              "REGEX",
              "MODULO",
              "PERCENTAGE_SPLIT",
              "IS_SET",
              "IS_NOT_SET",
              "CONTAINS",
              "BOGUS");
      condition.put("operator", operator);
      switch (random.nextInt(4)) {
        case 0 -> condition.putNull("property_");
        case 1 -> condition.put("property_", "$.identity.identifier");
        default -> condition.put("property_", "trait_" + random.nextInt(3));
      }
      switch (random.nextInt(5)) {
        case 0 -> condition.putNull("value");
        case 1 -> condition.put("value", "a,b,1");
        case 2 -> condition.put("value", "2|1");
        case 3 -> condition.put("value", "[\"x\", 2]");
        default -> condition.put("value", String.valueOf(random.nextInt(100)));
      }
    }
  }

  private static String pick(Random random, String... choices) {
    return choices[random.nextInt(choices.length)];
  }

  /** Every field of the engine's objects, recursively, in a stable order. */
  static String dump(Object value) throws IllegalAccessException {
    StringBuilder sb = new StringBuilder();
    dump(value, sb);
    return sb.toString();
  }

  private static void dump(Object value, StringBuilder sb) throws IllegalAccessException {
    if (value == null
        || value instanceof String
        || value instanceof Number
        || value instanceof Boolean
        || value instanceof Enum) {
      sb.append(value == null ? "null" : value.getClass().getSimpleName() + ":" + value);
    } else if (value instanceof Pattern) {
      Pattern pattern = (Pattern) value;
      sb.append("Pattern(")
          .append(pattern.pattern())
          .append(',')
          .append(pattern.flags())
          .append(')');
    } else if (value instanceof Map) {
      sb.append(value.getClass().getSimpleName()).append('{');
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        dump(entry.getKey(), sb);
        sb.append('=');
        dump(entry.getValue(), sb);
        sb.append(',');
      }
      sb.append('}');
    } else if (value instanceof Collection) {
      sb.append('[');
      for (Object element : (Collection<?>) value) {
        dump(element, sb);
        sb.append(',');
      }
      sb.append(']');
    } else if (value.getClass().isArray()) {
      sb.append('[');
      for (int i = 0; i < Array.getLength(value); i++) {
        dump(Array.get(value, i), sb);
        sb.append(',');
      }
      sb.append(']');
    } else if (value.getClass().getPackageName().equals("dev.flagedge.engine")) {
      sb.append(value.getClass().getSimpleName()).append('(');
      for (Class<?> type = value.getClass(); type != Object.class; type = type.getSuperclass()) {
        for (Field field : type.getDeclaredFields()) {
          if (!Modifier.isStatic(field.getModifiers())) {
            field.setAccessible(true);
            sb.append(field.getName()).append('=');
            // a flag's hash is computed on first use: compare the values, not whether it was used
            dump(
                value instanceof Flag && field.getName().equals("hash")
                    ? value.hashCode()
                    : field.get(value),
                sb);
            sb.append(';');
          }
        }
      }
      sb.append(')');
    } else {
      sb.append(value.getClass().getName()).append(':').append(value);
    }
  }
}
