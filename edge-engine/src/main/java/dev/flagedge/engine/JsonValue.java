package dev.flagedge.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON value from a document, kept after compilation in two compact forms: the context value (see
 * {@link Values}) and its compact JSON text as the reference proxy writes it. Instances come from a
 * {@link ValuePool}, so equal values of one document share one instance. Immutable: container
 * values are never handed out, only fresh copies of them.
 */
final class JsonValue {
  static final JsonValue NULL = new JsonValue(null, "null");

  private final Object value;
  private final String json;

  JsonValue(Object value, String json) {
    this.value = value;
    this.json = json;
  }

  /**
   * The context value: a scalar as it is, a container as a fresh mutable copy ({@code
   * LinkedHashMap} / {@code ArrayList}, as {@link Values#fromJson} builds them); null for JSON
   * null.
   */
  Object copy() {
    return copyOf(value);
  }

  /** The compact JSON text. */
  String json() {
    return json;
  }

  /** Whether this is an object without members (which results omit, like absent metadata). */
  boolean isEmptyObject() {
    return value instanceof Map && ((Map<?, ?>) value).isEmpty();
  }

  private static Object copyOf(Object value) {
    if (value instanceof Map) {
      Map<?, ?> map = (Map<?, ?>) value;
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        copy.put((String) entry.getKey(), copyOf(entry.getValue()));
      }
      return copy;
    }
    if (value instanceof List) {
      List<?> list = (List<?>) value;
      List<Object> copy = new ArrayList<>(list.size());
      for (Object element : list) {
        copy.add(copyOf(element));
      }
      return copy;
    }
    return value;
  }

  @Override
  public String toString() {
    return json;
  }
}
