package dev.flagedge.engine;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;

/**
 * One multivariate option, as compiled. {@code reason} is the SPLIT reason with the weight as the
 * reference prints it ({@code SPLIT; weight=30} or {@code SPLIT; weight=30.0}); {@code priority}
 * orders the options and may be a 128-bit integer. Only needed while compiling a feature.
 */
record Variant(
    JsonValue value, double weight, ReasonDetail reason, BigDecimal priority, String key) {

  private static final Comparator<Variant> BY_PRIORITY =
      Comparator.comparing(Variant::priority, Comparator.nullsLast(Comparator.naturalOrder()));

  /** Sorts variants into evaluation order: by priority, variants without one last. */
  static void sort(List<Variant> variants) {
    variants.sort(BY_PRIORITY);
  }
}
