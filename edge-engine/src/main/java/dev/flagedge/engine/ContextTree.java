package dev.flagedge.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The static part of an evaluation context as a JSON tree (environment, features, segments), built at
 * most once and only if a JSONPath condition asks for it; the identity is joined in per evaluation.
 */
final class ContextTree {
  private final Supplier<Map<String, Object>> source;
  private volatile Map<String, Object> members;

  ContextTree(Supplier<Map<String, Object>> source) {
    this.source = source;
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
