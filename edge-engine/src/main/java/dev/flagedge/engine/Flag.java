package dev.flagedge.engine;

import dev.flagedge.engine.internal.FlagSlot;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One evaluated flag: whether the feature is enabled, its value, and why. Immutable and
 * thread-safe. Instances are shared between evaluations. Two flags are {@link #equals equal} when
 * their feature (id, name, type text), enabled state, value (by its JSON text), reason text,
 * variant and metadata (by its JSON text) are; the hash code is computed once, so a flag is a cheap
 * map key.
 */
public final class Flag {
  /**
   * Why a flag has its value. The reference engine's text for it, with the detail ({@link
   * #segmentName()}, {@link #splitWeight()}), is {@link #reasonText()}.
   */
  public enum Reason {
    /** The environment's own feature state applies: no segment override, no split. */
    DEFAULT,

    /**
     * A segment's override applies; {@link #segmentName()} names the segment. Identity overrides
     * count as a segment named {@code identity_overrides}, as in the reference engine.
     */
    TARGETING_MATCH,

    /**
     * The identity's hash picked a multivariate option; {@link #splitWeight()} is the option's
     * weight. An identity in the control bucket (past every option's weight) keeps the reason of
     * the feature state, {@code DEFAULT} or {@code TARGETING_MATCH}.
     */
    SPLIT
  }

  // Compact on purpose: a document with many segment overrides compiles to thousands of flags. The
  // feature info (name, id, type, metadata), the pooled value and the reason detail are shared
  // between them.
  private final FeatureInfo info;
  private final boolean enabled;
  private final JsonValue value;
  private final ReasonDetail reason;
  private final String variant;

  /**
   * Computed on first use, then a field read (maps keyed by flags are on the request path); not at
   * construction, where a document's thousands of flags would pay for hashes few are asked for. A
   * race computes the same value twice, as {@link String#hashCode} does.
   */
  private int hash;

  // Serialised forms, kept here by FlagSlot (see there): read on every answer that holds the flag.
  private volatile byte[] slot0;
  private volatile byte[] slot1;

  static {
    FlagSlot.register(
        new FlagSlot.Access() {
          @Override
          public byte[] get(Flag flag, int slot) {
            return slot == 0 ? flag.slot0 : flag.slot1;
          }

          @Override
          public void set(Flag flag, int slot, byte[] bytes) {
            if (slot == 0) {
              flag.slot0 = bytes;
            } else {
              flag.slot1 = bytes;
            }
          }
        });
  }

  Flag(FeatureInfo info, boolean enabled, JsonValue value, ReasonDetail reason, String variant) {
    this.info = info;
    this.enabled = enabled;
    this.value = value;
    this.reason = reason;
    this.variant = variant;
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

  /** The feature type from the document; {@link FeatureType#STANDARD} when it gives none. */
  public FeatureType type() {
    return info.type();
  }

  /**
   * The feature type exactly as the document writes it, {@code "STANDARD"} when it gives none: the
   * text REST responses carry, also for an {@link FeatureType#UNKNOWN unknown} type.
   */
  public String typeText() {
    return info.typeText();
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

  /** Why the flag has this value. */
  public Reason reason() {
    return reason.reason();
  }

  /** The segment whose override applies, present exactly when the reason is TARGETING_MATCH. */
  public Optional<String> segmentName() {
    return Optional.ofNullable(reason.segmentName());
  }

  /**
   * The weight (a percentage, 0 to 100) of the multivariate option chosen, present exactly when the
   * reason is SPLIT.
   */
  public OptionalDouble splitWeight() {
    return reason.reason() == Reason.SPLIT
        ? OptionalDouble.of(reason.splitWeight())
        : OptionalDouble.empty();
  }

  /**
   * The reason as the reference engine writes it, for output that must match it byte for byte:
   * {@code "DEFAULT"}, {@code "TARGETING_MATCH; segment=<segment name>"} or {@code "SPLIT;
   * weight=<weight>"} with the weight written as the document writes it ({@code 30} or {@code
   * 30.0}). To decide on the reason, use {@link #reason()} and its details rather than this text.
   */
  public String reasonText() {
    return reason.text();
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
    if (!(other instanceof Flag that) || hashCode() != that.hashCode()) {
      return false;
    }
    return enabled == that.enabled
        && info.id() == that.info.id()
        && info.name().equals(that.info.name())
        && info.typeText().equals(that.info.typeText())
        && value.json().equals(that.value.json())
        && reason.text().equals(that.reason.text())
        && Objects.equals(variant, that.variant)
        && Objects.equals(metadataJson(), that.metadataJson());
  }

  private String metadataJson() {
    return info.metadata() == null ? null : info.metadata().json();
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h =
          Objects.hash(
              info.id(),
              info.name(),
              info.typeText(),
              enabled,
              value.json(),
              reason.text(),
              variant,
              metadataJson());
      hash = h;
    }
    return h;
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
        + reason.text()
        + (variant == null ? "" : ", variant=" + variant)
        + "}";
  }
}
