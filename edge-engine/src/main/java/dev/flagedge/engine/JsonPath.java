package dev.flagedge.engine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An RFC 9535 JSONPath query over plain Java JSON trees ({@code Map}, {@code List}, {@code String},
 * {@code Boolean}, {@code Number}, {@code null}). The grammar is enforced strictly because an
 * invalid query makes the engine fall back to a literal trait key. Instances are immutable and
 * thread-safe.
 */
final class JsonPath {

  /**
   * Marker returned by selectFirst when the query selects no node (distinct from a JSON null node).
   */
  static final Object NOTHING = Nothing.NOTHING;

  private static final long MAX_INDEX = (1L << 53) - 1;
  private static final int MAX_NESTING = 64;
  private static final int UNORDERED = 2;

  private enum Nothing {
    NOTHING
  }

  private final Query query;

  private JsonPath(Query query) {
    this.query = query;
  }

  /** Parses an RFC 9535 query; empty when the text is not a valid query. */
  static Optional<JsonPath> parse(String query) {
    try {
      return Optional.of(new JsonPath(new Parser(query).query()));
    } catch (InvalidQuery e) {
      return Optional.empty();
    }
  }

  /** The first node selected from root, or NOTHING. */
  Object selectFirst(Object root) {
    return query.eval(root, root);
  }

  // ---------------------------------------------------------------- evaluation

  /**
   * Receives selected nodes in document order; returning true stops the walk (we often need only
   * one).
   */
  private interface Sink {
    boolean accept(Object node);
  }

  private record Segment(boolean descendant, List<Selector> selectors) {
    boolean singular() {
      return !descendant
          && selectors.size() == 1
          && (selectors.get(0) instanceof Name || selectors.get(0) instanceof Index);
    }
  }

  /**
   * Depth-first over segments: the final node list is the concatenation of each input node's
   * results.
   */
  private static boolean walk(List<Segment> segments, int i, Object node, Object root, Sink sink) {
    if (i == segments.size()) {
      return sink.accept(node);
    }
    Segment segment = segments.get(i);
    Sink next = n -> walk(segments, i + 1, n, root, sink);
    return segment.descendant()
        ? descend(segment.selectors(), node, root, next)
        : select(segment.selectors(), node, root, next);
  }

  private static boolean select(List<Selector> selectors, Object node, Object root, Sink sink) {
    for (Selector selector : selectors) {
      if (selector.select(node, root, sink)) {
        return true;
      }
    }
    return false;
  }

  private static boolean descend(List<Selector> selectors, Object node, Object root, Sink sink) {
    if (select(selectors, node, root, sink)) {
      return true;
    }
    for (Object child : children(node)) {
      if (descend(selectors, child, root, sink)) {
        return true;
      }
    }
    return false;
  }

  private static Collection<?> children(Object node) {
    if (node instanceof Map<?, ?> map) {
      return map.values();
    }
    return node instanceof List<?> list ? list : List.of();
  }

  private sealed interface Selector permits Name, Wildcard, Index, Slice, Filter {
    boolean select(Object node, Object root, Sink sink);
  }

  private record Name(String name) implements Selector {
    @Override
    public boolean select(Object node, Object root, Sink sink) {
      return node instanceof Map<?, ?> map && map.containsKey(name) && sink.accept(map.get(name));
    }
  }

  private record Wildcard() implements Selector {
    @Override
    public boolean select(Object node, Object root, Sink sink) {
      for (Object child : children(node)) {
        if (sink.accept(child)) {
          return true;
        }
      }
      return false;
    }
  }

  private record Index(long index) implements Selector {
    @Override
    public boolean select(Object node, Object root, Sink sink) {
      if (!(node instanceof List<?> list)) {
        return false;
      }
      long i = index < 0 ? list.size() + index : index;
      return i >= 0 && i < list.size() && sink.accept(list.get((int) i));
    }
  }

  /**
   * RFC 9535 §2.3.4.2.2 normative slice semantics (Python's slice differs for some negative steps).
   */
  private record Slice(Long start, Long end, long step) implements Selector {
    @Override
    public boolean select(Object node, Object root, Sink sink) {
      if (!(node instanceof List<?> list) || step == 0) {
        return false;
      }
      long len = list.size();
      if (step > 0) {
        long upper = bound(end == null ? len : end, len, 0, len);
        for (long i = bound(start == null ? 0 : start, len, 0, len); i < upper; i += step) {
          if (sink.accept(list.get((int) i))) {
            return true;
          }
        }
        return false;
      }
      long lower = bound(end == null ? -len - 1 : end, len, -1, len - 1);
      for (long i = bound(start == null ? len - 1 : start, len, -1, len - 1);
          lower < i;
          i += step) {
        if (sink.accept(list.get((int) i))) {
          return true;
        }
      }
      return false;
    }

