package dev.flagedge.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagedge.engine.internal.JsonWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Canonical instances for one compilation. Documents repeat the same feature names, values, reasons
 * and condition values across segment overrides; the compiled form keeps one instance of each. The
 * pool lives only as long as the compilation (no {@code String.intern()}, nothing global), so two
 * environments never share, and nothing outlives the environment that uses it. Not thread-safe.
 */
final class ValuePool {
  private final Map<String, String> strings = new HashMap<>(256);

  /**
   * Strings, booleans and integers that fit a long, by JSON text (which alone tells them apart).
   */
  private final Map<String, JsonValue> scalars = new HashMap<>(256);

  private final Map<ValueKey, JsonValue> values = new HashMap<>();

  /**
   * Equal JSON text and equal context value: {@code 1} and {@code 1.0} differ, and so do JSON null
   * and a float too large for a double (both written as {@code null}).
   */
  private record ValueKey(String json, Object value) {}

  /** The canonical instance of a string; null stays null. */
  String string(String s) {
    if (s == null) {
      return null;
    }
    String canonical = strings.putIfAbsent(s, s);
    return canonical == null ? s : canonical;
  }

  /** The canonical compiled form of a JSON value; null (absent) counts as JSON null. */
  JsonValue value(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return JsonValue.NULL;
    }
    if (node.isTextual()) {
      return text(node.textValue());
    }
    if (node.isBoolean()) {
      return bool(node.booleanValue());
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return integer(node.longValue());
    }
    String json = string(JsonText.write(node));
    Object value = contextValue(node);
    return values.computeIfAbsent(new ValueKey(json, value), key -> new JsonValue(value, json));
  }

  /**
   * The canonical compiled form of the object {@code {"id": id}}, the metadata of every feature
   * context a document gives: the same instance {@link #value} returns for that tree, built without
   * one.
   */
  JsonValue idObject(long id) {
    String json =
        string(new JsonWriter(16).beginObject().name("id").value(id).endObject().toString());
    Map<String, Object> map = new LinkedHashMap<>(2);
    map.put(string("id"), id);
    return values.computeIfAbsent(new ValueKey(json, map), key -> new JsonValue(map, json));
  }

  /** The canonical compiled form of a JSON string. */
  JsonValue text(String text) {
    String json = JsonWriter.quote(text);
    JsonValue value = scalars.get(json);
    if (value == null) {
      value = new JsonValue(string(text), json);
      scalars.put(json, value);
    }
    return value;
  }

  /** The canonical compiled form of a JSON boolean. */
  JsonValue bool(boolean b) {
    return scalar(b ? "true" : "false", b);
  }

  /** The canonical compiled form of a JSON integer. */
  JsonValue integer(long n) {
    return scalar(Long.toString(n), n);
  }

  private JsonValue scalar(String json, Object contextValue) {
    JsonValue value = scalars.get(json);
    if (value == null) {
      value = new JsonValue(contextValue, json);
      scalars.put(json, value);
    }
    return value;
  }

  /**
   * A JSON tree as a context value ({@link Values#fromJson}), with canonical strings for member
   * names and string values.
   */
  Object contextValue(JsonNode node) {
    switch (node.getNodeType()) {
      case STRING:
        return string(node.textValue());
      case OBJECT:
        Map<String, Object> map = new LinkedHashMap<>(node.size() * 4 / 3 + 1);
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          map.put(string(field.getKey()), contextValue(field.getValue()));
        }
        return map;
      case ARRAY:
        List<Object> list = new ArrayList<>(node.size());
        for (JsonNode element : node) {
          list.add(contextValue(element));
        }
        return list;
      default:
        return Values.fromJson(node);
    }
  }
}
