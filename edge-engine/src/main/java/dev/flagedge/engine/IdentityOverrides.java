package dev.flagedge.engine;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flagedge.engine.internal.JsonWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A document's identity overrides, grouped as the reference mapper groups them: one synthetic
 * "identity_overrides" segment per distinct override set, in order of first appearance, matching
 * the identifiers that share it (priority -infinity, so they beat every segment override). The
 * first identity's values stand for the group: the reference groups by Python equality, where
 * {@code 1 == 1.0 == True}. Identities are added one at a time, so a large document's overrides
 * never need to be held as one JSON tree.
 */
final class IdentityOverrides {
  /** The document member holding the overrides. */
  static final String MEMBER = "identity_overrides";

  /**
   * The name (and metadata source) of the synthetic segments, as the reference mapper names them.
   */
  static final String SEGMENT_NAME = "identity_overrides";

  private final Map<String, Group> groups = new LinkedHashMap<>();
  private int count;

  /** The overrides of a parsed document ({@code identity_overrides}; absent or null means none). */
  static IdentityOverrides of(JsonNode document) {
    IdentityOverrides overrides = new IdentityOverrides();
    for (JsonNode identity : Json.array(Json.requireObject(document, "$"), MEMBER, "$")) {
      overrides.add(identity);
    }
    return overrides;
  }

  /**
   * The overrides of an {@code identity_overrides} array read from a stream, one identity at a time
   * rather than as one tree; the parser is on the array's start and is left on its end.
   */
  static IdentityOverrides read(JsonParser parser) throws IOException {
    IdentityOverrides overrides = new IdentityOverrides();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      overrides.add(Json.MEMBER_VALUE.readTree(parser));
    }
    return overrides;
  }

  /** Adds the next identity override (an identity with its {@code identity_features}). */
  void add(JsonNode identity) {
    String path = "$.identity_overrides[" + count++ + "]";
    Json.requireObject(identity, path);
    JsonNode states = Json.array(identity, "identity_features", path);
    if (states.size() == 0) {
      return;
    }
    List<JsonNode> sorted = sortedByFeatureName(states, path);
    groups
        .computeIfAbsent(groupKey(sorted), k -> new Group(sorted, path))
        .identifiers
        .add(Json.text(identity, "identifier", path));
  }

  /** The number of synthetic segments {@link #segments} gives. */
  int groupCount() {
    return groups.size();
  }

  List<Segment> segments(ContextCompiler compiler) {
    Property identifier = compiler.parts.property("$.identity.identifier");
    JsonValue metadata =
        compiler.parts.value(Json.MAPPER.createObjectNode().put("source", SEGMENT_NAME));
    List<Segment> segments = new ArrayList<>(groups.size());
    for (Group group : groups.values()) {
      Rule rule =
          new Rule(
              Rule.Quantifier.ALL,
              List.of(new Condition.In(identifier, Set.copyOf(group.identifiers))),
              List.of());
      segments.add(new Segment(SEGMENT_NAME, metadata, List.of(rule), group.overrides(compiler)));
    }
    return segments;
  }

  private static List<JsonNode> sortedByFeatureName(JsonNode states, String path) {
    List<JsonNode> sorted = new ArrayList<>(states.size());
    for (int j = 0; j < states.size(); j++) {
      String statePath = path + ".identity_features[" + j + "]";
      JsonNode state = Json.requireObject(states.get(j), statePath);
      Json.text(
          Json.requireObject(state.get("feature"), statePath + ".feature"), "name", statePath);
      sorted.add(state);
    }
    if (sorted.size() > 1) {
      sorted.sort(
          (a, b) ->
              TypedComparison.compareCodePoints(
                  a.get("feature").get("name").textValue(),
                  b.get("feature").get("name").textValue()));
    }
    return sorted;
  }

  private static String groupKey(List<JsonNode> states) {
    StringBuilder key = new StringBuilder();
    for (JsonNode state : states) {
      JsonNode feature = state.get("feature");
      key.append(feature.get("id")).append('\u0000');
      key.append(JsonWriter.quote(feature.get("name").textValue()));
      key.append('\u0000').append(state.path("enabled").asBoolean()).append('\u0000');
      appendPythonEqualityForm(state.get("feature_state_value"), key);
      key.append('\u0001');
    }
    return key.toString();
  }

  /** Values that Python considers equal get the same text: True and 1.0 both become 1. */
  private static void appendPythonEqualityForm(JsonNode value, StringBuilder key) {
    if (value == null || value.isNull()) {
      key.append("null");
    } else if (value.isBoolean()) {
      key.append(value.booleanValue() ? '1' : '0');
    } else if (value.isFloatingPointNumber()
        && value.doubleValue() == Math.rint(value.doubleValue())
        && Double.isFinite(value.doubleValue())) {
      key.append(value.decimalValue().toBigInteger());
    } else {
      key.append(JsonText.write(value));
    }
  }

  private static final class Group {
    final List<JsonNode> states;
    final String path;
    final List<String> identifiers = new ArrayList<>();

    Group(List<JsonNode> states, String path) {
      this.states = states;
      this.path = path;
    }

    List<Feature> overrides(ContextCompiler compiler) {
      List<Feature> overrides = new ArrayList<>(states.size());
      ReasonDetail reason = compiler.parts.targetingMatch(SEGMENT_NAME);
      for (JsonNode state : states) {
        JsonNode feature = state.get("feature");
        ObjectNode context = Json.MAPPER.createObjectNode();
        context.put("key", "");
        context.set("name", feature.get("name"));
        context.put("enabled", state.path("enabled").asBoolean());
        context.set(
            "value",
            state.has("feature_state_value")
                ? state.get("feature_state_value")
                : Json.MAPPER.nullNode());
        context.put("priority", Double.NEGATIVE_INFINITY);
        context.putObject("metadata").set("id", feature.get("id"));
        overrides.add(compiler.feature(context, path + ".identity_features", reason));
      }
      return overrides;
    }
  }
}
