package dev.flagedge.engine;

import static dev.flagedge.engine.PythonRegex.invalid;
import static dev.flagedge.engine.PythonRegexEscapes.isAsciiLetter;
import static dev.flagedge.engine.PythonRegexEscapes.isOctal;
import static dev.flagedge.engine.PythonRegexFlags.ASCII;
import static dev.flagedge.engine.PythonRegexFlags.DOTALL;
import static dev.flagedge.engine.PythonRegexFlags.FLAG_CHARS;
import static dev.flagedge.engine.PythonRegexFlags.IGNORECASE;
import static dev.flagedge.engine.PythonRegexFlags.MULTILINE;
import static dev.flagedge.engine.PythonRegexFlags.TEMPLATE;
import static dev.flagedge.engine.PythonRegexFlags.UNICODE;
import static dev.flagedge.engine.PythonRegexFlags.VERBOSE;
import static dev.flagedge.engine.PythonRegexFlags.addedFlags;
import static dev.flagedge.engine.PythonRegexFlags.removedFlags;
import static dev.flagedge.engine.PythonRegexSyntax.ANY;
import static dev.flagedge.engine.PythonRegexSyntax.MAXREPEAT;
import static dev.flagedge.engine.PythonRegexSyntax.add;
import static dev.flagedge.engine.PythonRegexSyntax.at;
import static dev.flagedge.engine.PythonRegexSyntax.boundary;
import static dev.flagedge.engine.PythonRegexSyntax.capped;
import static dev.flagedge.engine.PythonRegexSyntax.category;
import static dev.flagedge.engine.PythonRegexSyntax.guardedBehind;
import static dev.flagedge.engine.PythonRegexSyntax.literal;
import static dev.flagedge.engine.PythonRegexSyntax.multiply;
import static dev.flagedge.engine.PythonRegexSyntax.nonBoundary;
import static dev.flagedge.engine.PythonRegexSyntax.repeated;
import static dev.flagedge.engine.PythonRegexSyntax.scopedOpen;
import static dev.flagedge.engine.PythonRegexSyntax.unit;
import static dev.flagedge.engine.PythonRegexTokens.isIdentifier;
import static dev.flagedge.engine.PythonRegexTokens.pythonInt;

import dev.flagedge.engine.PythonRegexSyntax.Kind;
import dev.flagedge.engine.PythonRegexSyntax.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/** One pass over one pattern, after {@code sre_parse._parse_sub} and {@code _parse}. */
final class PythonRegexTranslator {
  private final PythonRegexTokens src;
  private final Set<Integer> markedGroups;
  final Set<Integer> conditionGroups = new HashSet<>();
  private final Map<String, Integer> groupNames = new HashMap<>();
  private final PythonRegexEscapes escapes;

  /** Python's {@code groupwidths}, index = group number - 1; null while the group is open. */
  private final List<long[]> groupWidths = new ArrayList<>();

  private final PythonRegexFlags top = new PythonRegexFlags();
  private int globalFlags;
  private boolean anyRepeat;

  /** Python's {@code lookbehindgroups}: the group count when the outermost look-behind began. */
  private Integer lookbehindGroups;

  PythonRegexTranslator(String pattern, Set<Integer> markedGroups) {
    this.src = new PythonRegexTokens(pattern);
    this.escapes = new PythonRegexEscapes(src);
    this.markedGroups = markedGroups;
  }

  String translate() {
    Node root = alternation(top, true);
    if (src.peek() != PythonRegexTokens.END) {
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

  private Node alternation(PythonRegexFlags f, boolean topLevel) {
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

  private Node sequence(PythonRegexFlags f, boolean first) {
    List<Node> items = new ArrayList<>();
    for (int t = src.peek(); t != PythonRegexTokens.END && t != '|' && t != ')'; t = src.peek()) {
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
    for (int c = src.next(); c != PythonRegexTokens.END && c != '\n'; c = src.next()) {
      // Comment text is dropped.
    }
    return true;
  }

  /** One item, or null for text that adds none (comments, global flags). */
  private Node atom(int t, PythonRegexFlags f, boolean globalFlagsAllowed) {
    if ((t & PythonRegexTokens.ESCAPED) != 0) {
      return escape(t & ~PythonRegexTokens.ESCAPED, f);
    }
    switch (t) {
      case '[':
        return escapes.characterClass(f);
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
        items.size() - 1, new Node(repeated(last, range[0], range[1], mode), lo, hi, Kind.REPEAT));
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

  // ---- groups ------------------------------------------------------------------------------

  private Node group(PythonRegexFlags f, boolean globalFlagsAllowed) {
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
        throw invalid(
            c == PythonRegexTokens.END ? "unexpected end of pattern" : "unknown extension");
    }
  }

  /** The rest of a group after its opening text, including the closing parenthesis. */
  private Node enclosed(String open, PythonRegexFlags f) {
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
      if (t == PythonRegexTokens.END) {
        throw invalid("missing ), unterminated comment");
      }
    }
  }

  private Node capture(String name, PythonRegexFlags f) {
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

  private Node pythonExtension(PythonRegexFlags f) {
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
    String name = src.until(terminator);
    if (!isIdentifier(name)) {
      throw invalid("bad character in group name " + name);
    }
    return name;
  }

  private Node lookbehind(PythonRegexFlags f) {
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

  private Node conditional(PythonRegexFlags f) {
    int gid = conditionGroup(src.until(')'));
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

  private Node flagGroup(int c, PythonRegexFlags f, boolean globalFlagsAllowed) {
    int add = c == '-' ? 0 : addedFlags(src, c);
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
    int del = end == '-' ? removedFlags(src) : 0;
    if ((add & del) != 0) {
      throw invalid("bad inline flags: flag turned on and off");
    }
    return enclosed(scopedOpen(add, del), f.with(add, del));
  }

  private void setGlobal(int add, PythonRegexFlags f) {
    globalFlags |= add;
    f.ascii |= (add & ASCII) != 0;
    f.multiline |= (add & MULTILINE) != 0;
    f.dotall |= (add & DOTALL) != 0;
    f.verbose |= (add & VERBOSE) != 0;
  }

  // ---- escapes -----------------------------------------------------------------------------

  private Node escape(int c, PythonRegexFlags f) {
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
    int code = escapes.codeEscape(c);
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

  /** {@code \0..}, {@code \ooo} octal, else a back-reference {@code \N} or {@code \NN}. */
  private Node numericEscape(int c) {
    if (c == '0') {
      return unit(literal(escapes.octal(0)));
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
}
