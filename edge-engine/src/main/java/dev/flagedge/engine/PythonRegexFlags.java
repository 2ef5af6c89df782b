package dev.flagedge.engine;

import static dev.flagedge.engine.PythonRegex.invalid;

/**
 * Python flags in effect for a part of the pattern; the others are handed to Java. Also the flag
 * bits of CPython's {@code re} and the reading of inline flag letters.
 */
final class PythonRegexFlags {
  static final int IGNORECASE = 1;
  private static final int LOCALE = 2;
  static final int MULTILINE = 4;
  static final int DOTALL = 8;
  static final int VERBOSE = 16;
  static final int ASCII = 32;
  static final int TEMPLATE = 64;
  static final int UNICODE = 128;
  static final String FLAG_CHARS = "iLmsxatu";
  private static final int TYPE_FLAGS = ASCII | LOCALE | UNICODE;

  boolean ascii;
  boolean multiline;
  boolean dotall;
  boolean verbose;

  PythonRegexFlags with(int add, int del) {
    PythonRegexFlags f = new PythonRegexFlags();
    f.ascii = (add & ASCII) != 0 || (ascii && (add & UNICODE) == 0);
    f.multiline = flag(multiline, add, del, MULTILINE);
    f.dotall = flag(dotall, add, del, DOTALL);
    f.verbose = flag(verbose, add, del, VERBOSE);
    return f;
  }

  private static boolean flag(boolean current, int add, int del, int bit) {
    return ((add & bit) != 0 || current) && (del & bit) == 0;
  }

  /**
   * Reads flag letters from {@code c} on and leaves {@code -}, {@code :} or {@code )} as next
   * token.
   */
  static int addedFlags(PythonRegexTokens src, int c) {
    int add = 0;
    for (int t = c; ; t = src.next()) {
      int flag = flagBit(t);
      if (flag == 0) {
        throw invalid(t == PythonRegexTokens.END ? "missing -, : or )" : "unknown flag");
      }
      if (flag == LOCALE) {
        throw invalid("bad inline flags: cannot use 'L' flag with a str pattern");
      }
      add |= flag;
      if ((flag & TYPE_FLAGS) != 0 && (add & TYPE_FLAGS) != flag) {
        throw invalid("bad inline flags: flags 'a', 'u' and 'L' are incompatible");
      }
      int next = src.peek();
      if (next == ')' || next == '-' || next == ':') {
        return add;
      }
    }
  }

  /** Reads flag letters after {@code -} up to and including the {@code :}. */
  static int removedFlags(PythonRegexTokens src) {
    int del = 0;
    int t = src.next();
    if (flagBit(t) == 0) {
      throw invalid("missing flag");
    }
    for (; t != ':'; t = src.next()) {
      int flag = flagBit(t);
      if (flag == 0) {
        throw invalid(t == PythonRegexTokens.END ? "missing :" : "unknown flag");
      }
      if ((flag & (TYPE_FLAGS | TEMPLATE)) != 0) {
        throw invalid("bad inline flags: cannot turn off this flag");
      }
      del |= flag;
    }
    return del;
  }

  private static int flagBit(int t) {
    int i = t >= 0 && t < PythonRegexTokens.ESCAPED ? FLAG_CHARS.indexOf(t) : -1;
    return i < 0 ? 0 : 1 << i;
  }
}
