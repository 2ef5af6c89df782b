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
      out.ascii("null");
      return;
    }
    switch (node.getNodeType()) {
      case STRING -> out.string(node.textValue());
      case NUMBER -> {
        if (node.isIntegralNumber()) {
          out.ascii(node.bigIntegerValue().toString());
        } else {
          out.floatValue(node.doubleValue());
        }
      }
      case BOOLEAN -> out.ascii(node.booleanValue() ? "true" : "false");
      case OBJECT -> appendObject(node, out);
      case ARRAY -> appendArray(node, out);
      default -> out.ascii("null");
    }
  }

  private static void appendObject(JsonNode node, JsonWriter out) {
    out.ascii('{');
    boolean first = true;
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (!first) {
        out.ascii(',');
      }
      first = false;
      out.string(field.getKey()).ascii(':');
      append(field.getValue(), out);
    }
    out.ascii('}');
  }

  private static void appendArray(JsonNode node, JsonWriter out) {
    out.ascii('[');
    for (int i = 0; i < node.size(); i++) {
      if (i > 0) {
        out.ascii(',');
      }
      append(node.get(i), out);
    }
    out.ascii(']');
  }
}
