package dev.flagedge.engine;

import static dev.flagedge.engine.PythonRegex.invalid;
import static dev.flagedge.engine.PythonRegexFlags.ASCII;
import static dev.flagedge.engine.PythonRegexFlags.IGNORECASE;
import static dev.flagedge.engine.PythonRegexFlags.UNICODE;

/**
 * The Java regex text written for each Python construct, and the pieces the translation builds:
 * {@link Node}s carrying Java text with Python's width bounds. Every construct is spelled out
 * explicitly rather than relying on Java's meaning of the same spelling (see {@link PythonRegex}).
 */
final class PythonRegexSyntax {
  /**
   * Any code point. The literal U+10FFFF makes Java step back over surrogate pairs in look-behinds.
   */
  static final String ANY = "[\\x{0}-\uDBFF\uDFFF]";

  private static final String WORD_UNICODE = "\\p{L}\\p{N}_";
  private static final String WORD_ASCII = "a-zA-Z0-9_";
  private static final String SPACE_UNICODE = "\\p{IsWhite_Space}\\x{1C}-\\x{1F}";
  private static final String SPACE_ASCII = "\\t\\n\\x{B}\\f\\r\\x{20}";

  /** CPython's {@code MAXREPEAT}: the "unbounded" repeat count and the cap of computed widths. */
  static final long MAXREPEAT = 0xFFFF_FFFFL;

  private PythonRegexSyntax() {}

  /**
   * What a parsed piece contributes: Java text, Python's (min, max) width and whether it may be
   * repeated.
   */
  record Node(String java, long lo, long hi, Kind kind) {}

  enum Kind {
    AT,
    REPEAT,
    ITEM
  }

  /** A class member: a code point ({@code java} is then null) or a category such as {@code \d}. */
  record ClassItem(int codePoint, String java) {}

  static String repeated(Node item, long min, long max, String mode) {
    if (min <= Integer.MAX_VALUE) {
      // A branch makes Java use its general loop, which undoes captures on backtracking as Python
      // does.
      String java = item.java().contains("(?<g") ? "(?:" + item.java() + "|(?!))" : item.java();
      return java + quantifier(min, max) + mode;
    }
    if (item.lo() == 0) {
      throw invalid("repeat count too large for java.util.regex: " + min);
    }
    // No Java string is that long; {0} keeps the item's groups defined for later references.
    return "(?!)(?:" + item.java() + "){0}";
  }

  /** A bound past Java's int range never binds: no Java string is that long. */
  private static String quantifier(long min, long max) {
    if (max > Integer.MAX_VALUE) {
      return min == 0 ? "*" : min == 1 ? "+" : "{" + javaCount(min) + ",}";
    }
    if (min == 0 && max == 1) {
      return "?";
    }
    return min == max
        ? "{" + javaCount(min) + "}"
        : "{" + javaCount(min) + "," + javaCount(max) + "}";
  }

  private static int javaCount(long count) {
    if (count > Integer.MAX_VALUE) {
      throw invalid("repeat count too large for java.util.regex: " + count);
    }
    return (int) count;
  }

  /**
   * Java's look-behind tries its body at the start of the input when fewer than {@code width} code
   * points precede, and captures made there survive its failure; a plain look-behind checks for
   * room first.
   */
  static String guardedBehind(boolean positive, String java, long width) {
    String check = behind(positive, java, width);
    if (width == 0) {
      return check;
    }
    String room = behind(positive, "", width);
    return "(?:" + room + (positive ? "" : "|") + check + ")";
  }

  /**
   * Java's own inline flags for what Java implements itself: case folding and Unicode case rules.
   */
  static String scopedOpen(int add, int del) {
    String on = ((add & IGNORECASE) != 0 ? "i" : "") + ((add & UNICODE) != 0 ? "U" : "");
    String off = ((del & IGNORECASE) != 0 ? "i" : "") + ((add & ASCII) != 0 ? "U" : "");
    if (on.isEmpty() && off.isEmpty()) {
      return "(?:";
    }
    return "(?" + on + (off.isEmpty() ? "" : "-" + off) + ":";
  }

  static String classJava(ClassItem item) {
    return item.java() != null ? item.java() : literal(item.codePoint());
  }

  static String range(ClassItem lo, ClassItem hi) {
    if (lo.java() != null || hi.java() != null || hi.codePoint() < lo.codePoint()) {
      throw invalid("bad character range");
    }
    return literal(lo.codePoint()) + "-" + literal(hi.codePoint());
  }

  static Node unit(String java) {
    return new Node(java, 1, 1, Kind.ITEM);
  }

  static Node at(String java) {
    return new Node(java, 0, 0, Kind.AT);
  }

  static Node capped(String java, long lo, long hi) {
    return new Node(java, Math.min(lo, MAXREPEAT - 1), Math.min(hi, MAXREPEAT), Kind.ITEM);
  }

  /**
   * Python's {@code \d \D \s \S \w \W}; inside a class the positive ones are bare class members.
   */
  static String category(int c, boolean ascii, boolean inClass) {
    String set;
    switch (Character.toLowerCase(c)) {
      case 'd':
        set = ascii ? "0-9" : "\\p{Nd}";
        break;
      case 's':
        set = ascii ? SPACE_ASCII : SPACE_UNICODE;
        break;
      default:
        set = ascii ? WORD_ASCII : WORD_UNICODE;
        break;
    }
    if (Character.isUpperCase(c)) {
      return "[^" + set + "]";
    }
    return inClass ? set : "[" + set + "]";
  }

  static String boundary(boolean ascii) {
    String w = category('w', ascii, false);
    return "(?:" + behind(true, w, 1) + "(?!" + w + ")|" + behind(false, w, 1) + "(?=" + w + "))";
  }

  /** Python 3.11's {@code \B} also fails everywhere in an empty string. */
  static String nonBoundary(boolean ascii) {
    String w = category('w', ascii, false);
    return "(?:(?:"
        + behind(true, w, 1)
        + "(?="
        + w
        + ")|"
        + behind(false, w, 1)
        + "(?!"
        + w
        + "))"
        + "(?:(?!\\A)|(?!\\z)))";
  }

  /**
   * A look-behind that steps back exactly {@code width} code points and matches {@code java} there.
   */
  private static String behind(boolean positive, String java, long width) {
    String step = width == 0 ? "" : width == 1 ? ANY : ANY + "{" + javaCount(width) + "}";
    return (positive ? "(?<=" : "(?<!") + "(?=" + java + ")" + step + ")";
  }

  static String literal(int cp) {
    boolean plain =
        (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    return plain ? Character.toString(cp) : "\\x{" + Integer.toHexString(cp) + "}";
  }

  static long add(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  static long multiply(long a, long b) {
    return a != 0 && b > Long.MAX_VALUE / a ? Long.MAX_VALUE : a * b;
  }
}
