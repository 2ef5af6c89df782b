package dev.flagedge.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * The operators of segment conditions, with the semantics the engine evaluates them by (the
 * reference engine's). A document names each by its constant's {@link #name()} (a condition's
 * {@code "operator"}); a condition whose operator is not one of these never matches.
 *
 * <p>Comparisons cast the condition's value, always text in a document, to the type of the trait
 * and compare in that type; where the cast fails the condition is false, {@code NOT_EQUAL}
 * included. A value ending in {@code ":semver"} compares as a semantic version.
 */
public enum Operator {
  /** Equal after casting the value to the trait's type. */
  EQUAL,
  /** Not equal after casting (false when the cast fails). */
  NOT_EQUAL,
  /** Greater than. */
  GREATER_THAN,
  /** Greater than or equal. */
  GREATER_THAN_INCLUSIVE,
  /** Less than. */
  LESS_THAN,
  /** Less than or equal. */
  LESS_THAN_INCLUSIVE,
  /** The string trait contains the value. */
  CONTAINS,
  /** The string trait does not contain the value. */
  NOT_CONTAINS,
  /** The value, a Python regular expression, matches at the start of the trait. */
  REGEX,
  /** The trait is one of the values: a JSON array, or else a comma-separated list. */
  IN,
  /** The trait modulo the divisor equals the remainder (the value {@code "divisor|remainder"}). */
  MODULO,
  /** The trait is set. */
  IS_SET,
  /** The trait is not set. */
  IS_NOT_SET,
  /**
   * The identity (or the trait, when the condition names one) hashes, with the segment, to a
   * percentage at most the value.
   */
  PERCENTAGE_SPLIT;

  private static final Map<String, Operator> BY_NAME = new HashMap<>();

  static {
    for (Operator operator : values()) {
      BY_NAME.put(operator.name(), operator);
    }
  }

  /** The operator a document names, or null for one the engine does not know (case matters). */
  static Operator named(String name) {
    return BY_NAME.get(name);
  }
}
