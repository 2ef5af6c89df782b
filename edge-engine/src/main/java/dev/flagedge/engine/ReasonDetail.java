package dev.flagedge.engine;

/**
 * Why a flag has its value, with everything {@link Flag} reports about it: the segment of a
 * targeting match, the weight of a split, and the reference engine's reason text. Compilation
 * builds one per segment and per split weight, and every flag it explains shares it, so flags stay
 * small and {@link Flag#reasonText()} allocates nothing.
 *
 * @param segmentName the segment of a targeting match, else null
 * @param splitWeight the weight of a split, else NaN
 * @param text the reference text, which alone determines the other components
 */
record ReasonDetail(Flag.Reason reason, String segmentName, double splitWeight, String text) {
  static final ReasonDetail DEFAULT =
      new ReasonDetail(Flag.Reason.DEFAULT, null, Double.NaN, "DEFAULT");

  static ReasonDetail targetingMatch(String segmentName) {
    return new ReasonDetail(
        Flag.Reason.TARGETING_MATCH,
        segmentName,
        Double.NaN,
        "TARGETING_MATCH; segment=" + segmentName);
  }

  /**
   * A split on a weight as the document gives it: a Long, BigInteger or Double, since {@code 30}
   * and {@code 30.0} print differently.
   */
  static ReasonDetail split(Object weight) {
    return new ReasonDetail(
        Flag.Reason.SPLIT,
        null,
        ((Number) weight).doubleValue(),
        "SPLIT; weight=" + Values.pyStr(weight));
  }
}
