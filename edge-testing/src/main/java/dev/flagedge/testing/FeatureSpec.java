package dev.flagedge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * Changes one feature of a {@link TestDocument}; see {@link TestDocument#feature(String,
 * java.util.function.Consumer)}. Not thread-safe.
 */
public final class FeatureSpec {
  private final DocumentTree tree;
  private final String name;
  private final ObjectNode state;

  FeatureSpec(DocumentTree tree, String name, ObjectNode state) {
    this.tree = tree;
    this.name = name;
    this.state = state;
  }

  /**
   * Sets the environment's enabled state.
   *
   * @param enabled whether the feature is enabled
   * @return this spec
   */
  public FeatureSpec enabled(boolean enabled) {
    state.put("enabled", enabled);
    return this;
  }

  /**
   * Sets the environment's value (the control value when there are variants).
   *
   * @param value the value (see {@link TestDocument})
   * @return this spec
   * @throws IllegalArgumentException if the value has another type
   */
  public FeatureSpec value(Object value) {
    state.set("feature_state_value", DocumentTree.valueNode(value));
    return this;
  }

  /**
   * Removes the environment's value (JSON {@code null}).
   *
   * @return this spec
   */
  public FeatureSpec noValue() {
    state.putNull("feature_state_value");
    return this;
  }

  /**
   * Adds a multivariate variant, or changes the one with this key: identities whose hash falls in
   * its share get its value and the variant key; the share not given to variants keeps the control
   * value. Makes the feature {@code MULTIVARIATE}.
   *
   * @param key the variant key (the OpenFeature variant)
   * @param value the variant's value
   * @param percentage the share of identities, 0 to 100; all variants together at most 100
   * @return this spec
   * @throws IllegalArgumentException if the percentage is out of range, the shares exceed 100, or
   *     the value has another type
   */
  public FeatureSpec variant(String key, Object value, double percentage) {
    Objects.requireNonNull(key, "key");
    JsonNode node = DocumentTree.valueNode(value);
    if (!(percentage >= 0 && percentage <= 100)) {
      throw new IllegalArgumentException("percentage must be between 0 and 100: " + percentage);
    }
    ArrayNode variants = DocumentTree.array(state, "multivariate_feature_state_values");
    double others = 0;
    ObjectNode variant = null;
    for (ObjectNode existing : DocumentTree.objects(variants)) {
      if (key.equals(existing.path("multivariate_feature_option").path("key").asText(null))) {
        variant = existing;
      } else {
        others += existing.path("percentage_allocation").asDouble();
      }
    }
    if (others + percentage > 100) {
      throw new IllegalArgumentException(
          "variant percentages of " + name + " exceed 100: " + (others + percentage));
    }
    if (variant == null) {
      variant = variants.addObject();
      variant.put("id", tree.nextId()).put("mv_fs_value_uuid", tree.uuid());
      variant.putObject("multivariate_feature_option").put("id", tree.nextId()).put("key", key);
    }
    if (percentage == Math.rint(percentage)) {
      variant.put("percentage_allocation", (long) percentage); // "SPLIT; weight=30", as Flagsmith
    } else {
      variant.put("percentage_allocation", percentage);
    }
    ((ObjectNode) variant.get("multivariate_feature_option")).set("value", node);
    tree.featureType(name, "MULTIVARIATE");
    return this;
  }

  /**
   * Removes every variant; the feature becomes {@code STANDARD}.
   *
   * @return this spec
   */
  public FeatureSpec noVariants() {
    state.putArray("multivariate_feature_state_values");
    tree.featureType(name, "STANDARD");
    return this;
  }

  /**
   * Removes the feature's variants, segment overrides and identity overrides: every identity then
   * gets the environment's state. What "override this flag" means on an exported document.
   *
   * @return this spec
   */
  public FeatureSpec clearTargeting() {
    noVariants();
    tree.removeTargeting(name);
    return this;
  }
}
