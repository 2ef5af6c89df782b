package dev.flagedge.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles an environment document with the mapping of {@link DocumentMapper} (spec §4) but without
 * building the mapped evaluation context: each feature state, segment, rule and condition becomes
 * its compiled form directly, and the feature info of a feature is built once however many segments
 * override it. Feature states come from the document's tree ({@link #compile(JsonNode,
 * IdentityOverrides)}) or straight from the JSON tokens ({@link DocumentStream}).
 *
 * <p>This is the fast path for well-formed documents. It falls back ({@link FastPath}) where the
 * mapped context would differ from a plain walk of the document, or where the error report matters:
 * repeated feature names or segment ids (later entries replace earlier ones in the mapped context),
 * conditions that query the context tree, and every structural error. {@link DocumentMapper} then
 * compiles the document the reference way, and reports errors with their exact paths.
 */
final class DocumentCompiler {
  /** Errors are reported again, with their paths, by the reference mapping. */
  static final String AT = "$";

  /**
   * A feature state, read: what its feature context needs. {@code bigId} holds a feature id beyond
   * the long range (else null); {@code type} is only read for the environment's own states.
   */
  record State(
      String name,
      long id,
      JsonNode bigId,
      String type,
      boolean enabled,
      JsonValue value,
      String key,
      List<Variant> variants,
      double priority) {}

  /**
   * A segment, read; its rules stay JSON until compiled. {@code id} is the raw id (null if absent).
   */
  record SegmentDoc(String key, String name, JsonNode id, JsonNode rules, List<State> overrides) {}

  private final Map<Long, String> featureTypes = new HashMap<>();
  private final PartPool parts =
      new PartPool(id -> featureTypes.getOrDefault(id, FeatureInfo.STANDARD));
  private final ContextCompiler compiler = new ContextCompiler(parts);

  /** Feature infos by feature name, for features whose id fits a long. */
  private final Map<String, FeatureInfo> infos = new HashMap<>();

  /** The parts this compilation shares, for the one-pass reader to build variants and values. */
  PartPool parts() {
    return parts;
  }

  /**
   * The compiled document, or why only the reference mapping gives the exact result: the document
   * is invalid (the mapping reports the error, with its path), or {@link #compile(String, List,
   * List, IdentityOverrides)} falls back.
   */
  static FastPath<CompiledContext> compile(JsonNode document, IdentityOverrides identityOverrides) {
    try {
      return compileTree(document, identityOverrides);
    } catch (DocumentParseException invalid) {
      return FastPath.fellBack(FastPath.Fallback.INVALID_DOCUMENT);
    }
  }

