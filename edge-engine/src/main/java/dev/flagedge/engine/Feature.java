package dev.flagedge.engine;

import java.util.List;

/**
 * A compiled feature context: an environment default or a segment/identity override. The flags it
 * can produce without an identity, and for every variant bucket, are built once here so that
 * evaluation only picks one. Most feature contexts have no variants and keep only their plain flag.
 */
final class Feature {
  final String name;
  final double priority;

  /** The flag when no split applies (no identity or no variants). */
  final Flag plainFlag;

  /** The variant buckets, or null when there are no variants. */
  private final Split split;

  Feature(
      String key,
      boolean enabled,
      JsonValue value,
      List<Variant> variants,
      double priority,
      FeatureInfo info,
      ReasonDetail reason) {
    this.name = info.name();
    this.priority = priority;
    this.plainFlag = new Flag(info, enabled, value, reason, null);
    this.split = variants.isEmpty() ? null : new Split(key, enabled, value, variants, info, reason);
  }

  /** The flag this feature context gives for an identity key (null: no identity). */
  Flag flagFor(String identityKey) {
    return identityKey == null || split == null ? plainFlag : split.flagFor(identityKey);
  }

  /**
   * The multivariate buckets: the identity key, hashed with the feature key, picks one by weight.
   */
  private static final class Split {
    /** The hash seed. */
    private final String key;

    /** The variant weights, in variant order. */
    private final double[] weights;

    /** One flag per variant, in variant order. */
    private final Flag[] flags;

    /** The flag for the control bucket (past every variant's weight). */
    private final Flag controlFlag;

    Split(
        String key,
        boolean enabled,
        JsonValue value,
        List<Variant> variants,
        FeatureInfo info,
        ReasonDetail reason) {
      this.key = key;
      this.weights = new double[variants.size()];
      this.flags = new Flag[variants.size()];
      for (int i = 0; i < flags.length; i++) {
        Variant v = variants.get(i);
        weights[i] = v.weight();
        flags[i] = new Flag(info, enabled, v.value(), v.reason(), v.key());
      }
      this.controlFlag = new Flag(info, enabled, value, reason, "control");
    }

    Flag flagFor(String identityKey) {
      double percentage = Hashing.percentage(key, identityKey);
      double start = 0.0;
      for (int i = 0; i < flags.length; i++) {
        double limit = weights[i] + start;
        if (start <= percentage && percentage < limit) {
          return flags[i];
        }
        start = limit;
      }
      return controlFlag;
    }
  }
}
