package dev.flagedge.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Compiles a Python 3.11 {@code re} pattern (a str pattern, no flags argument) into an equivalent
 * {@link Pattern}. Callers match with {@link #matchesAtStart} (or {@code
 * matcher(subject).lookingAt()}), which is Python's {@code re.match}: anchored at the start only.
 *
 * <p>The pattern is parsed the way CPython's {@code sre_parse} does, so anything Python rejects is
 * rejected here (bad escapes such as {@code \p} or {@code \q}, unbalanced groups, nothing/multiple
 * repeat, references to unknown or open groups, variable-width look-behind, bad inline flags).
 * Every construct is then written out explicitly rather than relying on Java's meaning of the same
 * spelling:
 *
 * <ul>
 *   <li>literals become {@code \x{..}}, so Java's {@code &&}, nested {@code [} and bare braces lose
 *       their meaning;
 *   <li>{@code \d \w \s \b} and their negations are Unicode sets ({@code \p{Nd}}; {@code
 *       [\p{L}\p{N}_]}, which is Python's {@code str.isalnum()} plus underscore; White_Space plus
 *       U+001C..U+001F), or ASCII sets under {@code (?a)}; {@code \b}/{@code \B} are look-arounds
 *       over that word set, and {@code \B} never matches an empty string, as in Python 3.11;
 *   <li>{@code . ^ $} follow Python's newline rules (only {@code \n}; {@code (?m)^} also matches at
 *       the end after a final newline); {@code \Z} is {@code \z};
 *   <li>groups are renamed {@code g1, g2, ...} after their Python number, so Python names need not
 *       be valid Java names; {@code (?P=name)} and {@code \N} become {@code \k<gN>};
 *   <li>{@code (?<=X)} becomes {@code (?<=(?=X).{w})} with {@code w} the fixed width Python
 *       computed, which lets back-references appear inside and steps back over whole code points; a
 *       plain look-behind first checks that {@code w} code points precede, because Java otherwise
 *       tries the body at the start of the input and keeps its captures;
 *   <li>a repeated item that holds a capture group gets an extra branch {@code |(?!)}, which makes
 *       Java use its general loop: that loop undoes captures on backtracking, and keeps a group's
 *       empty iteration, as Python does;
 *   <li>conditionals {@code (?(g)yes|no)} are emulated with an empty marker group at the end of
 *       group {@code g} (then Java's group numbers no longer equal Python's); Java cannot refer to
 *       a group it has not parsed yet, so a condition on a group that is still open or comes later
 *       is rejected.
 * </ul>
 *
 * <p>Known divergences, where Python accepts a pattern that is rejected here (compile gives empty)
 * or matches differently:
 *
 * <ul>
 *   <li>Unicode tables are the JDK's (Unicode 13 on Java 17), not Python's (14 on 3.11, 15 on
 *       3.12).
 *   <li>Case-insensitive matching uses Java's simple case mapping; Python adds a few equivalences
 *       of its own, so a handful of characters differ.
 *   <li>A condition {@code (?(g)...)} on a group that is still open or defined later is rejected.
 *   <li>A count of 2^31 or more on an item that can match the empty string, and a look-behind at
 *       least 2^31 code points wide, are rejected.
 *   <li>{@code \N{name}} uses the JDK's name table: no aliases, no named sequences, other spellings
 *       for derived names.
 *   <li>Group names are checked with Java's identifier predicates, not Python's NFKC-based rules.
 *   <li>Flag and syntax rules are CPython 3.11's: {@code (?t)} is accepted unless the pattern
 *       repeats, atomic groups and possessive quantifiers are accepted (older Pythons reject them).
 *   <li>Java keeps the captures made inside a look-around, an atomic group or a possessive repeat
 *       when a later part fails and another alternative is tried, and those made inside a negative
 *       look-around whose body matched; Python drops them. Only back-references and conditionals to
 *       such groups can tell.
 *   <li>Java's matcher can throw where Python answers; {@link #matchesAtStart} turns that into
 *       false.
 * </ul>
 *
 * <p>This class is stateless and thread-safe. It is longer than usual because the Python parser it
 * mirrors is one unit; the nested {@code Translator} keeps the per-pattern state.
 */
final class PythonRegex {

