package dev.flagedge.engine;

import java.util.Map;
import java.util.Optional;

/**
 * One evaluated flag: whether the feature is enabled, its value, and why. Immutable and thread-safe;
 * instances are shared between evaluations, so compare them with {@link #equals(Object)} only for
 * identity of content.
 */
public final class Flag {
  // Compact on purpose: a document with many segment overrides compiles to thousands of flags. The
  // feature info (name, id, type, metadata) and the pooled value and reason are shared between them.
  private final FeatureInfo info;
  private final boolean enabled;
  private final JsonValue value;
  private final String reason;
  private final String variant;

  Flag(FeatureInfo info, boolean enabled, JsonValue value, String reason, String variant) {
    this.info = info;
    this.enabled = enabled;
    this.value = value;
    this.reason = reason;
    this.variant = variant;
  }

  /** The feature's id from the document, or 0 when an evaluation context carried no {@code metadata.id}. */
  public long featureId() {
    return info.id();
  }

  /** The feature name; flags are keyed by it. */
  public String name() {
    return info.name();
  }

  /** The feature type from the document: {@code "STANDARD"} (the default) or {@code "MULTIVARIATE"}. */
  public String type() {
    return info.type();
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
    return Optional.ofNullable(value.copy());
  }

  /** The flag value as compact JSON text, exactly as the reference proxy serialises it. */
  public String valueJson() {
    return value.json();
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
    JsonValue metadata = info.metadata();
    return metadata == null ? Map.of() : (Map<String, Object>) metadata.copy();
  }

  /** The metadata, or null when the feature context had none. */
  JsonValue metadataValue() {
    return info.metadata();
  }

  @Override
  public String toString() {
    return "Flag{" + info.name() + ", enabled=" + enabled + ", value=" + value.json() + ", reason="
        + reason + (variant == null ? "" : ", variant=" + variant) + "}";
  }
}
