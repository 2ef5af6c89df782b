package dev.flagedge.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A compiled feature context: an environment default or a segment/identity override. The flags it can
 * produce without an identity, and for every variant bucket, are built once here so that evaluation
 * only picks one.
 */
final class Feature {
  final String key;
  final String name;
  final double priority;
  final List<Variant> variants;
  /** The flag when no split applies (no identity or no variants). */
  final Flag plainFlag;
  /** The flag for the control bucket, when there are variants. */
  final Flag controlFlag;
  /** One flag per variant, in variant order. */
  final Flag[] variantFlags;

  Feature(String key, String name, boolean enabled, JsonNode value, List<Variant> variants,
      double priority, JsonNode metadata, FeatureInfo info, String reason) {
    this.key = key;
    this.name = name;
    this.priority = priority;
    this.variants = variants;
    this.plainFlag = new Flag(info, name, enabled, value, reason, null, metadata);
    this.controlFlag = variants.isEmpty()
        ? plainFlag
        : new Flag(info, name, enabled, value, reason, "control", metadata);
    this.variantFlags = new Flag[variants.size()];
    for (int i = 0; i < variantFlags.length; i++) {
      Variant v = variants.get(i);
      variantFlags[i] = new Flag(info, name, enabled, v.value(), "SPLIT; weight=" + v.weightText(),
          v.key(), metadata);
    }
  }

  /** The flag this feature context gives for an identity key (null: no identity). */
  Flag flagFor(String identityKey) {
    if (identityKey == null || variantFlags.length == 0) {
      return plainFlag;
    }
    double percentage = Hashing.percentage(key, identityKey);
    double start = 0.0;
    for (int i = 0; i < variantFlags.length; i++) {
      double limit = variants.get(i).weight() + start;
      if (start <= percentage && percentage < limit) {
        return variantFlags[i];
      }
      start = limit;
    }
    return controlFlag;
  }
}