    private static long bound(long index, long len, long min, long max) {
      return Math.min(Math.max(index >= 0 ? index : len + index, min), max);
    }
  }

  private record Filter(Logical test) implements Selector {
    @Override
    public boolean select(Object node, Object root, Sink sink) {
      for (Object child : children(node)) {
        if (test.test(child, root) && sink.accept(child)) {
          return true;
        }
      }
      return false;
    }
  }

  // ---------------------------------------------------------------- filter expressions

  private interface Expr {
    /** A value (possibly NOTHING) for value-typed expressions, a Boolean for logical ones. */
    Object eval(Object current, Object root);
  }

  @FunctionalInterface
  private interface Logical extends Expr {
    boolean test(Object current, Object root);

    @Override
    default Object eval(Object current, Object root) {
      return test(current, root);
    }
  }

  private record Literal(Object value) implements Expr {
    @Override
    public Object eval(Object current, Object root) {
      return value;
    }
  }

  private record Query(boolean relative, List<Segment> segments) implements Expr {
    /** The first node, which for a singular query is its only one. */
    @Override
    public Object eval(Object current, Object root) {
      Object[] first = {NOTHING};
      run(
          current,
          root,
          node -> {
            first[0] = node;
            return true;
          });
      return first[0];
    }

    /**
     * Like the reference, a relative query runs as a query on the current node: a nested $ means @.
     */
    private void run(Object current, Object root, Sink sink) {
      Object start = relative ? current : root;
      walk(segments, 0, start, start, sink);
    }

    boolean exists(Object current, Object root) {
      return eval(current, root) != NOTHING;
    }

    List<Object> all(Object current, Object root) {
      List<Object> nodes = new ArrayList<>();
      run(
          current,
          root,
          node -> {
            nodes.add(node);
            return false;
          });
      return nodes;
    }

    boolean singular() {
      return segments.stream().allMatch(Segment::singular);
    }
  }

  private record Not(Logical operand) implements Logical {
    @Override
    public boolean test(Object current, Object root) {
      return !operand.test(current, root);
    }
  }

  private record And(Logical left, Logical right) implements Logical {
    @Override
    public boolean test(Object current, Object root) {
      return left.test(current, root) && right.test(current, root);
    }
  }

  private record Or(Logical left, Logical right) implements Logical {
    @Override
    public boolean test(Object current, Object root) {
      return left.test(current, root) || right.test(current, root);
    }
  }

  private record Compare(String op, Expr left, Expr right) implements Logical {
    @Override
    public boolean test(Object current, Object root) {
      Object a = left.eval(current, root);
      Object b = right.eval(current, root);
      switch (op) {
        case "==":
          return equal(a, b);
        case "!=":
          return !equal(a, b);
        case "<":
          return less(a, b);
        case "<=":
          return less(a, b) || equal(a, b);
        case ">":
          return less(b, a);
        default:
          return less(b, a) || equal(a, b);
      }
    }
  }

  private enum Type {
    VALUE,
    LOGICAL,
    NODES
  }

  private enum Fn {
    LENGTH(Type.VALUE, Type.VALUE),
    COUNT(Type.VALUE, Type.NODES),
    MATCH(Type.LOGICAL, Type.VALUE, Type.VALUE),
    SEARCH(Type.LOGICAL, Type.VALUE, Type.VALUE),
    VALUE(Type.VALUE, Type.NODES);

    final Type result;
    final List<Type> params;

    Fn(Type result, Type... params) {
      this.result = result;
      this.params = List.of(params);
    }

    static Fn named(String name) {
      for (Fn fn : values()) {
        if (fn.name().equalsIgnoreCase(name)) {
          return fn;
        }
      }
      throw new InvalidQuery();
    }

    Object apply(List<Object> args) {
      Object first = args.get(0);
      switch (this) {
        case LENGTH:
          return length(first);
        case COUNT:
          return ((List<?>) first).size();
        case MATCH:
          return regex(first, args.get(1), true);
        case SEARCH:
          return regex(first, args.get(1), false);
        default:
          return ((List<?>) first).size() == 1 ? ((List<?>) first).get(0) : NOTHING;
      }
    }
  }