  private static FastPath<CompiledContext> compileTree(
      JsonNode document, IdentityOverrides identityOverrides) {
    Json.requireObject(document, AT);
    DocumentCompiler compiler = new DocumentCompiler();
    String apiKey = Json.text(document, "api_key", AT);
    Json.textOr(document, "name", AT, "");
    JsonNode states = Json.array(document, "feature_states", AT);
    List<State> features = new ArrayList<>(states.size());
    for (int i = 0; i < states.size(); i++) {
      features.add(compiler.state(states.get(i), true));
    }
    JsonNode list = Json.array(Json.object(document, "project", AT), "segments", AT);
    List<SegmentDoc> segments = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      segments.add(compiler.segmentDoc(list.get(i)));
    }
    return compiler.compile(apiKey, features, segments, identityOverrides);
  }

  /**
   * Compiles what was read, or falls back where the mapped context would not be a plain walk of it.
   *
   * @throws DocumentParseException for a structural error (reported without its path)
   */
  FastPath<CompiledContext> compile(
      String apiKey,
      List<State> states,
      List<SegmentDoc> segmentDocs,
      IdentityOverrides identityOverrides) {
    List<Feature> features = new ArrayList<>(states.size());
    Set<String> names = new HashSet<>();
    for (State state : states) {
      featureTypes.putIfAbsent(state.id, state.type);
    }
    for (State state : states) {
      if (!names.add(state.name)) {
        return FastPath.fellBack(FastPath.Fallback.REPEATED_KEY);
      }
      features.add(feature(state, ReasonDetail.DEFAULT));
    }
    List<Segment> segments = new ArrayList<>(segmentDocs.size() + identityOverrides.groupCount());
    Set<String> keys = new HashSet<>();
    for (SegmentDoc segment : segmentDocs) {
      if (!keys.add(segment.key)) {
        return FastPath.fellBack(FastPath.Fallback.REPEATED_KEY);
      }
      segments.add(segment(segment));
    }
    segments.addAll(identityOverrides.segments(compiler));
    if (parts.readsContextTree()) {
      return FastPath.fellBack(FastPath.Fallback.CONTEXT_TREE_QUERY);
    }
    return FastPath.took(
        new CompiledContext(apiKey, features, segments, ContextTree.NONE, parts.traitSlots()));
  }

  SegmentDoc segmentDoc(JsonNode segment) {
    Json.requireObject(segment, AT);
    String key = Json.textOr(segment, "id", AT, "");
    String name = Json.textOr(segment, "name", AT, "");
    JsonNode rules = Json.array(segment, "rules", AT);
    JsonNode states = Json.array(segment, "feature_states", AT);
    List<State> overrides = new ArrayList<>(states.size());
    for (int i = 0; i < states.size(); i++) {
      overrides.add(state(states.get(i), false));
    }
    return new SegmentDoc(key, name, segment.get("id"), rules, overrides);
  }

  private Segment segment(SegmentDoc doc) {
    String key = parts.string(doc.key);
    String name = parts.string(doc.name);
    List<Rule> rules = new ArrayList<>(doc.rules.size());
    for (int i = 0; i < doc.rules.size(); i++) {
      rules.add(rule(doc.rules.get(i), key));
    }
    List<Feature> overrides = new ArrayList<>(doc.overrides.size());
    ReasonDetail reason = parts.targetingMatch(name);
    for (State state : doc.overrides) {
      overrides.add(feature(state, reason));
    }
    ObjectNode metadata = Json.MAPPER.createObjectNode();
    metadata.set("id", doc.id);
    metadata.put("source", "api");
    return new Segment(name, parts.value(metadata), rules, overrides);
  }

  private Rule rule(JsonNode rule, String segmentKey) {
    Json.requireObject(rule, AT);
    Rule.Quantifier quantifier =
        ContextCompiler.quantifier(Json.textOr(rule, "type", AT, "INVALID"));
    JsonNode conditions = Json.array(rule, "conditions", AT);
    List<Condition> compiledConditions = new ArrayList<>(conditions.size());
    for (int i = 0; i < conditions.size(); i++) {
      JsonNode condition = Json.requireObject(conditions.get(i), AT);
      JsonNode property = condition.get("property_");
      String propertyText = property == null || property.isNull() ? "" : property.asText();
      String operator = Json.textOr(condition, "operator", AT, "");
      compiledConditions.add(
          compiler.condition(operator, propertyText, condition.get("value"), segmentKey));
    }
    JsonNode rules = Json.array(rule, "rules", AT);
    List<Rule> subRules = new ArrayList<>(rules.size());
    for (int i = 0; i < rules.size(); i++) {
      subRules.add(rule(rules.get(i), segmentKey));
    }
    return new Rule(quantifier, compiledConditions, subRules);
  }

  /** A feature state from the tree; the type is read only for the environment's own states. */
  private State state(JsonNode state, boolean readType) {
    Json.requireObject(state, AT);
    JsonNode meta = Json.requireObject(state.get("feature"), AT);
    JsonNode id = meta.get("id");
    if (id == null || !id.isIntegralNumber()) {
      throw Json.unexpected("an integer", AT, id);
    }
    String type = readType ? Json.textOr(meta, "type", AT, FeatureInfo.STANDARD) : null;
    String name = Json.text(meta, "name", AT);
    boolean enabled = Json.bool(state, "enabled", AT, false);
    JsonNode values = Json.array(state, "multivariate_feature_state_values", AT);
    boolean split = values.size() > 0;
    String key = featureKey(state, split);
    List<Variant> variants = split ? variants(values) : List.of();
    JsonNode featureSegment = state.get("feature_segment");
    double priority =
        ContextCompiler.priorityValue(
            featureSegment != null && featureSegment.isObject()
                ? featureSegment.get("priority")
                : null,
            AT);
    return new State(
        name,
        id.longValue(),
        id.canConvertToLong() ? null : id,
        type,
        enabled,
        parts.value(state.get("feature_state_value")),
        key,
        variants,
        priority);
  }

  /**
   * The hash seed (the feature state's database id when truthy, else its UUID), checked always but
   * only built when {@code wanted}: only features with variants hash it.
   */
  private String featureKey(JsonNode state, boolean wanted) {
    JsonNode djangoId = state.get("django_id");
    if (djangoId != null && djangoId.isIntegralNumber() && !isZero(djangoId)) {
      if (!wanted) {
        return null;
      }
      return djangoId.canConvertToLong()
          ? Long.toString(djangoId.longValue())
          : djangoId.bigIntegerValue().toString();
    }
    return Json.textOr(state, "featurestate_uuid", AT, "None");
  }

  private static boolean isZero(JsonNode integer) {
    return integer.canConvertToLong()
        ? integer.longValue() == 0
        : integer.bigIntegerValue().signum() == 0;
  }

  /** The variants of a feature state's non-empty {@code multivariate_feature_state_values}. */
  List<Variant> variants(JsonNode values) {
    List<Variant> variants = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      JsonNode value = Json.requireObject(values.get(i), AT);
      JsonNode option = Json.requireObject(value.get("multivariate_feature_option"), AT);
      JsonNode weight = value.get("percentage_allocation");
      if (weight == null || !weight.isNumber()) {
        throw Json.unexpected("a number", AT, weight);
      }
      JsonNode id = value.get("id");
      BigDecimal order =
          id != null && id.isIntegralNumber() && !isZero(id)
              ? id.decimalValue()
              : new BigDecimal(
                  DocumentMapper.uuidAsInteger(Json.text(value, "mv_fs_value_uuid", AT)));
      JsonNode key = option.get("key");
      variants.add(
          parts.variant(
              option.get("value"),
              weight,
              order,
              key == null || key.isNull() ? null : Json.textOr(option, "key", AT, null)));
    }
    Variant.sort(variants);
    return variants;
  }

  private Feature feature(State state, ReasonDetail reason) {
    return new Feature(
        parts.string(state.key),
        state.enabled,
        state.value,
        state.variants,
        state.priority,
        info(state),
        reason);
  }

  /**
   * The info of a feature: its metadata is {@code {"id": id}}, its type the first one the
   * document's feature states give for the id. One instance per feature, built the first time it is
   * seen.
   */
  private FeatureInfo info(State state) {
    boolean cacheable = state.bigId == null;
    FeatureInfo cached = cacheable ? infos.get(state.name) : null;
    if (cached != null && cached.id() == state.id) {
      return cached;
    }
    if (!cacheable) {
      ObjectNode metadata = Json.MAPPER.createObjectNode();
      metadata.set("id", state.bigId);
      return parts.info(state.name, metadata);
    }
    FeatureInfo info = parts.info(state.name, state.id);
    if (cached == null) {
      infos.put(state.name, info);
    }
    return info;
  }
}
