package dev.flagedge.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps an environment document to an evaluation context exactly as the reference SDK mapper does,
 * and compiles it. Well-formed documents take a shortcut, {@link DocumentCompiler}, that compiles
 * the same result without building the mapped context; this class is the normative mapping, and
 * reports errors (see {@link DocumentReader}). Identity overrides, grouped by {@link
 * IdentityOverrides}, become synthetic segments after the document's own, which the compiled
 * context looks up by identifier.
 */
final class DocumentMapper {
  private static final String ROOT = "$";

  private final JsonNode document;
  private final IdentityOverrides identityOverrides;
  private final Map<Long, String> featureTypes = new HashMap<>();
  private final PartPool parts;
  private final ContextCompiler compiler;

  private DocumentMapper(JsonNode document, IdentityOverrides identityOverrides) {
    this.document = Json.requireObject(document, ROOT);
    this.identityOverrides = identityOverrides;
    this.parts = new PartPool(id -> featureTypes.getOrDefault(id, FeatureInfo.STANDARD));
    this.compiler = new ContextCompiler(parts);
  }

  /**
   * The reference path: maps the document to an evaluation context, then compiles that.
   *
   * @param document the document; its {@code identity_overrides} member is not read
   * @param identityOverrides the document's identity overrides, already grouped
   * @throws DocumentParseException if it is not an environment document
   */
  static CompiledContext mapAndCompile(JsonNode document, IdentityOverrides identityOverrides) {
    return new DocumentMapper(document, identityOverrides).compile();
  }

  private CompiledContext compile() {
    String apiKey = Json.text(document, "api_key", ROOT);
    ObjectNode context = Json.MAPPER.createObjectNode();
    ObjectNode environment = context.putObject("environment");
    environment.put("key", apiKey);
    environment.put("name", Json.textOr(document, "name", ROOT, ""));
    context.set("features", features());
    context.set("segments", segments());
    List<Feature> features = compiler.features(context, ROOT);
    List<Segment> segments = compiler.segments(context, ROOT);
    segments.addAll(identityOverrides.segments(compiler));
    return new CompiledContext(
        apiKey, features, segments, contextTree(context), parts.traitSlots());
  }

  /**
   * Nothing when no condition queries the context tree (the usual case); otherwise the tree's
   * static members as plain Java values with pooled strings, built now so that neither the mapped
   * context nor the document it points into stays reachable.
   */
  @SuppressWarnings("unchecked")
  private ContextTree contextTree(ObjectNode context) {
    return parts.readsContextTree()
        ? ContextTree.of((Map<String, Object>) parts.contextValue(context))
        : ContextTree.NONE;
  }

  private ObjectNode features() {
    ObjectNode features = Json.MAPPER.createObjectNode();
    JsonNode states = Json.array(document, "feature_states", ROOT);
    for (int i = 0; i < states.size(); i++) {
      String path = "$.feature_states[" + i + "]";
      ObjectNode feature = featureContext(states.get(i), path);
      JsonNode meta = Json.requireObject(states.get(i).get("feature"), path + ".feature");
      featureTypes.putIfAbsent(
          meta.get("id").longValue(),
          Json.textOr(meta, "type", path + ".feature", FeatureInfo.STANDARD));
      features.set(feature.get("name").textValue(), feature);
    }
    return features;
  }

  private ObjectNode segments() {
    ObjectNode segments = Json.MAPPER.createObjectNode();
    JsonNode project = Json.object(document, "project", ROOT);
    JsonNode list = Json.array(project, "segments", "$.project");
    for (int i = 0; i < list.size(); i++) {
      String path = "$.project.segments[" + i + "]";
      JsonNode segment = Json.requireObject(list.get(i), path);
      String key = Json.textOr(segment, "id", path, "");
      ObjectNode mapped = segments.putObject(key);
      mapped.put("key", key);
      mapped.put("name", Json.textOr(segment, "name", path, ""));
      mapped.set("rules", rules(Json.array(segment, "rules", path), path + ".rules"));
      ArrayNode overrides = mapped.putArray("overrides");
      JsonNode states = Json.array(segment, "feature_states", path);
      for (int j = 0; j < states.size(); j++) {
        overrides.add(featureContext(states.get(j), path + ".feature_states[" + j + "]"));
      }
      ObjectNode metadata = mapped.putObject("metadata");
      metadata.set("id", segment.get("id"));
      metadata.put("source", "api");
    }
    return segments;
  }

