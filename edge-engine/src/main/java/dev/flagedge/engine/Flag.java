package dev.flagedge.engine;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One evaluated flag: whether the feature is enabled, its value, and why. Immutable and
 * thread-safe. Instances are shared between evaluations; two flags are {@link #equals equal} when
 * every property (feature, enabled, value, reason, variant, metadata) is, so a flag is a cheap map
 * key.
 */
public final class Flag {
  // Compact on purpose: a document with many segment overrides compiles to thousands of flags. The
  // feature info (name, id, type, metadata) and the pooled value and reason are shared between
  // them.
  private final FeatureInfo info;
  private final boolean enabled;
  private final JsonValue value;
  private final String reason;
  private final String variant;

  /** Computed once: maps keyed by flags are on the request path, and this is a field read. */
  private final int hash;

  Flag(FeatureInfo info, boolean enabled, JsonValue value, String reason, String variant) {
    this.info = info;
    this.enabled = enabled;
    this.value = value;
    this.reason = reason;
    this.variant = variant;
    this.hash =
        Objects.hash(
            info.id(),
            info.name(),
            info.type(),
            enabled,
            value.json(),
            reason,
            variant,
            metadataJson());
  }

  /**
   * The feature's id from the document, or 0 when an evaluation context carried no {@code
   * metadata.id}.
   */
  public long featureId() {
    return info.id();
  }

  /** The feature name; flags are keyed by it. */
  public String name() {
    return info.name();
  }

  /**
   * The feature type from the document: {@code "STANDARD"} (the default) or {@code "MULTIVARIATE"}.
   */
  public String type() {
    return info.type();
  }

  /** Whether the feature is enabled for this evaluation. */
  public boolean enabled() {
    return enabled;
  }

  /**
   * The flag value as a Java object: {@link String}, {@link Boolean}, {@link Long} or {@link
   * java.math.BigInteger} for JSON integers, {@link Double} for JSON floats; empty when the value
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
   * The multivariate variant chosen: {@code "control"}, a variant key, or empty when the feature
   * has no variants, there is no identity, or the chosen variant has no key.
   */
  public Optional<String> variant() {
    return Optional.ofNullable(variant);
  }

  /**
   * Metadata of the feature context that supplied the flag (documents give {@code {"id": <id>}}).
   */
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
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof Flag that) || hash != that.hash) {
      return false;
    }
    return enabled == that.enabled
        && info.id() == that.info.id()
        && info.name().equals(that.info.name())
        && info.type().equals(that.info.type())
        && value.json().equals(that.value.json())
        && Objects.equals(reason, that.reason)
        && Objects.equals(variant, that.variant)
        && Objects.equals(metadataJson(), that.metadataJson());
  }

  private String metadataJson() {
    return info.metadata() == null ? null : info.metadata().json();
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "Flag{"
        + info.name()
        + ", enabled="
        + enabled
        + ", value="
        + value.json()
        + ", reason="
        + reason
        + (variant == null ? "" : ", variant=" + variant)
        + "}";
  }
}
