package dev.flagedge.engine.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/** Python 3's {@code repr(float)}, the form the reference writes floats in, in JSON too. */
public final class PythonFloat {
  /** 17 significant digits always identify a double uniquely. */
  private static final int MAX_DIGITS = 17;

  private static final int HEAD_DIGITS = MAX_DIGITS + 1;

  private static final MathContext[] NEAREST = contexts(RoundingMode.HALF_EVEN);
  private static final MathContext[] DOWN = contexts(RoundingMode.DOWN);
  private static final MathContext[] UP = contexts(RoundingMode.UP);

  private PythonFloat() {}

  /**
   * Python's {@code repr(x)}: shortest round-tripping digits, e.g. "1e+23", "0.1", "-0.0", "nan".
   */
  public static String repr(double x) {
    if (Double.isNaN(x)) {
      return "nan";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    if (x == 0) {
      return Double.doubleToRawLongBits(x) < 0 ? "-0.0" : "0.0";
    }
    return format(x < 0, shortest(Math.abs(x)));
  }

  /**
   * The shortest decimal, the quick way when it can be trusted: Java's own {@code toString} always
   * reads back, and for a normal double a decimal of at most 15 significant digits that reads back
   * is the only one of at most that length that does (such decimals lie more than one ulp apart),
   * so it is the shortest. Subnormals have fewer bits (4.9e-324 reads back, 5e-324 too), and Java
   * 17 sometimes gives more digits than needed: then the exact search decides.
   */
  static BigDecimal shortest(double abs) {
    if (abs < Double.MIN_NORMAL) {
      return shortestDecimal(abs);
    }
    BigDecimal quick = new BigDecimal(Double.toString(abs));
    return quick.stripTrailingZeros().precision() <= 15 ? quick : shortestDecimal(abs);
  }

  /** The exact search alone, for tests that hold the quick way to it. */
  static String reprByExactSearch(double x) {
    return format(x < 0, shortestDecimal(Math.abs(x)));
  }

  /**
   * Shortest decimal that reads back as {@code abs}; of several, the nearest to the exact binary
   * value, ties to an even last digit (what CPython's dtoa mode 0 produces).
   */
  private static BigDecimal shortestDecimal(double abs) {
    BigDecimal approx = withStickyDigit(new BigDecimal(abs));
    // Binary search is valid: if some p-digit decimal reads back, one with p + 1 digits does too.
    int lo = 1;
    int hi = MAX_DIGITS;
    BigDecimal found = null;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      BigDecimal candidate = roundTripping(approx, mid, abs);
      if (candidate == null) {
        lo = mid + 1;
      } else {
        hi = mid;
        found = candidate;
      }
    }
    return found != null ? found : roundTripping(approx, MAX_DIGITS, abs);
  }

  private static BigDecimal roundTripping(BigDecimal approx, int digits, double abs) {
    BigDecimal nearest = approx.round(NEAREST[digits]);
    if (nearest.doubleValue() == abs) {
      return nearest;
    }
    // The round-trip interval is not centred on abs (at powers of two it is lopsided), so the
    // neighbour on the other side may still read back even though the nearest does not.
    BigDecimal other = approx.round(nearest.compareTo(approx) > 0 ? DOWN[digits] : UP[digits]);
    return other.doubleValue() == abs ? other : null;
  }

  /**
   * Rounding to at most 17 digits only depends on the first 18 digits and on whether anything
   * non-zero follows, so the exact value (up to ~750 digits) is cut to 18 digits plus a sticky 1.
   */
  private static BigDecimal withStickyDigit(BigDecimal exact) {
    if (exact.precision() <= HEAD_DIGITS) {
      return exact;
    }
    BigDecimal head = exact.round(DOWN[HEAD_DIGITS]);
    return new BigDecimal(
        head.unscaledValue().multiply(BigInteger.TEN).add(BigInteger.ONE), head.scale() + 1);
  }

  private static String format(boolean negative, BigDecimal value) {
    BigDecimal v = value.stripTrailingZeros();
    String digits = v.unscaledValue().toString();
    int len = digits.length();
    int exp = len - 1 - v.scale();
    StringBuilder sb = new StringBuilder(26);
    if (negative) {
      sb.append('-');
    }
    if (exp < -4 || exp >= 16) {
      sb.append(digits.charAt(0));
      if (len > 1) {
        sb.append('.').append(digits, 1, len);
      }
      sb.append(exp < 0 ? "e-" : "e+");
      if (Math.abs(exp) < 10) {
        sb.append('0');
      }
      sb.append(Math.abs(exp));
    } else if (exp < 0) {
      sb.append("0.");
      for (int i = -1; i > exp; i--) {
        sb.append('0');
      }
      sb.append(digits);
    } else if (len <= exp + 1) {
      sb.append(digits);
      for (int i = len; i <= exp; i++) {
        sb.append('0');
      }
      sb.append(".0");
    } else {
      sb.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, len);
    }
    return sb.toString();
  }

  private static MathContext[] contexts(RoundingMode mode) {
    MathContext[] result = new MathContext[HEAD_DIGITS + 1];
    for (int p = 1; p <= HEAD_DIGITS; p++) {
      result[p] = new MathContext(p, mode);
    }
    return result;
  }
}
