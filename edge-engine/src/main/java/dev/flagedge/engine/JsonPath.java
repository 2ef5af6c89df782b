package dev.flagedge.engine;

import dev.flagedge.engine.JsonPathFilter.Expr;
import dev.flagedge.engine.JsonPathFilter.Logical;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An RFC 9535 JSONPath query over plain Java JSON trees ({@code Map}, {@code List}, {@code String},
 * {@code Boolean}, {@code Number}, {@code null}). The grammar is enforced strictly because an
 * invalid query makes the engine fall back to a literal trait key. Instances are immutable and
 * thread-safe.
 *
 * <p>This class holds the query, its segments and selectors; filter expressions are in {@link
 * JsonPathFilter}, the grammar in {@link JsonPathParser}, and the regex functions' I-Regexp
 * translation in {@link IRegexp}.
 */
final class JsonPath {
  /**
   * Marker returned by selectFirst when the query selects no node (distinct from a JSON null node).
   */
  static final Object NOTHING = Nothing.NOTHING;

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
      return Optional.of(new JsonPath(new JsonPathParser(query).query()));
    } catch (JsonPathCursor.InvalidQuery e) {
      return Optional.empty();
    }
  }

  /** The first node selected from root, or NOTHING. */
  Object selectFirst(Object root) {
    return query.eval(root, root);
  }

  /**
   * Receives selected nodes in document order; returning true stops the walk (we often need only
   * one).
   */
  interface Sink {
    boolean accept(Object node);
  }

  record Segment(boolean descendant, List<Selector> selectors) {
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

  static Collection<?> children(Object node) {
    if (node instanceof Map<?, ?> map) {
      return map.values();
    }
    return node instanceof List<?> list ? list : List.of();
  }

  sealed interface Selector permits Name, Wildcard, Index, Slice, Filter {
    boolean select(Object node, Object root, Sink sink);
  }

  record Name(String name) implements Selector {
    @Override
    public boolean select(Object node, Object root, Sink sink) {
      return node instanceof Map<?, ?> map && map.containsKey(name) && sink.accept(map.get(name));
    }
  }

  record Wildcard() implements Selector {
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

  record Index(long index) implements Selector {
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
  record Slice(Long start, Long end, long step) implements Selector {
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

  record Filter(Logical test) implements Selector {
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

  record Query(boolean relative, List<Segment> segments) implements Expr {
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
}
