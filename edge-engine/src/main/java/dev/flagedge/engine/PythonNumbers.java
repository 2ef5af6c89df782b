package dev.flagedge.engine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/** Python 3 compatible {@code repr(float)}, {@code int(str)} and {@code float(str)}. */
final class PythonNumbers {

  /**
   * CPython 3.11+ (and the 3.8-3.10 security releases) reject {@code int(str)} above this many
   * digits.
   */
  private static final int MAX_INT_STR_DIGITS = 4300;

  /** 17 significant digits always identify a double uniquely. */
  private static final int MAX_DIGITS = 17;

  private static final int HEAD_DIGITS = MAX_DIGITS + 1;

  private static final MathContext[] NEAREST = contexts(RoundingMode.HALF_EVEN);
  private static final MathContext[] DOWN = contexts(RoundingMode.DOWN);
  private static final MathContext[] UP = contexts(RoundingMode.UP);

  private PythonNumbers() {}

  /**
   * Python's {@code repr(x)}: shortest round-tripping digits, e.g. "1e+23", "0.1", "-0.0", "nan".
   */
  static String repr(double x) {
    if (Double.isNaN(x)) {
      return "nan";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    if (x == 0) {
      return Double.doubleToRawLongBits(x) < 0 ? "-0.0" : "0.0";
    }
    return format(x < 0, shortestDecimal(Math.abs(x)));
  }

  /** Python's {@code int(s)}; {@code null} where Python raises ValueError. */
  static BigInteger parseInt(String s) {
    String t = strip(s);
    StringBuilder ascii = new StringBuilder(t.length());
    int start = appendSign(t, 0, ascii);
    int digits = appendDigits(t, start, t.length(), ascii);
    if (digits <= 0 || digits > MAX_INT_STR_DIGITS) {
      return null;
    }
    return new BigInteger(ascii.toString());
  }

  /** Python's {@code float(s)}; {@code null} where Python raises ValueError. */
  static Double parseFloat(String s) {
    String t = strip(s);
    int n = t.length();
    StringBuilder ascii = new StringBuilder(n + 1);
    int start = appendSign(t, 0, ascii);
    Double special = parseSpecial(t.substring(start), start > 0 && t.charAt(0) == '-');
    if (special != null) {
      return special;
    }
    int exp = start;
    while (exp < n && t.charAt(exp) != 'e' && t.charAt(exp) != 'E') {
      exp++;
    }
    int dot = t.indexOf('.', start);
    if (dot < 0 || dot > exp) {
      dot = exp;
    }
    int intDigits = appendDigits(t, start, dot, ascii);
    int fracDigits = 0;
    if (dot < exp) {
      ascii.append('.');
      fracDigits = appendDigits(t, dot + 1, exp, ascii);
    }
    if (intDigits < 0 || fracDigits < 0 || intDigits + fracDigits == 0) {
      return null;
    }
    if (exp < n) {
      ascii.append('e');
      if (appendDigits(t, appendSign(t, exp + 1, ascii), n, ascii) <= 0) {
        return null;
      }
    }
    // The grammar is validated above, so Java-only syntax (hex, 'd'/'f' suffixes) never gets here.
    return Double.parseDouble(ascii.toString());
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

  private static Double parseSpecial(String word, boolean negative) {
    // ASCII-only case folding: equalsIgnoreCase would accept "\u0131nf" (dotless i); Python does
    // not.
    if (word.length() > 8 || !word.chars().allMatch(c -> c < 128)) {
      return null;
    }
    switch (word.toLowerCase(Locale.ROOT)) {
      case "inf":
      case "infinity":
        return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      case "nan":
        return Double.NaN;
      default:
        return null;
    }
  }

  private static int appendSign(String t, int i, StringBuilder out) {
    if (i < t.length() && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
      out.append(t.charAt(i));
      return i + 1;
    }
    return i;
  }

  /**
   * Appends the Unicode decimal digits of {@code t[from, to)} as ASCII, allowing single underscores
   * between digits (PEP 515). Returns the digit count, or -1 if anything else is there.
   */
  private static int appendDigits(String t, int from, int to, StringBuilder out) {
    int count = 0;
    boolean afterUnderscore = false;
    for (int i = from; i < to; ) {
      int cp = t.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '_') {
        if (count == 0 || afterUnderscore) {
          return -1;
        }
        afterUnderscore = true;
      } else if (Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER) {
        out.append((char) ('0' + Character.digit(cp, 10)));
        count++;
        afterUnderscore = false;
      } else {
        return -1;
      }
    }
    return afterUnderscore ? -1 : count;
  }

  /**
   * Strips what CPython's int()/float() skip: ASCII whitespace plus non-ASCII Unicode whitespace.
   * Unlike str.strip(), U+001C..U+001F are NOT skipped: CPython only maps non-ASCII spaces to ' '.
   */
  private static String strip(String s) {
    int begin = 0;
    int end = s.length();
    while (begin < end && isSpace(s.charAt(begin))) {
      begin++;
    }
    while (end > begin && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(begin, end);
  }

  private static boolean isSpace(char c) {
    return c == ' '
        || (c >= '\t' && c <= '\r')
        || c == '\u0085'
        || c == '\u00a0'
        || c == '\u1680'
        || (c >= '\u2000' && c <= '\u200a')
        || c == '\u2028'
        || c == '\u2029'
        || c == '\u202f'
        || c == '\u205f'
        || c == '\u3000';
  }

  private static MathContext[] contexts(RoundingMode mode) {
    MathContext[] result = new MathContext[HEAD_DIGITS + 1];
    for (int p = 1; p <= HEAD_DIGITS; p++) {
      result[p] = new MathContext(p, mode);
    }
    return result;
  }
}
