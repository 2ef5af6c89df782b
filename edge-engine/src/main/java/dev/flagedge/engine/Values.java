package dev.flagedge.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Context values as the reference engine sees them. A value is one of {@code null}, {@link String},
 * {@link Boolean}, {@link Long}, {@link BigInteger} (only beyond the long range), {@link Double},
 * or a container ({@code Map<String, Object>} / {@code List<Object>}) that only JSONPath queries
 * look into.
 */
final class Values {
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private Values() {}

  /**
   * The reference coerces numeric-looking strings before every operator: {@code "007"} becomes the
   * int 7 and {@code "1.50"} the float 1.5. Only plain ASCII forms count; {@code "+5"} or {@code
   * "1e3"} stay strings.
   */
  static Object coerce(Object value) {
    if (!(value instanceof String)) {
      return value;
    }
    String s = (String) value;
    int digitsStart = s.startsWith("-") ? 1 : 0;
    int dot = -1;
    int length = s.length();
    if (length == digitsStart) {
      return s;
    }
    for (int i = digitsStart; i < length; i++) {
      char c = s.charAt(i);
      if (c == '.' && dot < 0 && i > digitsStart && i < length - 1) {
        dot = i;
      } else if (c < '0' || c > '9') {
        return s;
      }
    }
    return dot < 0 ? integer(s) : (Object) Double.parseDouble(s);
  }

  /** An integer value in its canonical form: a Long when it fits, else a BigInteger. */
  static Object integer(String decimal) {
    if (decimal.length() <= 18) {
      return Long.parseLong(decimal);
    }
    return normalize(new BigInteger(decimal));
  }

  static Object normalize(BigInteger value) {
    return value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0
        ? (Object) value.longValue()
        : value;
  }

  static boolean isInteger(Object value) {
    return value instanceof Long || value instanceof BigInteger;
  }

  static BigInteger bigInteger(Object integer) {
    return integer instanceof Long ? BigInteger.valueOf((Long) integer) : (BigInteger) integer;
  }

  /** Python's {@code str()} of a context value. */
  static String pyStr(Object value) {
    if (value instanceof String) {
      return (String) value;
    }
    if (value instanceof Boolean) {
      return (Boolean) value ? "True" : "False";
    }
    if (value instanceof Double) {
      return PythonNumbers.repr((Double) value);
    }
    if (value == null) {
      return "None";
    }
    if (value instanceof Map || value instanceof List) {
      StringBuilder sb = new StringBuilder();
      appendRepr(value, sb);
      return sb.toString();
    }
    return value.toString();
  }

  /**
   * Python's {@code repr()}, used for containers whose {@code str()} shows their elements' reprs.
   */
  private static void appendRepr(Object value, StringBuilder sb) {
    if (value instanceof String) {
      appendStringRepr((String) value, sb);
    } else if (value instanceof Map) {
      sb.append('{');
      String separator = "";
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        sb.append(separator);
        appendStringRepr(String.valueOf(entry.getKey()), sb);
        sb.append(": ");
        appendRepr(entry.getValue(), sb);
        separator = ", ";
      }
      sb.append('}');
    } else if (value instanceof List) {
      sb.append('[');
      String separator = "";
      for (Object element : (List<?>) value) {
        sb.append(separator);
        appendRepr(element, sb);
        separator = ", ";
      }
      sb.append(']');
    } else {
      sb.append(pyStr(value));
    }
  }

  private static void appendStringRepr(String s, StringBuilder sb) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    sb.append(quote);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == quote || c == '\\') {
        sb.append('\\').append(c);
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append(quote);
  }

  /**
   * Converts parsed JSON into a context value, keeping the int/float distinction of JSON numbers.
   */
  static Object fromJson(JsonNode node) {
    switch (node.getNodeType()) {
      case STRING:
        return node.textValue();
      case BOOLEAN:
        return node.booleanValue();
      case NUMBER:
        return fromJsonNumber(node);
      case OBJECT:
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          map.put(field.getKey(), fromJson(field.getValue()));
        }
        return map;
      case ARRAY:
        List<Object> list = new ArrayList<>(node.size());
        for (JsonNode element : node) {
          list.add(fromJson(element));
        }
        return list;
      default:
        return null;
    }
  }

  private static Object fromJsonNumber(JsonNode node) {
    if (node.isIntegralNumber()) {
      return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
    }
    return node.doubleValue();
  }

  /**
   * Converts a trait value handed in by Java code. Numbers keep their integer/float nature;
   * anything that is not a JSON scalar is taken as its string form.
   */
  static Object fromJava(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger) {
      return normalize((BigInteger) value);
    }
    if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
      return ((Number) value).doubleValue();
    }
    return value.toString();
  }
}
