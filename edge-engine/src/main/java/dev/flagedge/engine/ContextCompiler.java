package dev.flagedge.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles the JSON form of an evaluation context (features and segments, their rules and
 * conditions) into the parts of a {@link CompiledContext}; the document paths compile conditions
 * with it too. Structural problems throw {@link DocumentParseException}; questionable condition
 * values compile to conditions that behave as the reference does, or never match where it would
 * crash. Repeated parts come from the compilation's {@link PartPool}, and equal comparisons share
 * one condition, so the compiled form keeps no JSON tree and no duplicates. Not thread-safe.
 */
final class ContextCompiler {
  final PartPool parts;
  private final Map<ComparisonKey, Condition> comparisons = new HashMap<>();

  ContextCompiler(PartPool parts) {
    this.parts = parts;
  }

  List<Feature> features(JsonNode context, String path) {
    JsonNode features = Json.object(context, "features", path);
    List<Feature> compiled = new ArrayList<>(features.size());
    for (Map.Entry<String, JsonNode> entry : features.properties()) {
      String featurePath = Json.member(path + ".features", entry.getKey());
      compiled.add(feature(entry.getValue(), featurePath, ReasonDetail.DEFAULT));
    }
    return compiled;
  }

  List<Segment> segments(JsonNode context, String path) {
    JsonNode segments = Json.object(context, "segments", path);
    List<Segment> compiled = new ArrayList<>(segments.size());
    for (Map.Entry<String, JsonNode> entry : segments.properties()) {
      compiled.add(segment(entry.getValue(), Json.member(path + ".segments", entry.getKey())));
    }
    return compiled;
  }

  Feature feature(JsonNode node, String path, ReasonDetail reason) {
    Json.requireObject(node, path);
    String name = Json.text(node, "name", path);
    JsonNode metadata = node.get("metadata");
    if (metadata != null && !metadata.isObject()) {
      metadata = null;
    }
    return new Feature(
        parts.string(Json.textOr(node, "key", path, "None")),
        Json.bool(node, "enabled", path, false),
        parts.value(node.get("value")),
        variants(node, path),
        priority(node, path),
        parts.info(name, metadata),
        reason);
  }

  private static double priority(JsonNode node, String path) {
    return priorityValue(node.get("priority"), path + ".priority");
  }

  /** A feature context's priority: absent or null means last. */
  static double priorityValue(JsonNode priority, String path) {
    if (priority == null || priority.isNull()) {
      return Double.POSITIVE_INFINITY;
    }
    if (!priority.isNumber()) {
      throw Json.unexpected("a number", path, priority);
    }
    return priority.doubleValue();
  }

  private List<Variant> variants(JsonNode feature, String path) {
    JsonNode variants = Json.array(feature, "variants", path);
    List<Variant> compiled = new ArrayList<>(variants.size());
    for (int i = 0; i < variants.size(); i++) {
      String variantPath = path + ".variants[" + i + "]";
      JsonNode variant = Json.requireObject(variants.get(i), variantPath);
      JsonNode weight = variant.get("weight");
      if (weight == null || !weight.isNumber()) {
        throw Json.unexpected("a number", variantPath + ".weight", weight);
      }
      JsonNode priority = variant.get("priority");
      BigDecimal order = priority != null && priority.isNumber() ? priority.decimalValue() : null;
      compiled.add(
          parts.variant(
              variant.get("value"), weight, order, Json.textOr(variant, "key", variantPath, null)));
    }
    Variant.sort(compiled);
    return compiled;
  }

  Segment segment(JsonNode node, String path) {
    Json.requireObject(node, path);
    String key = parts.string(Json.textOr(node, "key", path, ""));
    String name = parts.string(Json.textOr(node, "name", path, ""));
    JsonNode rules = Json.array(node, "rules", path);
    List<Rule> compiledRules = new ArrayList<>(rules.size());
    for (int i = 0; i < rules.size(); i++) {
      compiledRules.add(rule(rules.get(i), path + ".rules[" + i + "]", key));
    }
    JsonNode overrides = Json.array(node, "overrides", path);
    List<Feature> compiledOverrides = new ArrayList<>(overrides.size());
    ReasonDetail reason = parts.targetingMatch(name);
    for (int i = 0; i < overrides.size(); i++) {
      compiledOverrides.add(feature(overrides.get(i), path + ".overrides[" + i + "]", reason));
    }
    JsonNode metadata = node.get("metadata");
    return new Segment(
        name,
        metadata != null && metadata.isObject() ? parts.value(metadata) : null,
        compiledRules,
        compiledOverrides);
  }

  private Rule rule(JsonNode node, String path, String segmentKey) {
    Json.requireObject(node, path);
    Rule.Quantifier quantifier = quantifier(Json.textOr(node, "type", path, "INVALID"));
    JsonNode conditions = Json.array(node, "conditions", path);
    List<Condition> compiledConditions = new ArrayList<>(conditions.size());
    for (int i = 0; i < conditions.size(); i++) {
      String conditionPath = path + ".conditions[" + i + "]";
      compiledConditions.add(condition(conditions.get(i), conditionPath, segmentKey));
    }
    JsonNode rules = Json.array(node, "rules", path);
    List<Rule> subRules = new ArrayList<>(rules.size());
    for (int i = 0; i < rules.size(); i++) {
      subRules.add(rule(rules.get(i), path + ".rules[" + i + "]", segmentKey));
    }
    return new Rule(quantifier, compiledConditions, subRules);
  }

