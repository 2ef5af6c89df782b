package dev.flagedge.engine;

import static dev.flagedge.engine.PythonRegex.invalid;
import static dev.flagedge.engine.PythonRegexSyntax.category;
import static dev.flagedge.engine.PythonRegexSyntax.classJava;
import static dev.flagedge.engine.PythonRegexSyntax.literal;
import static dev.flagedge.engine.PythonRegexSyntax.range;
import static dev.flagedge.engine.PythonRegexSyntax.unit;

import dev.flagedge.engine.PythonRegexSyntax.ClassItem;
import dev.flagedge.engine.PythonRegexSyntax.Node;

/**
 * Escapes that name one code point ({@code \x41}, {@code \N{name}}, octal...), and character
 * classes: what the translation reads without looking at groups. One instance per pattern, over its
 * tokens.
 */
final class PythonRegexEscapes {
  private final PythonRegexTokens src;

  PythonRegexEscapes(PythonRegexTokens src) {
    this.src = src;
  }

  /** Escapes that name one code point the same way inside and outside a class; -1 for others. */
  int codeEscape(int c) {
    switch (c) {
      case 'a':
        return 0x07;
      case 'f':
        return 0x0C;
      case 'n':
        return 0x0A;
      case 'r':
        return 0x0D;
      case 't':
        return 0x09;
      case 'v':
        return 0x0B;
      case 'x':
        return (int) hex(2);
      case 'u':
        return (int) hex(4);
      case 'U':
        long value = hex(8);
        if (value > Character.MAX_CODE_POINT) {
          throw invalid("bad escape \\U");
        }
        return (int) value;
      case 'N':
        return namedCharacter();
      default:
        return -1;
    }
  }

  private long hex(int count) {
    long value = 0;
    for (int i = 0; i < count; i++) {
      int digit = src.peek() < 0x80 ? Character.digit(src.peek(), 16) : -1;
      if (digit < 0) {
        throw invalid("incomplete escape");
      }
      src.next();
      value = value * 16 + digit;
    }
    return value;
  }

  private int namedCharacter() {
    if (!src.match('{')) {
      throw invalid("missing {");
    }
    String name = src.until('}');
    // Java trims and accepts names Python does not know; the round trip keeps only real names.
    if (Character.isWhitespace(name.codePointAt(0))
        || Character.isWhitespace(name.codePointBefore(name.length()))) {
      throw invalid("undefined character name " + name);
    }
    try {
      return Character.codePointOf(name);
    } catch (IllegalArgumentException e) {
      throw invalid("undefined character name " + name);
    }
  }

  /** Up to two more octal digits after {@code first}. */
  int octal(int first) {
    int value = first;
    for (int i = 0; i < 2 && isOctal(src.peek()); i++) {
      value = value * 8 + (src.next() - '0');
    }
    return value;
  }

  Node characterClass(PythonRegexFlags f) {
    StringBuilder body = new StringBuilder();
    boolean negate = src.match('^');
    for (boolean empty = true; ; empty = false) {
      int t = src.next();
      if (t == PythonRegexTokens.END) {
        throw invalid("unterminated character set");
      }
      if (t == ']' && !empty) {
        break;
      }
      ClassItem first = classAtom(t, f);
      if (!src.match('-')) {
        body.append(classJava(first));
        continue;
      }
      int t2 = src.next();
      if (t2 == PythonRegexTokens.END) {
        throw invalid("unterminated character set");
      }
      if (t2 == ']') {
        body.append(classJava(first)).append(literal('-'));
        break;
      }
      body.append(range(first, classAtom(t2, f)));
    }
    return unit("[" + (negate ? "^" : "") + body + "]");
  }

  private ClassItem classAtom(int t, PythonRegexFlags f) {
    return (t & PythonRegexTokens.ESCAPED) != 0
        ? classEscape(t & ~PythonRegexTokens.ESCAPED, f)
        : new ClassItem(t, null);
  }

  private ClassItem classEscape(int c, PythonRegexFlags f) {
    if (c == 'b') {
      return new ClassItem(0x08, null);
    }
    if ("dDsSwW".indexOf(c) >= 0) {
      return new ClassItem(-1, category(c, f.ascii, true));
    }
    int code = codeEscape(c);
    if (code >= 0) {
      return new ClassItem(code, null);
    }
    if (isOctal(c)) {
      int value = octal(c - '0');
      if (value > 0377) {
        throw invalid("octal escape value outside of range 0-0o377");
      }
      return new ClassItem(value, null);
    }
    if (isAsciiLetter(c) || c == '8' || c == '9') {
      throw invalid("bad escape \\" + (char) c);
    }
    return new ClassItem(c, null);
  }

  static boolean isOctal(int t) {
    return t >= '0' && t <= '7';
  }

  static boolean isAsciiLetter(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
