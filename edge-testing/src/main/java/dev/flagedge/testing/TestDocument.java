package dev.flagedge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A Flagsmith environment document being written: features with their enabled state, value and
 * multivariate variants, segments with trait conditions, segment overrides and identity overrides.
 * It is a real document (the shape {@code /api/v1/environment-document/} returns), compiled by the
 * production engine; {@link TestEnvironment} hands one out to {@link TestEnvironment#create} and
 * {@link TestEnvironment#update} callbacks, starting empty or from an exported document.
 *
 * <p><b>Values</b> are {@link String}, {@link Boolean}, integers ({@link Integer}, {@link Long},
 * {@link Short}, {@link Byte}, {@link BigInteger}), floating-point numbers ({@link Double}, {@link
 * Float}, {@link BigDecimal}), stored as strings ({@code "12.34"}) as Flagsmith stores them, or a
 * {@link Map} or {@link List}, stored as JSON text as Flagsmith users store structured values.
 * Reading them back through {@code Flags.value} or OpenFeature gives the typed value.
 *
 * <p>New features, segments and overrides get ids one above the document's largest, so multivariate
 * splits, which hash those ids, are the same in every run. Names are unique: a method naming a
 * feature, segment or identity changes the existing one, creating it only where the method says so;
 * a name that must exist and does not throws {@link IllegalArgumentException}, so a typo fails the
 * test at once.
 *
 * <p>Not thread-safe: use it only inside the callback that received it.
 */
public final class TestDocument {
  private final DocumentTree tree;

  private TestDocument(DocumentTree tree) {
    this.tree = tree;
  }

  /** An environment without features, segments or overrides, keyed {@code test-environment}. */
  static TestDocument empty() {
    return new TestDocument(DocumentTree.empty());
  }

  /**
   * An exported document, checked by compiling it.
   *
   * @throws IllegalArgumentException if it is not a valid environment document
   */
  static TestDocument parse(byte[] json) {
    return new TestDocument(DocumentTree.parse(json));
  }

  /** An independent copy, so that a failing change leaves the original untouched. */
  TestDocument copy() {
    return new TestDocument(tree.copy());
  }

  byte[] toJson() {
    return tree.toJson();
  }

  void updatedAt(Instant instant) {
    tree.updatedAt(instant);
  }

  /**
   * Sets a feature's enabled state, keeping its value; creates the feature, without a value, when
   * absent.
   *
   * @param feature the feature name
   * @param enabled whether it is enabled
   * @return this document
   */
  public TestDocument flag(String feature, boolean enabled) {
    tree.environmentState(feature).put("enabled", enabled);
    return this;
  }

  /**
   * Sets a feature's enabled state and value; creates the feature when absent. Its variants,
   * segment overrides and identity overrides stay (see {@link FeatureSpec#clearTargeting()}).
   *
   * @param feature the feature name
   * @param enabled whether it is enabled
   * @param value the value (see the types above)
   * @return this document
   * @throws IllegalArgumentException if the value has another type
   */
  public TestDocument flag(String feature, boolean enabled, Object value) {
    JsonNode node = DocumentTree.valueNode(value);
    ObjectNode state = tree.environmentState(feature);
    state.put("enabled", enabled);
    state.set("feature_state_value", node);
    return this;
  }

  /**
   * Changes a feature in detail (variants, no value, targeting removed); creates it, disabled and
   * without a value, when absent.
   *
   * @param feature the feature name
   * @param spec what to change
   * @return this document
   */
  public TestDocument feature(String feature, Consumer<FeatureSpec> spec) {
    Objects.requireNonNull(spec, "spec");
    spec.accept(new FeatureSpec(tree, feature, tree.environmentState(feature)));
    return this;
  }

  /**
   * Removes a feature with its segment and identity overrides.
   *
   * @param feature the feature name
   * @return this document
   * @throws IllegalArgumentException if there is no such feature
   */
  public TestDocument removeFeature(String feature) {
    tree.requireFeature(feature);
    DocumentTree.removeStates(DocumentTree.array(tree.root(), "feature_states"), feature);
    tree.removeTargeting(feature);
    return this;
  }

  /**
   * Defines a segment's rules, replacing any it had; creates the segment when absent. The
   * conditions given directly must all match (an {@code ALL} rule).
   *
   * @param segment the segment name
   * @param rules the conditions
   * @return this document
   */
  public TestDocument segment(String segment, Consumer<SegmentSpec> rules) {
    Objects.requireNonNull(rules, "rules");
    ObjectNode node = tree.findSegment(segment).orElseGet(() -> tree.newSegment(segment));
    ArrayNode ruleList = node.putArray("rules");
    rules.accept(new SegmentSpec(ruleList.addObject(), "ALL"));
    return this;
  }

  /**
   * Removes a segment with its overrides.
   *
   * @param segment the segment name
   * @return this document
   * @throws IllegalArgumentException if there is no such segment
   */
  public TestDocument removeSegment(String segment) {
    ObjectNode node = tree.requireSegment(segment);
    ArrayNode segments = tree.segments();
    for (int i = 0; i < segments.size(); i++) {
      if (segments.get(i) == node) {
        segments.remove(i);
        break;
      }
    }
    return this;
  }

  /**
   * Overrides a feature for a segment's members, with the feature's current environment value.
   *
   * @param segment the segment name
   * @param feature the feature name
   * @param enabled whether it is enabled for the segment
   * @return this document
   * @throws IllegalArgumentException if the segment or the feature does not exist
   */
  public TestDocument segmentOverride(String segment, String feature, boolean enabled) {
    return segmentOverride(
        segment, feature, enabled, tree.requireFeature(feature).get("feature_state_value"));
  }

  /**
   * Overrides a feature for a segment's members. A feature's first segment override is the
   * strongest when an identity is in several segments (Flagsmith's priority order).
   *
   * @param segment the segment name
   * @param feature the feature name
   * @param enabled whether it is enabled for the segment
   * @param value the value for the segment
   * @return this document
   * @throws IllegalArgumentException if the segment or the feature does not exist, or the value has
   *     another type
   */
  public TestDocument segmentOverride(
      String segment, String feature, boolean enabled, Object value) {
    return segmentOverride(segment, feature, enabled, DocumentTree.valueNode(value));
  }

  /**
   * Overrides a feature for one identity, with the feature's current environment value.
   *
   * @param identifier the identity's identifier
   * @param feature the feature name
   * @param enabled whether it is enabled for the identity
   * @return this document
   * @throws IllegalArgumentException if the feature does not exist
   */
  public TestDocument identityOverride(String identifier, String feature, boolean enabled) {
    return identityOverride(
        identifier, feature, enabled, tree.requireFeature(feature).get("feature_state_value"));
  }

  /**
   * Overrides a feature for one identity; identity overrides beat segment overrides.
   *
   * @param identifier the identity's identifier
   * @param feature the feature name
   * @param enabled whether it is enabled for the identity
   * @param value the value for the identity
   * @return this document
   * @throws IllegalArgumentException if the feature does not exist, or the value has another type
   */
  public TestDocument identityOverride(
      String identifier, String feature, boolean enabled, Object value) {
    return identityOverride(identifier, feature, enabled, DocumentTree.valueNode(value));
  }

  /**
   * Sets a feature's override among a segment's or an identity's feature states, adding it when
   * absent: a segment's with a django id and the next priority, an identity's without either (as
   * Flagsmith writes them). The states are looked up, an identity's created, only once the feature
   * is known to exist.
   */
  private TestDocument override(
      String feature,
      boolean enabled,
      JsonNode value,
      boolean forSegment,
      Supplier<ArrayNode> overrides) {
    ObjectNode environmentState = tree.requireFeature(feature);
    ArrayNode states = overrides.get();
    ObjectNode state = DocumentTree.findState(states, feature).orElse(null);
    if (state == null) {
      state = tree.newState(environmentState.get("feature").deepCopy(), forSegment);
      if (forSegment) {
        state.putObject("feature_segment").put("priority", tree.segmentOverrideCount(feature));
      }
      states.add(state);
    }
    state.put("enabled", enabled);
    state.set(
        "feature_state_value", value == null ? DocumentTree.NODES.nullNode() : value.deepCopy());
    return this;
  }

  private TestDocument segmentOverride(
      String segment, String feature, boolean enabled, JsonNode value) {
    return override(
        feature,
        enabled,
        value,
        true,
        () -> DocumentTree.array(tree.requireSegment(segment), "feature_states"));
  }

  private TestDocument identityOverride(
      String identifier, String feature, boolean enabled, JsonNode value) {
    return override(
        feature,
        enabled,
        value,
        false,
        () ->
            DocumentTree.array(
                tree.findIdentity(identifier).orElseGet(() -> tree.newIdentity(identifier)),
                "identity_features"));
  }

  /**
   * Removes every override of one identity.
   *
   * @param identifier the identity's identifier
   * @return this document
   * @throws IllegalArgumentException if the identity has no overrides
   */
  public TestDocument removeIdentityOverrides(String identifier) {
    ObjectNode identity =
        tree.findIdentity(identifier)
            .orElseThrow(
                () -> new IllegalArgumentException("no identity overrides for: " + identifier));
    ArrayNode identities = DocumentTree.array(tree.root(), "identity_overrides");
    for (int i = 0; i < identities.size(); i++) {
      if (identities.get(i) == identity) {
        identities.remove(i);
        break;
      }
    }
    return this;
  }
}