  /** A rule type; unknown types give INVALID, a rule that never matches. */
  static Rule.Quantifier quantifier(String type) {
    switch (type) {
      case "ALL":
        return Rule.Quantifier.ALL;
      case "ANY":
        return Rule.Quantifier.ANY;
      case "NONE":
        return Rule.Quantifier.NONE;
      default:
        return Rule.Quantifier.INVALID;
    }
  }

  private Condition condition(JsonNode node, String path, String segmentKey) {
    Json.requireObject(node, path);
    String operator = Json.textOr(node, "operator", path, "");
    String propertyText = Json.textOr(node, "property", path, "");
    return condition(operator, propertyText, node.get("value"), segmentKey);
  }

  /**
   * A condition from its operator, property text and value (null or JSON null when it has none), in
   * a segment with the given key (the seed of percentage splits).
   */
  Condition condition(String operatorName, String propertyText, JsonNode value, String segmentKey) {
    Operator operator = Operator.named(operatorName);
    if (operator == null) {
      return new Condition.Never(parts.property(propertyText));
    }
    switch (operator) {
      case IN:
        return in(parts.property(propertyText), value);
      case PERCENTAGE_SPLIT:
        return percentageSplit(propertyText, value, segmentKey);
      case IS_SET:
        return new Condition.IsSet(parts.property(propertyText), true);
      case IS_NOT_SET:
        return new Condition.IsSet(parts.property(propertyText), false);
      default:
        return valueCondition(operator, parts.property(propertyText), value);
    }
  }

  private Condition valueCondition(Operator operator, Property property, JsonNode value) {
    String text = parts.string(Values.pyStr(value == null ? null : Values.fromJson(value)));
    switch (operator) {
      case NOT_CONTAINS:
        return new Condition.NotContains(property, text);
      case REGEX:
        return PythonRegex.compile(text)
            .<Condition>map(p -> new Condition.Regex(property, p))
            .orElseGet(() -> new Condition.Never(property));
      case MODULO:
        return modulo(property, value);
      default:
        return comparison(operator, property, text);
    }
  }

  /** Segments often repeat a comparison; equal ones share one (immutable) condition. */
  private Condition comparison(Operator operator, Property property, String text) {
    return comparisons.computeIfAbsent(
        new ComparisonKey(property, operator, text),
        key -> new TypedComparison(property, operator, text));
  }

  /** Properties are shared per property text, so their identity stands for the text. */
  private record ComparisonKey(Property property, Operator operator, String text) {}

  private Condition percentageSplit(String propertyText, JsonNode value, String segmentKey) {
    Property property =
        propertyText.isEmpty() ? Property.IMPLICIT_IDENTITY_KEY : parts.property(propertyText);
    Double threshold = null;
    if (value != null && value.isTextual()) {
      threshold = PythonNumbers.parseFloat(value.textValue());
    } else if (value != null && (value.isNumber() || value.isBoolean())) {
      threshold = value.isBoolean() ? (value.booleanValue() ? 1.0 : 0.0) : value.doubleValue();
    }
    return threshold == null
        ? new Condition.Never(property)
        : new Condition.PercentageSplit(property, segmentKey, threshold);
  }

  private static Condition modulo(Property property, JsonNode value) {
    if (value == null || !value.isTextual()) {
      return new Condition.Never(property);
    }
    String[] parts = value.textValue().split("\\|", -1);
    Double divisor = parts.length == 2 ? PythonNumbers.parseFloat(parts[0]) : null;
    Double remainder = parts.length == 2 ? PythonNumbers.parseFloat(parts[1]) : null;
    if (divisor == null || remainder == null || divisor == 0.0) {
      return new Condition.Never(property);
    }
    return new Condition.Modulo(property, divisor, remainder);
  }

  private Condition in(Property property, JsonNode value) {
    Set<String> values = inValues(value);
    if (values == null) {
      return new Condition.Never(property);
    }
    String[] canonical = new String[values.size()];
    int i = 0;
    for (String v : values) {
      canonical[i++] = parts.string(v);
    }
    return new Condition.In(property, toSet(canonical));
  }

  /** The IN list: a JSON array, a string holding a JSON array, or else a comma-separated string. */
  static Set<String> inValues(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isArray()) {
      return stringified(value);
    }
    String text = value.isTextual() ? value.textValue() : Values.pyStr(Values.fromJson(value));
    if (text.startsWith("[")) {
      try {
        JsonNode parsed = Json.LENIENT_NUMBERS.readTree(text);
        if (parsed.isArray()) {
          return stringified(parsed);
        }
      } catch (JsonProcessingException notJson) {
        // The reference falls back to splitting on commas.
      }
    }
    return toSet(text.split(",", -1));
  }

  private static Set<String> stringified(JsonNode array) {
    String[] values = new String[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = Values.pyStr(Values.fromJson(array.get(i)));
    }
    return toSet(values);
  }

  private static Set<String> toSet(String[] values) {
    if (values.length == 1) {
      return Set.of(values[0]);
    }
    return Set.copyOf(Arrays.asList(values));
  }
}