  private record Call(Fn fn, List<Expr> args) implements Expr {
    @Override
    public Object eval(Object current, Object root) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        Expr arg = args.get(i);
        values.add(
            fn.params.get(i) == Type.NODES
                ? ((Query) arg).all(current, root)
                : arg.eval(current, root));
      }
      return fn.apply(values);
    }
  }

  private static Object length(Object value) {
    if (value instanceof String s) {
      return s.codePointCount(0, s.length());
    }
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      return children(value).size();
    }
    return NOTHING;
  }

  private static boolean regex(Object subject, Object pattern, boolean whole) {
    if (!(subject instanceof String s) || !(pattern instanceof String p)) {
      return false;
    }
    Pattern compiled = IRegexp.compile(p);
    if (compiled == null) {
      return false;
    }
    Matcher matcher = compiled.matcher(s);
    return whole ? matcher.matches() : matcher.find();
  }

  /**
   * Python's ==, except that a top-level bool never equals a number (as the reference resolver
   * does).
   */
  private static boolean equal(Object a, Object b) {
    if (a == NOTHING || b == NOTHING) {
      return a == b;
    }
    if (a instanceof Boolean || b instanceof Boolean) {
      return Objects.equals(a, b);
    }
    return same(a, b);
  }

  /** Python's structural ==, where nested True == 1 (the reference inherits that). */
  private static boolean same(Object a, Object b) {
    if (numeric(a) && numeric(b)) {
      return compareNumbers(a, b) == 0;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!same(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      return x.size() == y.size()
          && x.entrySet().stream()
              .allMatch(e -> y.containsKey(e.getKey()) && same(e.getValue(), y.get(e.getKey())));
    }
    return Objects.equals(a, b);
  }

  private static boolean less(Object a, Object b) {
    if (a instanceof String x && b instanceof String y) {
      return Arrays.compare(x.codePoints().toArray(), y.codePoints().toArray()) < 0;
    }
    return a instanceof Number && b instanceof Number && compareNumbers(a, b) < 0;
  }

  private static boolean numeric(Object o) {
    return o instanceof Number || o instanceof Boolean;
  }

  /** Exact comparison like Python's int/float comparison; UNORDERED when a NaN is involved. */
  private static int compareNumbers(Object a, Object b) {
    Number x = normalize(a);
    Number y = normalize(b);
    if (x instanceof BigInteger bx && y instanceof BigInteger by) {
      return bx.compareTo(by);
    }
    double dx = x.doubleValue();
    double dy = y.doubleValue();
    if (Double.isNaN(dx) || Double.isNaN(dy)) {
      return UNORDERED;
    }
    if (Double.isInfinite(dx) || Double.isInfinite(dy)) {
      return dx < dy ? -1 : dx > dy ? 1 : 0;
    }
    return exact(x).compareTo(exact(y));
  }

  /** BigInteger for integers, Double for floats (Python parses JSON decimals as floats). */
  private static Number normalize(Object o) {
    if (o instanceof Boolean b) {
      return b ? BigInteger.ONE : BigInteger.ZERO;
    }
    if (o instanceof BigInteger i) {
      return i;
    }
    Number n = (Number) o;
    boolean integral =
        !(o instanceof Double || o instanceof Float || o instanceof BigDecimal)
            && n.doubleValue() == n.longValue();
    return integral ? (Number) BigInteger.valueOf(n.longValue()) : (Number) n.doubleValue();
  }

  private static BigDecimal exact(Number n) {
    return n instanceof BigInteger i ? new BigDecimal(i) : new BigDecimal(n.doubleValue());
  }

  // ---------------------------------------------------------------- parsing

  private static final class InvalidQuery extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidQuery() {
      super(null, null, false, false);
    }
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isSurrogate(int c) {
    return c >= 0xD800 && c <= 0xDFFF;
  }

  private abstract static class Cursor {
    final String src;
    int pos;

    Cursor(String src) {
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
  }

  private static final class Parser extends Cursor {
    private static final List<String> COMPARISONS = List.of("==", "!=", "<=", ">=", "<", ">");
    private int nesting;

    Parser(String src) {
      super(src);
    }

    Query query() {
      expect('$');
      List<Segment> segments = segments();
      if (pos != src.length()) {
        throw new InvalidQuery();
      }
      return new Query(false, segments);
    }

    /** segments = *(S segment); blank space not followed by a segment belongs to the caller. */
    private List<Segment> segments() {
      List<Segment> segments = new ArrayList<>();
      while (true) {
        int mark = pos;
        skipBlank();
        Segment segment = segment();
        if (segment == null) {
          pos = mark;
          return List.copyOf(segments);
        }
        segments.add(segment);
      }
    }

    private Segment segment() {
      if (take("..")) {
        return new Segment(true, peek() == '[' ? bracketed() : List.of(dotSelector()));
      }
      if (take('.')) {
        return new Segment(false, List.of(dotSelector()));
      }
      return peek() == '[' ? new Segment(false, bracketed()) : null;
    }

    private Selector dotSelector() {
      if (take('*')) {
        return new Wildcard();
      }
      int start = pos;
      if (!nameFirst(next())) {
        throw new InvalidQuery();
      }
      while (nameFirst(peek()) || isDigit(peek())) {
        next();
      }
      return new Name(src.substring(start, pos));
    }

    private static boolean nameFirst(int c) {
      return c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c == '_'
          || c >= 0x80 && !isSurrogate(c);
    }

    private List<Selector> bracketed() {
      expect('[');
      List<Selector> selectors = new ArrayList<>();
      do {
        skipBlank();
        selectors.add(selector());
        skipBlank();
      } while (take(','));
      expect(']');
      return List.copyOf(selectors);
    }

    private Selector selector() {
      int c = peek();
      if (c == '\'' || c == '"') {
        return new Name(string());
      }
      if (take('*')) {
        return new Wildcard();
      }
      if (take('?')) {
        skipBlank();
        return new Filter(logical(or()));
      }
      return indexOrSlice();
    }

    private Selector indexOrSlice() {
      Long start = optionalInt();
      skipBlank();
      if (!take(':')) {
        if (start == null) {
          throw new InvalidQuery();
        }
        return new Index(start);
      }
      skipBlank();
      Long end = optionalInt();
      skipBlank();
      Long step = null;
      if (take(':')) {
        skipBlank();
        step = optionalInt();
      }
      return new Slice(start, end, step == null ? 1 : step);
    }

    /** int = "0" / (["-"] DIGIT1 *DIGIT), within the I-JSON range; null when absent. */
    private Long optionalInt() {
      int start = pos;
      boolean negative = take('-');
      int digits = pos;
      while (isDigit(peek())) {
        pos++;
      }
      int count = pos - digits;
      if (count == 0) {
        if (negative) {
          throw new InvalidQuery();
        }
        return null;
      }
      if (src.charAt(digits) == '0' && (count > 1 || negative) || count > 16) {
        throw new InvalidQuery();
      }
      long value = Long.parseLong(src.substring(start, pos));
      if (Math.abs(value) > MAX_INDEX) {
        throw new InvalidQuery();
      }
      return value;
    }

    private String string() {
      int quote = next();
      StringBuilder out = new StringBuilder();
      for (int c = next(); c != quote; c = next()) {
        if (c == '\\') {
          escape(out, quote);
        } else if (c < 0x20 || isSurrogate(c)) {
          throw new InvalidQuery();
        } else {
          out.appendCodePoint(c);
        }
      }
      return out.toString();
    }

    private void escape(StringBuilder out, int quote) {
      int c = next();
      switch (c) {
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case '/', '\\' -> out.append((char) c);
        case 'u' -> out.appendCodePoint(unicodeEscape());
        default -> {
          if (c != quote) {
            throw new InvalidQuery();
          }
          out.append((char) c);
        }
      }
    }

    private int unicodeEscape() {
      int high = hex4();
      if (!isSurrogate(high)) {
        return high;
      }
      if (high >= 0xDC00 || !take("\\u")) {
        throw new InvalidQuery();
      }
      int low = hex4();
      if (low < 0xDC00 || low > 0xDFFF) {
        throw new InvalidQuery();
      }
      return Character.toCodePoint((char) high, (char) low);
    }

    private int hex4() {
      int value = 0;
      for (int i = 0; i < 4; i++) {
        int c = next();
        int digit = c >= 0 && c < 0x80 ? Character.digit(c, 16) : -1;
        if (digit < 0) {
          throw new InvalidQuery();
        }
        value = value * 16 + digit;
      }
      return value;
    }

    private void skipBlank() {
      while (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r') {
        pos++;
      }
    }

    /** Consumes S op S, or nothing. */
    private boolean operator(String op) {
      int mark = pos;
      skipBlank();
      if (take(op)) {
        skipBlank();
        return true;
      }
      pos = mark;
      return false;
    }

    // Expressions come back "raw" (a bare literal, query or call) so that function arguments can be
    // typed; logical() applies the RFC's test-expr rules where a logical expression is required.
    private Expr or() {
      if (++nesting > MAX_NESTING) {
        throw new InvalidQuery();
      }
      Expr left = and();
      while (operator("||")) {
        left = new Or(logical(left), logical(and()));
      }
      nesting--;
      return left;
    }

    private Expr and() {
      Expr left = basic();
      while (operator("&&")) {
        left = new And(logical(left), logical(basic()));
      }
      return left;
    }

    private Expr basic() {
      if (take('!')) {
        skipBlank();
        return new Not(peek() == '(' ? paren() : logical(primary()));
      }
      if (peek() == '(') {
        return paren();
      }
      Expr left = primary();
      for (String op : COMPARISONS) {
        if (operator(op)) {
          return new Compare(op, comparable(left), comparable(primary()));
        }
      }
      return left;
    }

    private Logical paren() {
      expect('(');
      skipBlank();
      Logical inner = logical(or());
      skipBlank();
      expect(')');
      return inner;
    }

    private Expr primary() {
      int c = peek();
      if (c == '@' || c == '$') {
        pos++;
        return new Query(c == '@', segments());
      }
      if (c == '\'' || c == '"') {
        return new Literal(string());
      }
      if (c == '-' || isDigit(c)) {
        return new Literal(number());
      }
      return word();
    }

    /** Python reads literals with a fraction or exponent as floats and the rest as ints. */
    private Object number() {
      int start = pos;
      take('-');
      int digits = pos;
      digits();
      if (src.charAt(digits) == '0' && pos - digits > 1) {
        throw new InvalidQuery();
      }
      boolean fractional = false;
      if (take('.')) {
        digits();
        fractional = true;
      }
      if (take('e') || take('E')) {
        if (!take('-')) {
          take('+');
        }
        digits();
        fractional = true;
      }
      String text = src.substring(start, pos);
      return fractional ? (Object) Double.parseDouble(text) : (Object) new BigInteger(text);
    }

    private Expr word() {
      int start = pos;
      if (!(peek() >= 'a' && peek() <= 'z')) {
        throw new InvalidQuery();
      }
      while (peek() >= 'a' && peek() <= 'z' || isDigit(peek()) || peek() == '_') {
        pos++;
      }
      String word = src.substring(start, pos);
      if (peek() == '(') {
        return call(Fn.named(word));
      }
      switch (word) {
        case "true":
          return new Literal(Boolean.TRUE);
        case "false":
          return new Literal(Boolean.FALSE);
        case "null":
          return new Literal(null);
        default:
          throw new InvalidQuery();
      }
    }

    private Expr call(Fn fn) {
      expect('(');
      skipBlank();
      List<Expr> args = new ArrayList<>();
      if (!take(')')) {
        do {
          skipBlank();
          args.add(or());
          skipBlank();
        } while (take(','));
        expect(')');
      }
      if (args.size() != fn.params.size()) {
        throw new InvalidQuery();
      }
      for (int i = 0; i < args.size(); i++) {
        boolean nodes = fn.params.get(i) == Type.NODES;
        if (nodes ? !(args.get(i) instanceof Query) : !isValue(args.get(i))) {
          throw new InvalidQuery();
        }
      }
      Call call = new Call(fn, List.copyOf(args));
      return fn.result == Type.LOGICAL ? (Logical) (c, r) -> (Boolean) call.eval(c, r) : call;
    }

    private static boolean isValue(Expr e) {
      return e instanceof Literal
          || e instanceof Query q && q.singular()
          || e instanceof Call c && c.fn().result == Type.VALUE;
    }

    private static Expr comparable(Expr e) {
      if (!isValue(e)) {
        throw new InvalidQuery();
      }
      return e;
    }

    /**
     * test-expr rules: queries become existence tests; literals and value results must be compared.
     */
    private static Logical logical(Expr e) {
      if (e instanceof Logical l) {
        return l;
      }
      if (e instanceof Query q) {
        return q::exists;
      }
      throw new InvalidQuery();
    }
  }

  /**
   * Translates an RFC 9485 I-Regexp to a java.util.regex Pattern; null when the pattern is not
   * valid. Like the reference, ^ and $ keep their Python anchor meaning (UNIX_LINES gives Python's
   * $).
   */
  private static final class IRegexp extends Cursor {
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
}
