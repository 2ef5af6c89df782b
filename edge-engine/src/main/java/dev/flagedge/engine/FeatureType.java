package dev.flagedge.engine;

/**
 * The type of a Flagsmith feature, as the environment document gives it. The type is information
 * for REST responses only: evaluation treats every type alike (a feature splits when it has
 * variants, whatever its type).
 */
public enum FeatureType {
  /** A feature with one value; also the type of a feature whose document gives none. */
  STANDARD,

  /** A feature with multivariate options. */
  MULTIVARIATE,

  /**
   * A type text FlagEdge does not know (Flagsmith writes only {@code "STANDARD"} and {@code
   * "MULTIVARIATE"}). Such a document still parses and evaluates; {@link Flag#typeText()} has the
   * text as written, which REST responses echo as the reference proxy does.
   */
  UNKNOWN;

  /** The type for a document's type text; null (absent) is STANDARD, anything else unknown. */
  static FeatureType of(String text) {
    if (text == null || text.equals("STANDARD")) {
      return STANDARD;
    }
    return text.equals("MULTIVARIATE") ? MULTIVARIATE : UNKNOWN;
  }
}