  /**
   * Any code point. The literal U+10FFFF makes Java step back over surrogate pairs in look-behinds.
   */
  private static final String ANY = "[\\x{0}-\uDBFF\uDFFF]";

  private static final String WORD_UNICODE = "\\p{L}\\p{N}_";
  private static final String WORD_ASCII = "a-zA-Z0-9_";
  private static final String SPACE_UNICODE = "\\p{IsWhite_Space}\\x{1C}-\\x{1F}";
  private static final String SPACE_ASCII = "\\t\\n\\x{B}\\f\\r\\x{20}";

  /** CPython's {@code MAXREPEAT}: the "unbounded" repeat count and the cap of computed widths. */
  private static final long MAXREPEAT = 0xFFFF_FFFFL;

  private PythonRegex() {}

  /**
   * The Java equivalent of {@code re.compile(pythonPattern)}; empty when Python or Java rejects it.
   */
  static Optional<Pattern> compile(String pythonPattern) {
    if (pythonPattern == null) {
      return Optional.empty();
    }
    try {
      Translator first = new Translator(pythonPattern, Set.of());
      String java = first.translate();
      int flags = first.javaFlags();
      if (!first.conditionGroups.isEmpty()) {
        // Marker groups must be emitted inside groups that a later conditional refers to: parse
        // again.
        Translator second = new Translator(pythonPattern, first.conditionGroups);
        java = second.translate();
      }
      return Optional.of(Pattern.compile(java, flags));
    } catch (RuntimeException | StackOverflowError e) {
      return Optional.empty();
    }
  }

  /**
   * Python's {@code pattern.match(subject) is not None} for a pattern from {@link #compile}. False
   * where Java's matcher fails: {@link StackOverflowError} on deep backtracking, and JDK 17's
   * case-insensitive back-reference bug, which throws {@link IndexOutOfBoundsException} on some
   * groups holding characters outside the BMP.
   */
  static boolean matchesAtStart(Pattern pattern, CharSequence subject) {
    try {
      return pattern.matcher(subject).lookingAt();
    } catch (RuntimeException | StackOverflowError e) {
      return false;
    }
  }

  private static InvalidPattern invalid(String message) {
    return new InvalidPattern(message);
  }

