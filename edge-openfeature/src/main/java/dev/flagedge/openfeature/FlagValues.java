package dev.flagedge.openfeature;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts Flagsmith flag values ({@link String}, {@link Boolean}, {@link Long}, {@link
 * BigInteger}, {@link Double}, or maps and lists of those) to the OpenFeature types. Numbers stored
 * as strings, as Flagsmith stores floats, count as numbers; JSON object and array text counts as an
 * object. Every other combination is a type mismatch.
 */
final class FlagValues {
  /** Immutable once built; thread-safe. */
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private FlagValues() {}

  static Converted<String> toStringValue(Object raw) {
    return raw instanceof String text ? Converted.ok(text) : mismatch(raw, "a string");
  }

  static Converted<Integer> toInteger(Object raw) {
    BigDecimal number = decimal(raw);
    if (number == null) {
      return mismatch(raw, "an integer");
    }
    try {
      return Converted.ok(number.intValueExact());
    } catch (ArithmeticException e) {
      return mismatch(raw, "an integer");
    }
  }

  static Converted<Double> toDouble(Object raw) {
    if (raw instanceof Double d) {
      return Converted.ok(d);
    }
    BigDecimal number = decimal(raw);
    double d = number == null ? Double.NaN : number.doubleValue();
    return Double.isFinite(d) ? Converted.ok(d) : mismatch(raw, "a double");
  }

  static Converted<Value> toObject(Object raw) {
    if (raw instanceof Map || raw instanceof List) {
      return Converted.ok(value(raw));
    }
    if (!(raw instanceof String text) || !looksLikeContainer(text)) {
      return mismatch(raw, "a JSON object or array");
    }
    try {
      return Converted.ok(value(JSON.readValue(text, Object.class)));
    } catch (JacksonException e) {
      return Converted.parseError("value is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static boolean looksLikeContainer(String text) {
    String trimmed = text.strip();
    return trimmed.startsWith("{") || trimmed.startsWith("[");
  }

  /** A number, or a string holding a decimal number; null for anything else. */
  private static BigDecimal decimal(Object raw) {
    if (raw instanceof Long || raw instanceof Integer) {
      return BigDecimal.valueOf(((Number) raw).longValue());
    } else if (raw instanceof BigInteger big) {
      return new BigDecimal(big);
    } else if (raw instanceof Double d) {
      return Double.isFinite(d) ? new BigDecimal(d) : null;
    } else if (raw instanceof String text) {
      try {
        return new BigDecimal(text.strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /**
   * A Java value as an OpenFeature value. Integers outside the {@code int} range become doubles
   * (OpenFeature values hold {@code Integer} or {@code Double}); JSON null becomes a null value.
   */
  static Value value(Object raw) {
    if (raw == null) {
      return new Value();
    } else if (raw instanceof String text) {
      return new Value(text);
    } else if (raw instanceof Boolean bool) {
      return new Value(bool);
    } else if (raw instanceof Integer i) {
      return new Value(i);
    } else if (raw instanceof Long || raw instanceof BigInteger) {
      BigDecimal exact = decimal(raw);
      return exact.compareTo(BigDecimal.valueOf(exact.intValue())) == 0
          ? new Value(exact.intValue())
          : new Value(exact.doubleValue());
    } else if (raw instanceof Number number) {
      return new Value(number.doubleValue());
    } else if (raw instanceof Map<?, ?> map) {
      Map<String, Value> fields = new LinkedHashMap<>();
      map.forEach((key, field) -> fields.put(String.valueOf(key), value(field)));
      return new Value(new ImmutableStructure(fields));
    } else if (raw instanceof List<?> list) {
      List<Value> items = new ArrayList<>(list.size());
      list.forEach(item -> items.add(value(item)));
      return new Value(items);
    }
    return new Value(String.valueOf(raw));
  }

  private static <T> Converted<T> mismatch(Object raw, String expected) {
    return Converted.mismatch("expected " + expected + ", got " + kind(raw) + " " + shorten(raw));
  }

  private static String kind(Object raw) {
    if (raw instanceof String) {
      return "string";
    } else if (raw instanceof Boolean) {
      return "boolean";
    } else if (raw instanceof Number) {
      return "number";
    } else if (raw instanceof Map) {
      return "object";
    }
    return raw instanceof List ? "array" : raw.getClass().getSimpleName();
  }

  private static String shorten(Object raw) {
    String text = raw instanceof String s ? '"' + s + '"' : String.valueOf(raw);
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }
}