  private static ArrayNode rules(JsonNode rules, String path) {
    ArrayNode mapped = Json.MAPPER.createArrayNode();
    for (int i = 0; i < rules.size(); i++) {
      String rulePath = path + "[" + i + "]";
      JsonNode rule = Json.requireObject(rules.get(i), rulePath);
      ObjectNode out = mapped.addObject();
      out.set("type", rule.get("type"));
      ArrayNode conditions = out.putArray("conditions");
      JsonNode list = Json.array(rule, "conditions", rulePath);
      for (int j = 0; j < list.size(); j++) {
        JsonNode condition = Json.requireObject(list.get(j), rulePath + ".conditions[" + j + "]");
        ObjectNode c = conditions.addObject();
        JsonNode property = condition.get("property_");
        c.put("property", property == null || property.isNull() ? "" : property.asText());
        c.set("operator", condition.get("operator"));
        c.set("value", condition.get("value"));
      }
      out.set("rules", rules(Json.array(rule, "rules", rulePath), rulePath + ".rules"));
    }
    return mapped;
  }

  private static ObjectNode featureContext(JsonNode state, String path) {
    Json.requireObject(state, path);
    JsonNode feature = Json.requireObject(state.get("feature"), path + ".feature");
    JsonNode id = feature.get("id");
    if (id == null || !id.isIntegralNumber()) {
      throw Json.unexpected("an integer", path + ".feature.id", id);
    }
    ObjectNode context = Json.MAPPER.createObjectNode();
    context.put("key", featureKey(state, path));
    context.put("name", Json.text(feature, "name", path + ".feature"));
    context.put("enabled", Json.bool(state, "enabled", path, false));
    context.set(
        "value",
        state.has("feature_state_value")
            ? state.get("feature_state_value")
            : Json.MAPPER.nullNode());
    context.putObject("metadata").set("id", id);
    JsonNode values = Json.array(state, "multivariate_feature_state_values", path);
    if (values.size() > 0) {
      context.set("variants", variants(values, path + ".multivariate_feature_state_values"));
    }
    JsonNode featureSegment = state.get("feature_segment");
    if (featureSegment != null && featureSegment.isObject() && featureSegment.has("priority")) {
      context.set("priority", featureSegment.get("priority"));
    }
    return context;
  }

  /** The hash seed: the feature state's database id when truthy, else its UUID. */
  private static String featureKey(JsonNode state, String path) {
    JsonNode djangoId = state.get("django_id");
    if (djangoId != null
        && djangoId.isIntegralNumber()
        && djangoId.bigIntegerValue().signum() != 0) {
      return djangoId.bigIntegerValue().toString();
    }
    return Json.textOr(state, "featurestate_uuid", path, "None");
  }

  private static ArrayNode variants(JsonNode values, String path) {
    ArrayNode variants = Json.MAPPER.createArrayNode();
    for (int i = 0; i < values.size(); i++) {
      String valuePath = path + "[" + i + "]";
      JsonNode value = Json.requireObject(values.get(i), valuePath);
      JsonNode option =
          Json.requireObject(
              value.get("multivariate_feature_option"), valuePath + ".multivariate_feature_option");
      ObjectNode variant = variants.addObject();
      variant.set("value", option.has("value") ? option.get("value") : Json.MAPPER.nullNode());
      variant.set("weight", value.get("percentage_allocation"));
      JsonNode id = value.get("id");
      if (id != null && id.isIntegralNumber() && id.bigIntegerValue().signum() != 0) {
        variant.set("priority", id);
      } else {
        variant.put("priority", uuidAsInteger(Json.text(value, "mv_fs_value_uuid", valuePath)));
      }
      JsonNode key = option.get("key");
      if (key != null && !key.isNull()) {
        variant.set("key", key);
      }
    }
    return variants;
  }

  static BigInteger uuidAsInteger(String uuid) {
    try {
      return new BigInteger(uuid.replace("-", ""), 16);
    } catch (NumberFormatException e) {
      throw new DocumentParseException(
          "expected a UUID at mv_fs_value_uuid, found \"" + uuid + "\"");
    }
  }
}
