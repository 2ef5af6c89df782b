package dev.flagedge.engine;

/**
 * A code-point cursor over the text of a JSONPath query or of an I-Regexp, shared by {@link
 * JsonPathParser} and {@link IRegexp}. Invalid text ends a parse with {@link InvalidQuery}.
 */
abstract class JsonPathCursor {
  /** The text is not valid; thrown without a stack trace, caught where parsing started. */
  static final class InvalidQuery extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidQuery() {
      super(null, null, false, false);
    }
  }

  final String src;
  int pos;

  JsonPathCursor(String src) {
    this.src = src;
  }

  int peek() {
    return pos < src.length() ? src.codePointAt(pos) : -1;
  }

  int next() {
    int c = peek();
    pos += c < 0 ? 0 : Character.charCount(c);
    return c;
  }

  boolean take(int c) {
    if (peek() != c) {
      return false;
    }
    pos += Character.charCount(c);
    return true;
  }

  boolean take(String s) {
    if (!src.startsWith(s, pos)) {
      return false;
    }
    pos += s.length();
    return true;
  }

  void expect(int c) {
    if (!take(c)) {
      throw new InvalidQuery();
    }
  }

  void digits() {
    int start = pos;
    while (isDigit(peek())) {
      pos++;
    }
    if (pos == start) {
      throw new InvalidQuery();
    }
  }

  static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  static boolean isSurrogate(int c) {
    return c >= 0xD800 && c <= 0xDFFF;
  }
}
