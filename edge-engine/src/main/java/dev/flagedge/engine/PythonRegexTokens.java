package dev.flagedge.engine;

import static dev.flagedge.engine.PythonRegex.invalid;
import static dev.flagedge.engine.PythonRegexSyntax.add;
import static dev.flagedge.engine.PythonRegexSyntax.multiply;

/**
 * {@code sre_parse}'s tokenizer: a code point, or a backslash and the code point after it. Also
 * Python's rules for the group names and numbers read from the tokens. Not thread-safe.
 */
final class PythonRegexTokens {
  static final int END = -1;
  static final int ESCAPED = 1 << 21;

  private final int[] cps;
  private int pos;

  PythonRegexTokens(String pattern) {
    cps = pattern.codePoints().toArray();
    // Python reads a token ahead, so a final lone backslash fails even inside a comment.
    for (int i = 0; i < cps.length; i += cps[i] == '\\' ? 2 : 1) {
      if (cps[i] == '\\' && i + 1 == cps.length) {
        throw invalid("bad escape (end of pattern)");
      }
    }
  }

  int peek() {
    if (pos >= cps.length) {
      return END;
    }
    return cps[pos] == '\\' ? ESCAPED | cps[pos + 1] : cps[pos];
  }

  int next() {
    int t = peek();
    pos += t == END ? 0 : (t & ESCAPED) != 0 ? 2 : 1;
    return t;
  }

  boolean match(int c) {
    if (peek() != c) {
      return false;
    }
    next();
    return true;
  }

  int mark() {
    return pos;
  }

  void reset(int mark) {
    pos = mark;
  }

  /**
   * Python's {@code getuntil}: escaped characters keep their backslash, so they never form a name.
   */
  String until(int terminator) {
    StringBuilder sb = new StringBuilder();
    for (int t = next(); t != terminator; t = next()) {
      if (t == PythonRegexTokens.END) {
        throw invalid("missing " + Character.toString(terminator) + ", unterminated name");
      }
      sb.append((t & PythonRegexTokens.ESCAPED) != 0 ? "\\" : "")
          .appendCodePoint(t & ~PythonRegexTokens.ESCAPED);
    }
    if (sb.length() == 0) {
      throw invalid("missing group name");
    }
    return sb.toString();
  }

  /**
   * Python's {@code str.isidentifier()}, approximated with Java's Unicode identifier predicates.
   */
  static boolean isIdentifier(String s) {
    int[] cps = s.codePoints().toArray();
    if (cps.length == 0 || (cps[0] != '_' && !Character.isUnicodeIdentifierStart(cps[0]))) {
      return false;
    }
    for (int cp : cps) {
      if (!Character.isUnicodeIdentifierPart(cp) || Character.isIdentifierIgnorable(cp)) {
        return false;
      }
    }
    return true;
  }

  /** Python's {@code int(s)} for a group number; -1 when it fails or is negative. */
  static long pythonInt(String s) {
    String t = s.strip();
    if (t.startsWith("+")) {
      t = t.substring(1);
    }
    if (t.isEmpty() || t.startsWith("_") || t.endsWith("_") || t.contains("__")) {
      return -1;
    }
    long value = 0;
    for (int cp : t.codePoints().toArray()) {
      if (cp == '_') {
        continue;
      }
      if (!Character.isDigit(cp)) {
        return -1;
      }
      value = Math.min(add(multiply(value, 10), Character.digit(cp, 10)), Integer.MAX_VALUE + 1L);
    }
    return value;
  }
}