  private static final class InvalidPattern extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidPattern(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * What a parsed piece contributes: Java text, Python's (min, max) width and whether it may be
   * repeated.
   */
  private record Node(String java, long lo, long hi, Kind kind) {}

  private enum Kind {
    AT,
    REPEAT,
    ITEM
  }

  /** A class member: a code point ({@code java} is then null) or a category such as {@code \d}. */
  private record ClassItem(int codePoint, String java) {}

  /** Python flags in effect for a part of the pattern; the others are handed to Java. */
  private static final class Flags {
    boolean ascii;
    boolean multiline;
    boolean dotall;
    boolean verbose;

    Flags with(int add, int del) {
      Flags f = new Flags();
      f.ascii = (add & Translator.ASCII) != 0 || (ascii && (add & Translator.UNICODE) == 0);
      f.multiline = flag(multiline, add, del, Translator.MULTILINE);
      f.dotall = flag(dotall, add, del, Translator.DOTALL);
      f.verbose = flag(verbose, add, del, Translator.VERBOSE);
      return f;
    }

    private static boolean flag(boolean current, int add, int del, int bit) {
      return ((add & bit) != 0 || current) && (del & bit) == 0;
    }
  }

  /** {@code sre_parse}'s tokenizer: a code point, or a backslash and the code point after it. */
  private static final class Tokens {
    static final int END = -1;
    static final int ESCAPED = 1 << 21;

    private final int[] cps;
    private int pos;

    Tokens(String pattern) {
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
  }

  /** One pass over one pattern, after {@code sre_parse._parse_sub} and {@code _parse}. */
  private static final class Translator {
    static final int IGNORECASE = 1;
    static final int LOCALE = 2;
    static final int MULTILINE = 4;
    static final int DOTALL = 8;
    static final int VERBOSE = 16;
    static final int ASCII = 32;
    static final int TEMPLATE = 64;
    static final int UNICODE = 128;
    private static final String FLAG_CHARS = "iLmsxatu";
    private static final int TYPE_FLAGS = ASCII | LOCALE | UNICODE;

    private final Tokens src;
    private final Set<Integer> markedGroups;
    final Set<Integer> conditionGroups = new HashSet<>();
    private final Map<String, Integer> groupNames = new HashMap<>();

    /** Python's {@code groupwidths}, index = group number - 1; null while the group is open. */
    private final List<long[]> groupWidths = new ArrayList<>();

    private final Flags top = new Flags();
    private int globalFlags;
    private boolean anyRepeat;

    /** Python's {@code lookbehindgroups}: the group count when the outermost look-behind began. */
    private Integer lookbehindGroups;

    Translator(String pattern, Set<Integer> markedGroups) {
      this.src = new Tokens(pattern);
      this.markedGroups = markedGroups;
    }

    String translate() {
      Node root = alternation(top, true);
      if (src.peek() != Tokens.END) {
        throw invalid("unbalanced parenthesis");
      }
      if (top.ascii && (globalFlags & UNICODE) != 0) {
        throw invalid("ASCII and UNICODE flags are incompatible");
      }
      if ((globalFlags & TEMPLATE) != 0 && anyRepeat) {
        throw invalid("internal: unsupported template operator");
      }
      return root.java();
    }

    int javaFlags() {
      return ((globalFlags & IGNORECASE) != 0 ? Pattern.CASE_INSENSITIVE : 0)
          | (top.ascii ? 0 : Pattern.UNICODE_CHARACTER_CLASS);
    }

    // ---- structure ---------------------------------------------------------------------------

    private Node alternation(Flags f, boolean topLevel) {
      List<Node> branches = new ArrayList<>();
      do {
        branches.add(sequence(f, topLevel && branches.isEmpty()));
      } while (src.match('|'));
      if (branches.size() == 1) {
        return branches.get(0);
      }
      StringJoiner java = new StringJoiner("|");
      long lo = MAXREPEAT - 1;
      long hi = 0;
      for (Node b : branches) {
        java.add(b.java());
        lo = Math.min(lo, b.lo());
        hi = Math.max(hi, b.hi());
      }
      return capped(java.toString(), lo, hi);
    }

    private Node sequence(Flags f, boolean first) {
      List<Node> items = new ArrayList<>();
      for (int t = src.peek(); t != Tokens.END && t != '|' && t != ')'; t = src.peek()) {
        src.next();
        if (f.verbose && skipVerbose(t)) {
          continue;
        }
        if (t == '*' || t == '+' || t == '?' || t == '{') {
          repeat(t, items);
          continue;
        }
        Node item = atom(t, f, first && items.isEmpty());
        if (item != null) {
          items.add(item);
        }
      }
      StringBuilder java = new StringBuilder();
      long lo = 0;
      long hi = 0;
      for (Node item : items) {
        java.append(item.java());
        lo = add(lo, item.lo());
        hi = add(hi, item.hi());
      }
      return capped(java.toString(), lo, hi);
    }

    private boolean skipVerbose(int t) {
      if (t == ' ' || t == '\t' || t == '\n' || t == '\r' || t == 0x0B || t == '\f') {
        return true;
      }
      if (t != '#') {
        return false;
      }
      for (int c = src.next(); c != Tokens.END && c != '\n'; c = src.next()) {
        // Comment text is dropped.
      }
      return true;
    }

    /** One item, or null for text that adds none (comments, global flags). */
    private Node atom(int t, Flags f, boolean globalFlagsAllowed) {
      if ((t & Tokens.ESCAPED) != 0) {
        return escape(t & ~Tokens.ESCAPED, f);
      }
      switch (t) {
        case '[':
          return characterClass(f);
        case '.':
          return unit(f.dotall ? ANY : "[^\\n]");
        case '^':
          return at(f.multiline ? "(?:\\A|(?<=\\n))" : "\\A");
        case '$':
          return at(f.multiline ? "(?=\\n|\\z)" : "(?=\\n?\\z)");
        case '(':
          return group(f, globalFlagsAllowed);
        default:
          return unit(literal(t));
      }
    }

    // ---- repeats -----------------------------------------------------------------------------

    private void repeat(int t, List<Node> items) {
      long[] range = t == '{' ? braces() : new long[] {t == '+' ? 1 : 0, t == '?' ? 1 : MAXREPEAT};
      if (range == null) {
        items.add(unit(literal('{')));
        return;
      }
      Node last = items.isEmpty() ? null : items.get(items.size() - 1);
      if (last == null || last.kind() == Kind.AT) {
        throw invalid("nothing to repeat");
      }
      if (last.kind() == Kind.REPEAT) {
        throw invalid("multiple repeat");
      }
      String mode = src.match('?') ? "?" : src.match('+') ? "+" : "";
      long lo = multiply(last.lo(), range[0]);
      long hi = range[1] == MAXREPEAT && last.hi() != 0 ? MAXREPEAT : multiply(last.hi(), range[1]);
      items.set(
          items.size() - 1,
          new Node(repeated(last, range[0], range[1], mode), lo, hi, Kind.REPEAT));
      anyRepeat = true;
    }

    /** {@code {m,n}} after the {@code {}; null (and nothing consumed) when Python reads a literal brace. */
    private long[] braces() {
      int here = src.mark();
      if (src.peek() == '}') {
        return null;
      }
      String lo = digits();
      String hi = src.match(',') ? digits() : lo;
      if (!src.match('}')) {
        src.reset(here);
        return null;
      }
      long min = lo.isEmpty() ? 0 : repeatCount(lo);
      long max = hi.isEmpty() ? MAXREPEAT : repeatCount(hi);
      if (max < min) {
        throw invalid("min repeat greater than max repeat");
      }
      return new long[] {min, max};
    }

    private String digits() {
      StringBuilder sb = new StringBuilder();
      while (src.peek() >= '0' && src.peek() <= '9') {
        sb.append((char) src.next());
      }
      return sb.toString();
    }

    private static long repeatCount(String digits) {
      String trimmed = digits.replaceFirst("^0+(?=.)", "");
      if (trimmed.length() > 10 || Long.parseLong(trimmed) >= MAXREPEAT) {
        throw invalid("the repetition number is too large");
      }
      return Long.parseLong(trimmed);
    }

    private static String repeated(Node item, long min, long max, String mode) {
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

    // ---- groups ------------------------------------------------------------------------------

    private Node group(Flags f, boolean globalFlagsAllowed) {
      if (!src.match('?')) {
        return capture(null, f);
      }
      int c = src.next();
      switch (c) {
        case 'P':
          return pythonExtension(f);
        case ':':
          return enclosed("(?:", f);
        case '>':
          return enclosed("(?>", f);
        case '#':
          skipComment();
          return null;
        case '=':
        case '!':
          Node body = enclosed("", f);
          return new Node("(?" + (char) c + body.java() + ")", 0, 0, Kind.ITEM);
        case '<':
          return lookbehind(f);
        case '(':
          return conditional(f);
        default:
          if (c == '-' || (c >= 0 && FLAG_CHARS.indexOf(c) >= 0)) {
            return flagGroup(c, f, globalFlagsAllowed);
          }
          throw invalid(c == Tokens.END ? "unexpected end of pattern" : "unknown extension");
      }
    }

    /** The rest of a group after its opening text, including the closing parenthesis. */
    private Node enclosed(String open, Flags f) {
      Node body = alternation(f, false);
      expectClose();
      return new Node(
          open.isEmpty() ? body.java() : open + body.java() + ")", body.lo(), body.hi(), Kind.ITEM);
    }

    private void expectClose() {
      if (!src.match(')')) {
        throw invalid("missing ), unterminated subpattern");
      }
    }

    private void skipComment() {
      for (int t = src.next(); t != ')'; t = src.next()) {
        if (t == Tokens.END) {
          throw invalid("missing ), unterminated comment");
        }
      }
    }

    private Node capture(String name, Flags f) {
      int gid = groupWidths.size() + 1;
      groupWidths.add(null);
      if (name != null && groupNames.putIfAbsent(name, gid) != null) {
        throw invalid("redefinition of group name " + name);
      }
      Node body = alternation(f, false);
      expectClose();
      groupWidths.set(gid - 1, new long[] {body.lo(), body.hi()});
      String content =
          markedGroups.contains(gid) ? "(?:" + body.java() + ")(?<c" + gid + ">)" : body.java();
      return new Node("(?<g" + gid + ">" + content + ")", body.lo(), body.hi(), Kind.ITEM);
    }

    private Node pythonExtension(Flags f) {
      if (src.match('<')) {
        return capture(groupName('>'), f);
      }
      if (src.match('=')) {
        Integer gid = groupNames.get(groupName(')'));
        if (gid == null) {
          throw invalid("unknown group name");
        }
        return groupReference(gid);
      }
      throw invalid("unknown extension ?P");
    }

    private String groupName(int terminator) {
      String name = until(terminator);
      if (!isIdentifier(name)) {
        throw invalid("bad character in group name " + name);
      }
      return name;
    }

    /**
     * Python's {@code getuntil}: escaped characters keep their backslash, so they never form a
     * name.
     */
    private String until(int terminator) {
      StringBuilder sb = new StringBuilder();
      for (int t = src.next(); t != terminator; t = src.next()) {
        if (t == Tokens.END) {
          throw invalid("missing " + Character.toString(terminator) + ", unterminated name");
        }
        sb.append((t & Tokens.ESCAPED) != 0 ? "\\" : "").appendCodePoint(t & ~Tokens.ESCAPED);
      }
      if (sb.length() == 0) {
        throw invalid("missing group name");
      }
      return sb.toString();
    }

    private Node lookbehind(Flags f) {
      int c = src.next();
      if (c != '=' && c != '!') {
        throw invalid("unknown extension ?<");
      }
      Integer saved = lookbehindGroups;
      if (saved == null) {
        lookbehindGroups = groupWidths.size() + 1;
      }
      Node body = enclosed("", f);
      lookbehindGroups = saved;
      if (body.lo() != body.hi()) {
        throw invalid("look-behind requires fixed-width pattern");
      }
      return new Node(guardedBehind(c == '=', body.java(), body.lo()), 0, 0, Kind.ITEM);
    }

    /**
     * Java's look-behind tries its body at the start of the input when fewer than {@code width}
     * code points precede, and captures made there survive its failure; a plain look-behind checks
     * for room first.
     */
    private static String guardedBehind(boolean positive, String java, long width) {
      String check = behind(positive, java, width);
      if (width == 0) {
        return check;
      }
      String room = behind(positive, "", width);
      return "(?:" + room + (positive ? "" : "|") + check + ")";
    }

    private Node conditional(Flags f) {
      int gid = conditionGroup(until(')'));
      checkLookbehind(gid);
      conditionGroups.add(gid);
      if (gid > groupWidths.size() || groupWidths.get(gid - 1) == null) {
        // Java cannot refer to the marker of a group it has not parsed yet.
        throw invalid("unsupported: condition on a group that is still open or comes later");
      }
      Node yes = sequence(f, false);
      Node no = src.match('|') ? sequence(f, false) : null;
      if (no != null && src.peek() == '|') {
        throw invalid("conditional backref with more than two branches");
      }
      expectClose();
      String marker = "\\k<c" + gid + ">";
      String java =
          "(?:(?="
              + marker
              + ")(?:"
              + yes.java()
              + ")|(?!"
              + marker
              + ")"
              + (no == null ? "" : "(?:" + no.java() + ")")
              + ")";
      long lo = no == null ? 0 : Math.min(yes.lo(), no.lo());
      long hi = no == null ? yes.hi() : Math.max(yes.hi(), no.hi());
      return new Node(java, lo, hi, Kind.ITEM);
    }

    private int conditionGroup(String name) {
      if (isIdentifier(name)) {
        Integer gid = groupNames.get(name);
        if (gid == null) {
          throw invalid("unknown group name " + name);
        }
        return gid;
      }
      long gid = pythonInt(name);
      if (gid < 0) {
        throw invalid("bad character in group name " + name);
      }
      if (gid == 0) {
        throw invalid("bad group number");
      }
      // Larger numbers cannot name an existing group, which conditional() reports.
      return (int) Math.min(gid, Integer.MAX_VALUE);
    }

    // ---- flags -------------------------------------------------------------------------------

    private Node flagGroup(int c, Flags f, boolean globalFlagsAllowed) {
      int add = c == '-' ? 0 : addedFlags(c);
      int end = c == '-' ? c : src.next();
      if (end == ')') {
        if (!globalFlagsAllowed) {
          throw invalid("global flags not at the start of the expression");
        }
        setGlobal(add, f);
        return null;
      }
      if ((add & TEMPLATE) != 0) {
        throw invalid("bad inline flags: cannot turn on global flag");
      }
      int del = end == '-' ? removedFlags() : 0;
      if ((add & del) != 0) {
        throw invalid("bad inline flags: flag turned on and off");
      }
      return enclosed(scopedOpen(add, del), f.with(add, del));
    }

    /**
     * Reads flag letters from {@code c} on and leaves {@code -}, {@code :} or {@code )} as next
     * token.
     */
    private int addedFlags(int c) {
      int add = 0;
      for (int t = c; ; t = src.next()) {
        int flag = flagBit(t);
        if (flag == 0) {
          throw invalid(t == Tokens.END ? "missing -, : or )" : "unknown flag");
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
    private int removedFlags() {
      int del = 0;
      int t = src.next();
      if (flagBit(t) == 0) {
        throw invalid("missing flag");
      }
      for (; t != ':'; t = src.next()) {
        int flag = flagBit(t);
        if (flag == 0) {
          throw invalid(t == Tokens.END ? "missing :" : "unknown flag");
        }
        if ((flag & (TYPE_FLAGS | TEMPLATE)) != 0) {
          throw invalid("bad inline flags: cannot turn off this flag");
        }
        del |= flag;
      }
      return del;
    }

    private static int flagBit(int t) {
      int i = t >= 0 && t < Tokens.ESCAPED ? FLAG_CHARS.indexOf(t) : -1;
      return i < 0 ? 0 : 1 << i;
    }

    private void setGlobal(int add, Flags f) {
      globalFlags |= add;
      f.ascii |= (add & ASCII) != 0;
      f.multiline |= (add & MULTILINE) != 0;
      f.dotall |= (add & DOTALL) != 0;
      f.verbose |= (add & VERBOSE) != 0;
    }

    /**
     * Java's own inline flags for what Java implements itself: case folding and Unicode case rules.
     */
    private static String scopedOpen(int add, int del) {
      String on = ((add & IGNORECASE) != 0 ? "i" : "") + ((add & UNICODE) != 0 ? "U" : "");
      String off = ((del & IGNORECASE) != 0 ? "i" : "") + ((add & ASCII) != 0 ? "U" : "");
      if (on.isEmpty() && off.isEmpty()) {
        return "(?:";
      }
      return "(?" + on + (off.isEmpty() ? "" : "-" + off) + ":";
    }

    // ---- escapes -----------------------------------------------------------------------------

    private Node escape(int c, Flags f) {
      switch (c) {
        case 'A':
          return at("\\A");
        case 'Z':
          return at("\\z");
        case 'b':
          return at(boundary(f.ascii));
        case 'B':
          return at(nonBoundary(f.ascii));
        case 'd':
        case 'D':
        case 's':
        case 'S':
        case 'w':
        case 'W':
          return unit(category(c, f.ascii, false));
        default:
          break;
      }
      int code = codeEscape(c);
      if (code >= 0) {
        return unit(literal(code));
      }
      if (c >= '0' && c <= '9') {
        return numericEscape(c);
      }
      if (isAsciiLetter(c)) {
        throw invalid("bad escape \\" + (char) c);
      }
      return unit(literal(c));
    }

    /** Escapes that name one code point the same way inside and outside a class; -1 for others. */
    private int codeEscape(int c) {
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
      String name = until('}');
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

    /** {@code \0..}, {@code \ooo} octal, else a back-reference {@code \N} or {@code \NN}. */
    private Node numericEscape(int c) {
      if (c == '0') {
        return unit(literal(octal(0)));
      }
      int gid = c - '0';
      int t = src.peek();
      if (t >= '0' && t <= '9') {
        src.next();
        if (c <= '7' && t <= '7' && isOctal(src.peek())) {
          int value = (c - '0') * 64 + (t - '0') * 8 + (src.next() - '0');
          if (value > 0377) {
            throw invalid("octal escape value outside of range 0-0o377");
          }
          return unit(literal(value));
        }
        gid = gid * 10 + (t - '0');
      }
      if (gid > groupWidths.size()) {
        throw invalid("invalid group reference " + gid);
      }
      return groupReference(gid);
    }

    /** Up to two more octal digits after {@code first}. */
    private int octal(int first) {
      int value = first;
      for (int i = 0; i < 2 && isOctal(src.peek()); i++) {
        value = value * 8 + (src.next() - '0');
      }
      return value;
    }

    private Node groupReference(int gid) {
      if (groupWidths.get(gid - 1) == null) {
        throw invalid("cannot refer to an open group");
      }
      checkLookbehind(gid);
      long[] width = groupWidths.get(gid - 1);
      return new Node("\\k<g" + gid + ">", width[0], width[1], Kind.ITEM);
    }

    private void checkLookbehind(int gid) {
      if (lookbehindGroups == null) {
        return;
      }
      if (gid > groupWidths.size() || groupWidths.get(gid - 1) == null) {
        throw invalid("cannot refer to an open group");
      }
      if (gid >= lookbehindGroups) {
        throw invalid("cannot refer to group defined in the same lookbehind subpattern");
      }
    }

    // ---- character classes -------------------------------------------------------------------

    private Node characterClass(Flags f) {
      StringBuilder body = new StringBuilder();
      boolean negate = src.match('^');
      for (boolean empty = true; ; empty = false) {
        int t = src.next();
        if (t == Tokens.END) {
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
        if (t2 == Tokens.END) {
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

    private ClassItem classAtom(int t, Flags f) {
      return (t & Tokens.ESCAPED) != 0
          ? classEscape(t & ~Tokens.ESCAPED, f)
          : new ClassItem(t, null);
    }

    private ClassItem classEscape(int c, Flags f) {
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

    private static String classJava(ClassItem item) {
      return item.java() != null ? item.java() : literal(item.codePoint());
    }

    private static String range(ClassItem lo, ClassItem hi) {
      if (lo.java() != null || hi.java() != null || hi.codePoint() < lo.codePoint()) {
        throw invalid("bad character range");
      }
      return literal(lo.codePoint()) + "-" + literal(hi.codePoint());
    }

    // ---- output helpers ----------------------------------------------------------------------

    private static Node unit(String java) {
      return new Node(java, 1, 1, Kind.ITEM);
    }

    private static Node at(String java) {
      return new Node(java, 0, 0, Kind.AT);
    }

    private static Node capped(String java, long lo, long hi) {
      return new Node(java, Math.min(lo, MAXREPEAT - 1), Math.min(hi, MAXREPEAT), Kind.ITEM);
    }

    /**
     * Python's {@code \d \D \s \S \w \W}; inside a class the positive ones are bare class members.
     */
    private static String category(int c, boolean ascii, boolean inClass) {
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

    private static String boundary(boolean ascii) {
      String w = category('w', ascii, false);
      return "(?:" + behind(true, w, 1) + "(?!" + w + ")|" + behind(false, w, 1) + "(?=" + w + "))";
    }

    /** Python 3.11's {@code \B} also fails everywhere in an empty string. */
    private static String nonBoundary(boolean ascii) {
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
     * A look-behind that steps back exactly {@code width} code points and matches {@code java}
     * there.
     */
    private static String behind(boolean positive, String java, long width) {
      String step = width == 0 ? "" : width == 1 ? ANY : ANY + "{" + javaCount(width) + "}";
      return (positive ? "(?<=" : "(?<!") + "(?=" + java + ")" + step + ")";
    }

    private static String literal(int cp) {
      boolean plain =
          (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
      return plain ? Character.toString(cp) : "\\x{" + Integer.toHexString(cp) + "}";
    }

    // ---- small predicates --------------------------------------------------------------------

    private static boolean isOctal(int t) {
      return t >= '0' && t <= '7';
    }

    private static boolean isAsciiLetter(int c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /**
     * Python's {@code str.isidentifier()}, approximated with Java's Unicode identifier predicates.
     */
    private static boolean isIdentifier(String s) {
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
    private static long pythonInt(String s) {
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

    private static long add(long a, long b) {
      long sum = a + b;
      return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static long multiply(long a, long b) {
      return a != 0 && b > Long.MAX_VALUE / a ? Long.MAX_VALUE : a * b;
    }
  }
}
