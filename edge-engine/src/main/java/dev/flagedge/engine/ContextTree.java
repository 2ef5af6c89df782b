package dev.flagedge.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The static part of an evaluation context as a JSON tree (environment, features, segments), for
 * JSONPath conditions; the identity is joined in per evaluation.
 *
 * <p>A compiled environment keeps this tree only when one of its conditions runs a general JSONPath
 * query ({@link #of}), and then as plain Java values built once at compile time: keeping the parsed
 * document instead would retain several times the document's size for the environment's lifetime.
 * Otherwise it keeps {@link #NONE}, which is never asked for its tree. A one-off evaluation ({@link
 * FlagEngine}) builds the tree lazily, at most once, and only if a query asks for it.
 */
final class ContextTree {
  /**
   * For contexts without general JSONPath conditions: nothing reads the tree, so nothing is kept.
   */
  static final ContextTree NONE = new ContextTree(Map.of());

  private final Supplier<Map<String, Object>> source;
  private volatile Map<String, Object> members;

  private ContextTree(Map<String, Object> members) {
    this.source = null;
    this.members = members;
  }

  private ContextTree(Supplier<Map<String, Object>> source) {
    this.source = source;
  }

  /** A tree of static members built already; they are never modified. */
  static ContextTree of(Map<String, Object> staticMembers) {
    return new ContextTree(staticMembers);
  }

  /** A tree built from {@code source} the first time a query needs it. */
  static ContextTree lazy(Supplier<Map<String, Object>> source) {
    return new ContextTree(source);
  }

  Map<String, Object> root(Map<String, Object> identity) {
    Map<String, Object> staticMembers = members();
    Map<String, Object> root = new LinkedHashMap<>(staticMembers.size() + 2);
    for (Map.Entry<String, Object> member : staticMembers.entrySet()) {
      root.put(member.getKey(), member.getValue());
      if (member.getKey().equals("environment") && identity != null) {
        root.put("identity", identity);
      }
    }
    if (identity != null) {
      root.putIfAbsent("identity", identity);
    }
    return root;
  }

  private Map<String, Object> members() {
    Map<String, Object> result = members;
    if (result == null) {
      // Racing threads may both build it; the trees are equal, so either may win.
      result = source.get();
      members = result;
    }
    return result;
  }
}
