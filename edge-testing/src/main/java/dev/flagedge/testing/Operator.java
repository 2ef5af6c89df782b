package dev.flagedge.testing;

/** Segment condition operators, as the engine evaluates them (Flagsmith's semantics). */
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
  /** The trait is one of the values. */
  IN,
  /** The trait modulo the divisor equals the remainder ({@code "divisor|remainder"}). */
  MODULO,
  /** The trait is set. */
  IS_SET,
  /** The trait is not set. */
  IS_NOT_SET;

  boolean takesValue() {
    return this != IS_SET && this != IS_NOT_SET;
  }
}
