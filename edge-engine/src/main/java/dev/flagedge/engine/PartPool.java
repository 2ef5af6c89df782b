package dev.flagedge.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The canonical parts of one compilation (one document, or one evaluation context), which every
 * compile path builds with: properties, feature infos, reasons and variants, and through its {@link
 * ValuePool} strings and values. Documents repeat them across segment overrides and conditions; the
 * compiled form keeps one instance of each, so flags and conditions stay small. Not thread-safe.
 */
final class PartPool {
  private final LongFunction<String> featureTypes;
  private final ValuePool values = new ValuePool();
  private final Map<String, Property> properties = new HashMap<>();
  private final List<String> traitNames = new ArrayList<>();
  private final Map<FeatureInfo, FeatureInfo> featureInfos = new HashMap<>();

  /** TARGETING_MATCH reasons by segment name. */
  private final Map<String, ReasonDetail> targetingMatches = new HashMap<>();

  /** SPLIT reasons by weight (a Long, BigInteger or Double: 30 and 30.0 print differently). */
  private final Map<Object, ReasonDetail> splitReasons = new HashMap<>();

  /**
   * @param featureTypes the REST feature type for a feature id
   */
  PartPool(LongFunction<String> featureTypes) {
    this.featureTypes = featureTypes;
  }

  /**
   * The property for a condition's property text; one shared instance per text, and a trait slot
   * per text that names a trait.
   */
  Property property(String text) {
    Property property = properties.get(text);
    if (property == null) {
      property = Property.of(text, traitNames.size());
      if (property.readsTrait()) {
        traitNames.add(text);
      }
      properties.put(text, property);
    }
    return property;
  }

  /** The slots of every trait a property handed out so far reads. */
  TraitSlots traitSlots() {
    return traitNames.isEmpty() ? TraitSlots.NONE : new TraitSlots(traitNames);
  }

  /**
   * Whether a condition compiled so far reads the context's JSON tree (a general JSONPath query).
   */
  boolean readsContextTree() {
    for (Property property : properties.values()) {
      if (property instanceof Property.Path && ((Property.Path) property).readsTree()) {
        return true;
      }
    }
    return false;
  }

  /** The canonical instance of a string; null stays null. */
  String string(String s) {
    return values.string(s);
  }

  /** The canonical compiled form of a JSON value; null (absent) counts as JSON null. */
  JsonValue value(JsonNode node) {
    return values.value(node);
  }

  /** The canonical compiled form of a JSON string. */
  JsonValue text(String text) {
    return values.text(text);
  }

  /** The canonical compiled form of a JSON boolean. */
  JsonValue bool(boolean b) {
    return values.bool(b);
  }

  /** The canonical compiled form of a JSON integer. */
  JsonValue integer(long n) {
    return values.integer(n);
  }

  /** A JSON tree as a context value with canonical strings, for the context tree. */
  Object contextValue(JsonNode node) {
    return values.contextValue(node);
  }

  /** The reason of a segment's overrides; one shared instance per segment name. */
  ReasonDetail targetingMatch(String segmentName) {
    return targetingMatches.computeIfAbsent(
        segmentName, name -> ReasonDetail.targetingMatch(values.string(name)));
  }

  /**
   * The info of a feature context. The id and type come from {@code metadata.id}; without an
   * integer id they are 0 and STANDARD.
   */
  FeatureInfo info(String name, JsonNode metadata) {
    JsonNode id = metadata == null ? null : metadata.get("id");
    boolean known = id != null && id.canConvertToExactIntegral() && id.canConvertToLong();
    long featureId = known ? id.longValue() : 0;
    return share(
        new FeatureInfo(
            featureId,
            known ? values.string(featureTypes.apply(featureId)) : FeatureInfo.STANDARD,
            values.string(name),
            metadata == null ? null : values.value(metadata)));
  }

  /** The info of a feature whose metadata is {@code {"id": id}}, as {@link #info} gives it. */
  FeatureInfo info(String name, long id) {
    return share(
        new FeatureInfo(
            id, values.string(featureTypes.apply(id)), values.string(name), values.idObject(id)));
  }

  private FeatureInfo share(FeatureInfo info) {
    FeatureInfo shared = featureInfos.putIfAbsent(info, info);
    return shared == null ? info : shared;
  }

  /** One variant; its weight is a number. */
  Variant variant(JsonNode value, JsonNode weight, BigDecimal order, String key) {
    return variant(values.value(value), Values.fromJson(weight), order, key);
  }

  /** One variant; its weight is a context number (Long, BigInteger or Double). */
  Variant variant(JsonValue value, Object weight, BigDecimal order, String key) {
    return new Variant(
        value,
        ((Number) weight).doubleValue(),
        splitReasons.computeIfAbsent(weight, ReasonDetail::split),
        order,
        values.string(key));
  }
}
