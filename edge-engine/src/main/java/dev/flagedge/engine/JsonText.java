package dev.flagedge.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagedge.engine.internal.JsonWriter;
import java.util.Map;

/**
 * A parsed JSON tree as compact JSON text in the reference's form (see {@link JsonWriter}), members
 * in their order.
 */
final class JsonText {
  private JsonText() {}

  static String write(JsonNode node) {
    JsonWriter out = new JsonWriter(64);
    append(node, out);
    return out.toString();
  }

  private static void append(JsonNode node, JsonWriter out) {
    if (node == null) {
      out.nullValue();
      return;
    }
    switch (node.getNodeType()) {
      case STRING -> out.value(node.textValue());
      case NUMBER -> {
        if (node.isIntegralNumber()) {
          out.rawValue(node.bigIntegerValue().toString());
        } else {
          out.value(node.doubleValue());
        }
      }
      case BOOLEAN -> out.value(node.booleanValue());
      case OBJECT -> appendObject(node, out);
      case ARRAY -> appendArray(node, out);
      default -> out.nullValue();
    }
  }

  private static void appendObject(JsonNode node, JsonWriter out) {
    out.beginObject();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      out.name(field.getKey());
      append(field.getValue(), out);
    }
    out.endObject();
  }

  private static void appendArray(JsonNode node, JsonWriter out) {
    out.beginArray();
    for (int i = 0; i < node.size(); i++) {
      append(node.get(i), out);
    }
    out.endArray();
  }
}
