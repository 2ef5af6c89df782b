package dev.flagedge.engine;

import static dev.flagedge.engine.JsonPath.NOTHING;
import static dev.flagedge.engine.JsonPath.children;

import dev.flagedge.engine.JsonPath.Query;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The filter expressions of a JSONPath query ({@code [?...]} selectors): logical operators,
 * comparisons with Python's semantics as the reference resolver has them, and the RFC 9535 function
 * extensions. Every type here is immutable.
 */
final class JsonPathFilter {
  private static final int UNORDERED = 2;

  private JsonPathFilter() {}

  interface Expr {
    /** A value (possibly NOTHING) for value-typed expressions, a Boolean for logical ones. */
    Object eval(Object current, Object root);
  }

  @FunctionalInterface
  interface Logical extends Expr {
    boolean test(Object current, Object root);

    @Override
    default Object eval(Object current, Object root) {
      return test(current, root);
    }
  }

  record Literal(Object value) implements Expr {
    @Override
    public Object eval(Object current, Object root) {
      return value;
    }
  }

  record Not(Logical operand) implements Logical {
    @Override
    public boolean test(Object current, Object root) {
      return !operand.test(current, root);
    }
  }

  record And(Logical left, Logical right) implements Logical {
    @Override
    public boolean test(Object current, Object root) {
      return left.test(current, root) && right.test(current, root);
    }
  }

  record Or(Logical left, Logical right) implements Logical {
    @Override
    public boolean test(Object current, Object root) {
      return left.test(current, root) || right.test(current, root);
    }
  }

  record Compare(String op, Expr left, Expr right) implements Logical {
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

  enum Type {
    VALUE,
    LOGICAL,
    NODES
  }

  enum Fn {
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
      throw new JsonPathCursor.InvalidQuery();
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

  record Call(Fn fn, List<Expr> args) implements Expr {
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
}
