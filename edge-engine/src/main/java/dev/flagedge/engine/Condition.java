package dev.flagedge.engine;

import java.math.BigInteger;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A compiled segment condition. Condition values are parsed once, at compile time; matching never
 * throws. Where the reference engine raises (modulo by zero, an invalid regex, ...) the condition
 * is simply false.
 */
abstract class Condition implements Matcher {
  final Property property;

  /** The trait slot when the property is a plain trait, else -1: read without the property. */
  private final int traitSlot;

  Condition(Property property) {
    this.property = property;
    this.traitSlot = property instanceof Property.Trait ? ((Property.Trait) property).slot() : -1;
  }

  /**
   * The property's value as operators see it. A plain trait is read by its slot from here: with
   * many environments, every object a condition touches on the way is a likely cache miss.
   */
  final Object value(Evaluation evaluation) {
    return traitSlot >= 0 ? evaluation.traitValue(traitSlot) : property.value(evaluation);
  }

  @Override
  public abstract boolean matches(Evaluation evaluation);

  /**
   * Membership in a list of strings; ints are compared by their decimal form, floats and bools
   * never.
   */
  static final class In extends Condition {
    final Set<String> values;

    In(Property property, Set<String> values) {
      super(property);
      this.values = values;
    }

    @Override
    public boolean matches(Evaluation evaluation) {
      Optional<String> key = membershipKey(value(evaluation));
      return key.isPresent() && values.contains(key.get());
    }

    static Optional<String> membershipKey(Object value) {
      if (value instanceof String) {
        return Optional.of((String) value);
      }
      return Values.isInteger(value) ? Optional.of(value.toString()) : Optional.empty();
    }
  }

  /** Hashes the segment key with the context value into [0, 100) and compares to the threshold. */
  static final class PercentageSplit extends Condition {
    private final String segmentKey;
    private final double threshold;

    PercentageSplit(Property property, String segmentKey, double threshold) {
      super(property);
      this.segmentKey = segmentKey;
      this.threshold = threshold;
    }

    @Override
    public boolean matches(Evaluation evaluation) {
      // The implicit identity key is hashed as it is; an explicit property is coerced like any
      // other.
      Object value =
          property == Property.IMPLICIT_IDENTITY_KEY
              ? property.rawValue(evaluation)
              : value(evaluation);
      return value != null && Hashing.percentage(segmentKey, Values.pyStr(value)) <= threshold;
    }
  }

  /** IS_SET and IS_NOT_SET: a missing trait, a null trait and no identity all count as not set. */
  static final class IsSet extends Condition {
    private final boolean expectSet;

    IsSet(Property property, boolean expectSet) {
      super(property);
      this.expectSet = expectSet;
    }

    @Override
    public boolean matches(Evaluation evaluation) {
      return (property.rawValue(evaluation) != null) == expectSet;
    }
  }

  /** Only strings can fail to contain; numbers and booleans never match NOT_CONTAINS. */
  static final class NotContains extends Condition {
    private final String needle;

    NotContains(Property property, String needle) {
      super(property);
      this.needle = needle;
    }

    @Override
    public boolean matches(Evaluation evaluation) {
      Object value = value(evaluation);
      return value instanceof String && !((String) value).contains(needle);
    }
  }

  /**
   * Python's {@code re.match}: anchored at the start of the stringified value, not a full match.
   */
  static final class Regex extends Condition {
    private final Pattern pattern;

    Regex(Property property, Pattern pattern) {
      super(property);
      this.pattern = pattern;
    }

    @Override
    public boolean matches(Evaluation evaluation) {
      Object value = value(evaluation);
      return value != null && PythonRegex.matchesAtStart(pattern, Values.pyStr(value));
    }
  }

  /** Python float modulo: the remainder takes the divisor's sign, and booleans count as 0 and 1. */
  static final class Modulo extends Condition {
    private final double divisor;
    private final double remainder;

    Modulo(Property property, double divisor, double remainder) {
      super(property);
      this.divisor = divisor;
      this.remainder = remainder;
    }

    @Override
    public boolean matches(Evaluation evaluation) {
      Object value = value(evaluation);
      double x;
      if (value instanceof Boolean) {
        x = (Boolean) value ? 1 : 0;
      } else if (value instanceof Long) {
        x = (Long) value;
      } else if (value instanceof BigInteger || value instanceof Double) {
        x = ((Number) value).doubleValue();
        if (value instanceof BigInteger && Double.isInfinite(x)) {
          return false;
        }
      } else {
        return false;
      }
      return pythonModulo(x, divisor) == remainder;
    }

    static double pythonModulo(double x, double divisor) {
      double mod = x % divisor;
      if (mod != 0) {
        if ((divisor < 0) != (mod < 0)) {
          mod += divisor;
        }
      } else {
        mod = Math.copySign(0.0, divisor);
      }
      return mod;
    }
  }

  /**
   * A condition that can never match: unknown operators and values the reference would crash on.
   */
  static final class Never extends Condition {
    Never(Property property) {
      super(property);
    }

    @Override
    public boolean matches(Evaluation evaluation) {
      return false;
    }
  }
}
