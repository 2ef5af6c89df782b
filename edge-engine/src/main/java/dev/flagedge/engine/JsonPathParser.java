package dev.flagedge.engine;

import dev.flagedge.engine.JsonPath.Filter;
import dev.flagedge.engine.JsonPath.Index;
import dev.flagedge.engine.JsonPath.Name;
import dev.flagedge.engine.JsonPath.Query;
import dev.flagedge.engine.JsonPath.Selector;
import dev.flagedge.engine.JsonPath.Slice;
import dev.flagedge.engine.JsonPath.Wildcard;
import dev.flagedge.engine.JsonPathFilter.And;
import dev.flagedge.engine.JsonPathFilter.Call;
import dev.flagedge.engine.JsonPathFilter.Compare;
import dev.flagedge.engine.JsonPathFilter.Expr;
import dev.flagedge.engine.JsonPathFilter.Fn;
import dev.flagedge.engine.JsonPathFilter.Literal;
import dev.flagedge.engine.JsonPathFilter.Logical;
import dev.flagedge.engine.JsonPathFilter.Not;
import dev.flagedge.engine.JsonPathFilter.Or;
import dev.flagedge.engine.JsonPathFilter.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The RFC 9535 query grammar: parses query text into a {@link Query} of segments, selectors and
 * filter expressions, or throws {@link InvalidQuery}. One instance parses one text; not
 * thread-safe.
 */
final class JsonPathParser extends JsonPathCursor {
  private static final List<String> COMPARISONS = List.of("==", "!=", "<=", ">=", "<", ">");
  private static final long MAX_INDEX = (1L << 53) - 1;
  private static final int MAX_NESTING = 64;
  private int nesting;

  JsonPathParser(String src) {
    super(src);
  }

  Query query() {
    expect('$');
    List<JsonPath.Segment> segments = segments();
    if (pos != src.length()) {
      throw new InvalidQuery();
    }
    return new Query(false, segments);
  }

  /** segments = *(S segment); blank space not followed by a segment belongs to the caller. */
  private List<JsonPath.Segment> segments() {
    List<JsonPath.Segment> segments = new ArrayList<>();
    while (true) {
      int mark = pos;
      skipBlank();
      JsonPath.Segment segment = segment();
      if (segment == null) {
        pos = mark;
        return List.copyOf(segments);
      }
      segments.add(segment);
    }
  }

  private JsonPath.Segment segment() {
    if (take("..")) {
      return new JsonPath.Segment(true, peek() == '[' ? bracketed() : List.of(dotSelector()));
    }
    if (take('.')) {
      return new JsonPath.Segment(false, List.of(dotSelector()));
    }
    return peek() == '[' ? new JsonPath.Segment(false, bracketed()) : null;
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
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80 && !isSurrogate(c);
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
