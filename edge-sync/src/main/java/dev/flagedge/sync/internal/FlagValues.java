package dev.flagedge.sync.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one rule by which FlagEdge reads a flag value as a Java type. {@link
 * dev.flagedge.sync.Flags#value(String, Object)} and the OpenFeature provider ({@code
 * edge-openfeature}) both apply it, so a value reads the same through either.
 *
 * <p>The value is what {@link dev.flagedge.engine.Flag#value()} gives: a {@link String}, {@link
 * Boolean}, {@link Long} or {@link BigInteger} (JSON integers), {@link Double} (JSON floats), a map
 * or list (JSON containers, rare), or nothing (JSON {@code null}).
 *
 * <ul>
 *   <li>Nothing converts to nothing.
 *   <li>A value that is an instance of the requested class is returned as it is.
 *   <li><b>Numbers</b> ({@link Integer}, {@link Long}, {@link Short}, {@link Byte}, {@link
 *       BigInteger}, {@link BigDecimal}, {@link Double}, {@link Float}) come from a number, or from
 *       a string holding a decimal number such as {@code "12.34"}, {@code " -7 "} or {@code "1e3"}
 *       (surrounding whitespace ignored; no hex, {@code NaN} or {@code Infinity}), because
 *       Flagsmith stores floats as strings. Integer classes take only a whole number within their
 *       range: {@code "12.0"} is 12, {@code "12.34"} and {@code 3000000000} are no {@code Integer}.
 *       {@link BigDecimal} takes the decimal as written (a double as its shortest decimal form).
 *       {@link Double} and {@link Float} take the nearest value, if it is finite.
 *   <li><b>Maps and lists</b> ({@link Map}, {@link List}) come from a container value of that kind,
 *       or from a string holding JSON object (for a map) or array (for a list) text, whose numbers
 *       become {@link Long}, {@link BigInteger} or {@link Double}.
 *   <li>Nothing else converts: {@code "true"} is no {@link Boolean}, {@code 42} no {@link String}.
 * </ul>
 *
 * <p>Thread-safe; conversion never throws for a value, however malformed.
 */
public final class FlagValues {
  /** Longer numeric text is not parsed: its conversion would cost more than any flag is worth. */
  private static final int MAX_NUMBER_TEXT = 1000;

  /** An integer with more digits does not become a {@link BigInteger} (unless it is one). */
  private static final int MAX_INTEGER_DIGITS = 1000;

  /** JSON floats as {@link Double}s, as the engine gives them: not the mapper's big decimals. */
  private static final ObjectReader MAP =
      Json.MAPPER.readerFor(Map.class).without(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private static final ObjectReader LIST = MAP.forType(List.class);

  private FlagValues() {}

  /**
   * A flag value as an instance of a class, by the rule above.
   *
   * @param value the flag value, or null for none
   * @param type the requested class: a class, not a primitive type
   * @param <T> the requested type
   * @return the converted value; empty when the rule gives none
   * @throws NullPointerException if the type is null
   * @throws IllegalArgumentException if the type is primitive
   */
  public static <T> Optional<T> convert(Object value, Class<T> type) {
    Objects.requireNonNull(type, "type");
    if (type.isPrimitive()) {
      throw new IllegalArgumentException("type must not be primitive: " + type);
    }
    if (value == null) {
      return Optional.empty();
    }
    if (type.isInstance(value)) {
      return Optional.of(type.cast(value));
    }
    Object converted;
    if (type == Map.class || type == List.class) {
      converted = container(value, type);
    } else {
      BigDecimal number = Number.class.isAssignableFrom(type) ? decimal(value) : null;
      converted = number == null ? null : number(number, type);
    }
    return Optional.ofNullable(type.cast(converted));
  }

  /** A number, or a string holding a decimal number, as its exact decimal; else null. */
  private static BigDecimal decimal(Object value) {
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      return BigDecimal.valueOf(((Number) value).longValue());
    } else if (value instanceof BigInteger big) {
      return new BigDecimal(big);
    } else if (value instanceof BigDecimal decimal) {
      return decimal;
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return Double.isFinite(d) ? new BigDecimal(value.toString()) : null;
    } else if (value instanceof String text && text.length() <= MAX_NUMBER_TEXT) {
      try {
        return new BigDecimal(text.strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** The decimal as the numeric class, or null when the rule gives none. */
  private static Object number(BigDecimal number, Class<?> type) {
    try {
      if (type == Integer.class) {
        return number.intValueExact();
      } else if (type == Long.class) {
        return number.longValueExact();
      } else if (type == Short.class) {
        return number.shortValueExact();
      } else if (type == Byte.class) {
        return number.byteValueExact();
      } else if (type == BigInteger.class) {
        return (long) number.precision() - number.scale() > MAX_INTEGER_DIGITS
            ? null
            : number.toBigIntegerExact();
      } else if (type == BigDecimal.class) {
        return number;
      } else if (type == Double.class) {
        double d = number.doubleValue();
        return Double.isFinite(d) ? d : null;
      } else if (type == Float.class) {
        float f = number.floatValue();
        return Float.isFinite(f) ? f : null;
      }
    } catch (ArithmeticException e) {
      return null;
    }
    return null;
  }

  /** JSON text of the requested kind of container, parsed; else null. */
  private static Object container(Object value, Class<?> type) {
    if (!(value instanceof String text)) {
      return null;
    }
    String trimmed = text.strip();
    char open = type == Map.class ? '{' : '[';
    if (trimmed.isEmpty() || trimmed.charAt(0) != open) {
      return null;
    }
    try {
      return longInts((type == Map.class ? MAP : LIST).readValue(trimmed));
    } catch (JacksonException e) {
      return null;
    }
  }

  /** JSON integers as the engine gives them: {@link Long}, or {@link BigInteger} when larger. */
  private static Object longInts(Object parsed) {
    if (parsed instanceof Integer i) {
      return i.longValue();
    } else if (parsed instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((key, value) -> copy.put(key, longInts(value)));
      return copy;
    } else if (parsed instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(item -> copy.add(longInts(item)));
      return copy;
    }
    return parsed;
  }
}
