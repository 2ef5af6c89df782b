package dev.flagedge.engine;

import java.math.BigInteger;
import java.util.Optional;

/**
 * EQUAL, NOT_EQUAL, the four orderings and CONTAINS: the condition value is cast to the type of the
 * context value and compared in that type, exactly as the reference does. Each cast is done once,
 * at compile time; a failed cast makes the condition false (NOT_EQUAL included).
 */
final class TypedComparison extends Condition {
  private static final String SEMVER_SUFFIX = ":semver";

  private final Operator operator;
  private final String text;

  /** The text's hash: a different string is told apart without reading the text itself. */
  private final int textHash;

  private final boolean semverTarget;
  private final SemVer semver;
  private final boolean asBoolean;
  private final BigInteger asInteger;
  private final Double asFloat;

  TypedComparison(Property property, Operator operator, String text) {
    super(property);
    this.operator = operator;
    this.text = text;
    this.textHash = text.hashCode();
    this.semverTarget = text.endsWith(SEMVER_SUFFIX);
    this.semver =
        semverTarget
            ? SemVer.parse(text.substring(0, text.length() - SEMVER_SUFFIX.length())).orElse(null)
            : null;
    this.asBoolean = !text.equals("False") && !text.equals("false");
    this.asInteger = PythonNumbers.parseInt(text);
    this.asFloat = PythonNumbers.parseFloat(text);
  }

  @Override
  public boolean matches(Evaluation evaluation) {
    Object value = value(evaluation);
    if (value instanceof String) {
      return matchesString((String) value);
    }
    if (operator == Operator.CONTAINS) {
      return false;
    }
    if (value instanceof Boolean) {
      return holds(operator, Boolean.compare((Boolean) value, asBoolean));
    }
    if (value instanceof Long) {
      return asInteger != null && holds(operator, compare((Long) value, asInteger));
    }
    if (value instanceof BigInteger) {
      return asInteger != null && holds(operator, ((BigInteger) value).compareTo(asInteger));
    }
    if (value instanceof Double) {
      return asFloat != null && holds(operator, (Double) value, asFloat);
    }
    return false;
  }

  private boolean matchesString(String value) {
    if (semverTarget) {
      if (semver == null || operator == Operator.CONTAINS) {
        return false;
      }
      Optional<SemVer> version = SemVer.parse(value);
      return version.isPresent() && holds(operator, version.get().compareTo(semver));
    }
    switch (operator) {
      case CONTAINS:
        return value.contains(text);
      case EQUAL:
        return value.hashCode() == textHash && value.equals(text);
      case NOT_EQUAL:
        return value.hashCode() != textHash || !value.equals(text);
      default:
        return holds(operator, compareCodePoints(value, text));
    }
  }

  /** Whether an order (negative, zero, positive) satisfies the operator; CONTAINS never. */
  private static boolean holds(Operator operator, int order) {
    switch (operator) {
      case EQUAL:
        return order == 0;
      case NOT_EQUAL:
        return order != 0;
      case GREATER_THAN:
        return order > 0;
      case GREATER_THAN_INCLUSIVE:
        return order >= 0;
      case LESS_THAN:
        return order < 0;
      case LESS_THAN_INCLUSIVE:
        return order <= 0;
      default:
        return false;
    }
  }

  /** IEEE semantics, so that NaN compares like it does in Python. */
  private static boolean holds(Operator operator, double a, double b) {
    switch (operator) {
      case EQUAL:
        return a == b;
      case NOT_EQUAL:
        return a != b;
      case GREATER_THAN:
        return a > b;
      case GREATER_THAN_INCLUSIVE:
        return a >= b;
      case LESS_THAN:
        return a < b;
      case LESS_THAN_INCLUSIVE:
        return a <= b;
      default:
        return false;
    }
  }

  private static int compare(long value, BigInteger target) {
    return target.bitLength() < 64
        ? Long.compare(value, target.longValue())
        : BigInteger.valueOf(value).compareTo(target);
  }

  /** Python orders strings by code point; Java's compareTo orders by UTF-16 unit. */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }
}
