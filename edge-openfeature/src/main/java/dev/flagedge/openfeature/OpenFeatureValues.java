package dev.flagedge.openfeature;

import dev.flagedge.sync.internal.FlagValues;
import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Flagsmith flag values as the OpenFeature types by the rule of {@link FlagValues} (the one
 * {@link dev.flagedge.sync.Flags#value(String, Object)} applies too), and words its refusals as
 * OpenFeature errors: a type mismatch, or a parse error for text that opens a JSON object or array
 * but is not valid JSON.
 */
final class OpenFeatureValues {
  private OpenFeatureValues() {}

  static Converted<String> toStringValue(Object raw) {
    return converted(raw, FlagValues.convert(raw, String.class), "a string");
  }

  static Converted<Integer> toInteger(Object raw) {
    return converted(raw, FlagValues.convert(raw, Integer.class), "an integer");
  }

  static Converted<Double> toDouble(Object raw) {
    return converted(raw, FlagValues.convert(raw, Double.class), "a double");
  }

  static Converted<Value> toObject(Object raw) {
    Optional<?> container =
        FlagValues.convert(raw, Map.class)
            .map(map -> (Object) map)
            .or(() -> FlagValues.convert(raw, List.class));
    if (container.isPresent()) {
      return Converted.ok(value(container.get()));
    }
    if (raw instanceof String text && opensContainer(text)) {
      return Converted.parseError("value is not valid JSON: " + shorten(raw));
    }
    return mismatch(raw, "a JSON object or array");
  }

  private static <T> Converted<T> converted(Object raw, Optional<T> value, String expected) {
    return value.isPresent() ? Converted.ok(value.get()) : mismatch(raw, expected);
  }

  private static boolean opensContainer(String text) {
    String trimmed = text.strip();
    return trimmed.startsWith("{") || trimmed.startsWith("[");
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
      BigDecimal exact = new BigDecimal(raw.toString());
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
