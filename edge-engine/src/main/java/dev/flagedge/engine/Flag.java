package dev.flagedge.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/**
 * One evaluated flag: whether the feature is enabled, its value, and why. Immutable and thread-safe;
 * instances are shared between evaluations, so compare them with {@link #equals(Object)} only for
 * identity of content.
 */
public final class Flag {
  private final long featureId;
  private final String name;
  private final String type;
  private final boolean enabled;
  private final JsonNode value;
  private final String valueJson;
  private final String reason;
  private final String variant;
  private final JsonNode metadata;

  Flag(FeatureInfo info, String name, boolean enabled, JsonNode value, String reason, String variant,
      JsonNode metadata) {
    this.featureId = info.id();
    this.type = info.type();
    this.name = name;
    this.enabled = enabled;
    this.value = value;
    this.valueJson = JsonText.write(value);
    this.reason = reason;
    this.variant = variant;
    this.metadata = metadata;
  }

  /** The feature's id from the document, or 0 when an evaluation context carried no {@code metadata.id}. */
  public long featureId() {
    return featureId;
  }

  /** The feature name; flags are keyed by it. */
  public String name() {
    return name;
  }

  /** The feature type from the document: {@code "STANDARD"} (the default) or {@code "MULTIVARIATE"}. */
  public String type() {
    return type;
  }

  /** Whether the feature is enabled for this evaluation. */
  public boolean enabled() {
    return enabled;
  }

  /**
   * The flag value as a Java object: {@link String}, {@link Boolean}, {@link Long} or
   * {@link java.math.BigInteger} for JSON integers, {@link Double} for JSON floats; empty when the value
   * is JSON {@code null}. Container values (rare) come back as maps and lists.
   */
  public Optional<Object> value() {
    return Optional.ofNullable(Values.fromJson(value));
  }

  /** The flag value as compact JSON text, exactly as the reference proxy serialises it. */
  public String valueJson() {
    return valueJson;
  }

  /**
   * Why the flag has this value: {@code "DEFAULT"}, {@code "TARGETING_MATCH; segment=<name>"} or
   * {@code "SPLIT; weight=<weight>"}.
   */
  public String reason() {
    return reason;
  }

  /**
   * The multivariate variant chosen: {@code "control"}, a variant key, or empty when the feature has no
   * variants, there is no identity, or the chosen variant has no key.
   */
  public Optional<String> variant() {
    return Optional.ofNullable(variant);
  }

  /** Metadata of the feature context that supplied the flag (documents give {@code {"id": <id>}}). */
  @SuppressWarnings("unchecked")
  public Map<String, Object> metadata() {
    return metadata == null ? Map.of() : (Map<String, Object>) Values.fromJson(metadata);
  }

  JsonNode valueNode() {
    return value;
  }

  JsonNode metadataNode() {
    return metadata;
  }

  @Override
  public String toString() {
    return "Flag{" + name + ", enabled=" + enabled + ", value=" + valueJson + ", reason=" + reason
        + (variant == null ? "" : ", variant=" + variant) + "}";
  }
}
