package dev.flagedge.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Compact JSON text the way the reference proxy writes it: floats in Python's shortest round-trip
 * form ({@code 1e+23}, not Java's {@code 1.0E23}), non-ASCII characters unescaped, members in their
 * order.
 */
final class JsonText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  static String write(JsonNode node) {
    StringBuilder sb = new StringBuilder();
    append(node, sb);
    return sb.toString();
  }

  static void append(JsonNode node, StringBuilder sb) {
    if (node == null) {
      sb.append("null");
      return;
    }
    switch (node.getNodeType()) {
      case STRING:
        appendString(node.textValue(), sb);
        break;
      case NUMBER:
        appendNumber(node, sb);
        break;
      case BOOLEAN:
        sb.append(node.booleanValue());
        break;
      case OBJECT:
        appendObject(node, sb);
        break;
      case ARRAY:
        appendArray(node, sb);
        break;
      default:
        sb.append("null");
    }
  }

  private static void appendNumber(JsonNode node, StringBuilder sb) {
    if (node.isIntegralNumber()) {
      sb.append(node.bigIntegerValue());
      return;
    }
    double d = node.doubleValue();
    // JSON has no infinities or NaN; the reference's serialiser writes them as null.
    sb.append(Double.isFinite(d) ? PythonNumbers.repr(d) : "null");
  }

  private static void appendObject(JsonNode node, StringBuilder sb) {
    sb.append('{');
    boolean first = true;
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      appendString(field.getKey(), sb);
      sb.append(':');
      append(field.getValue(), sb);
    }
    sb.append('}');
  }

  private static void appendArray(JsonNode node, StringBuilder sb) {
    sb.append('[');
    for (int i = 0; i < node.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      append(node.get(i), sb);
    }
    sb.append(']');
  }

  /** A string as a JSON string literal. */
  static String quote(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        appendString(s, sb);
        return sb.toString();
      }
    }
    return "\"" + s + "\"";
  }

  static void appendString(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        case '\b':
          sb.append("\\b");
          break;
        case '\f':
          sb.append("\\f");
          break;
        default:
          if (c < 0x20) {
            sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
