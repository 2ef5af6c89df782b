package dev.flagedge.engine;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Translates an RFC 9485 I-Regexp to a java.util.regex Pattern; null when the pattern is not valid.
 * Like the reference, ^ and $ keep their Python anchor meaning (UNIX_LINES gives Python's $).
 */
final class IRegexp extends JsonPathCursor {
  private static final String SINGLE_ESCAPES = "()*+-.?[\\]^{|}nrt";
  private final StringBuilder out = new StringBuilder();

  private IRegexp(String src) {
    super(src);
  }

  static Pattern compile(String pattern) {
    try {
      IRegexp r = new IRegexp(pattern);
      r.alternation();
      return r.pos == pattern.length()
          ? Pattern.compile(r.out.toString(), Pattern.UNIX_LINES)
          : null;
    } catch (InvalidQuery | PatternSyntaxException e) {
      return null;
    }
  }

  private void alternation() {
    branch();
    while (take('|')) {
      out.append('|');
      branch();
    }
  }

  private void branch() {
    while (pos < src.length() && peek() != '|' && peek() != ')') {
      atom();
      quantifier();
    }
  }

  private void atom() {
    int c = next();
    if (c == '(') {
      out.append("(?:");
      alternation();
      expect(')');
      out.append(')');
    } else if (c == '.') {
      out.append("[^\\n\\r]");
    } else if (c == '^' || c == '$') {
      out.appendCodePoint(c);
    } else if (c == '[') {
      charClass();
    } else if (c == '\\') {
      escape();
    } else if ("*+?{}]".indexOf(c) >= 0 || isSurrogate(c)) {
      throw new InvalidQuery();
    } else {
      literal(c);
    }
  }

  private void quantifier() {
    int c = peek();
    if (c == '*' || c == '+' || c == '?') {
      out.appendCodePoint(next());
    } else if (c == '{') {
      int start = pos++;
      digits();
      if (take(',') && peek() != '}') {
        digits();
      }
      expect('}');
      out.append(src, start, pos);
    }
  }

  private void escape() {
    int c = next();
    if (c == 'p' || c == 'P') {
      category(c);
    } else {
      literal(singleEscape(c));
    }
  }

  private static int singleEscape(int c) {
    if (c < 0 || SINGLE_ESCAPES.indexOf(c) < 0) {
      throw new InvalidQuery();
    }
    return c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : c;
  }

  private void category(int p) {
    expect('{');
    int start = pos;
    String minors;
    switch (next()) {
      case 'L' -> minors = "lmotu";
      case 'M' -> minors = "cen";
      case 'N' -> minors = "dlo";
      case 'P' -> minors = "cdefios";
      case 'Z' -> minors = "lps";
      case 'S' -> minors = "ckmo";
      case 'C' -> minors = "cfno";
      default -> throw new InvalidQuery();
    }
    if (peek() != '}' && minors.indexOf(next()) < 0) {
      throw new InvalidQuery();
    }
    expect('}');
    out.append('\\').appendCodePoint(p).append('{').append(src, start, pos - 1).append('}');
  }

  /** charClassExpr = "[" ["^"] ("-" / CCE1) *CCE1 ["-"] "]". */
  private void charClass() {
    out.append('[');
    if (take('^')) {
      out.append('^');
    }
    for (boolean first = true; first || !take(']'); first = false) {
      if (take('-')) {
        literal('-');
        if (!first) {
          expect(']');
          break;
        }
      } else {
        classItem();
      }
    }
    out.append(']');
  }

  private void classItem() {
    if (src.startsWith("\\p", pos) || src.startsWith("\\P", pos)) {
      pos++;
      escape();
      return;
    }
    literal(classChar());
    if (peek() == '-' && pos + 1 < src.length() && src.charAt(pos + 1) != ']') {
      pos++;
      out.append('-');
      literal(classChar());
    }
  }

  private int classChar() {
    int c = next();
    if (c == '\\') {
      return singleEscape(next());
    }
    if (c < 0 || c == '[' || c == ']' || c == '-' || isSurrogate(c)) {
      throw new InvalidQuery();
    }
    return c;
  }

  private void literal(int c) {
    out.append("\\x{").append(Integer.toHexString(c)).append('}');
  }
}
