package dev.flagedge.engine;

import dev.flagedge.engine.internal.PythonFloat;
import java.math.BigInteger;
import java.util.Locale;

/** Python 3 compatible {@code repr(float)}, {@code int(str)} and {@code float(str)}. */
final class PythonNumbers {

  /**
   * CPython 3.11+ (and the 3.8-3.10 security releases) reject {@code int(str)} above this many
   * digits.
   */
  private static final int MAX_INT_STR_DIGITS = 4300;

  private PythonNumbers() {}

  /**
   * Python's {@code repr(x)}: shortest round-tripping digits, e.g. "1e+23", "0.1", "-0.0", "nan".
   */
  static String repr(double x) {
    return PythonFloat.repr(x);
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
}
