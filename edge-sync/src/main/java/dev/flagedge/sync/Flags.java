package dev.flagedge.sync;

import dev.flagedge.engine.Flag;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Evaluated flags, by feature name: the environment's flags or one identity's. Immutable and
 * thread-safe. Lookups never throw for unknown features or unexpected value types.
 */
public final class Flags {
  private static final Flags EMPTY = new Flags(List.of());

  private final List<Flag> all;
  private final Map<String, Flag> byName;

  private Flags(List<Flag> flags) {
    this.all = List.copyOf(flags);
    Map<String, Flag> map = new LinkedHashMap<>();
    for (Flag flag : all) {
      map.putIfAbsent(flag.name(), flag);
    }
    this.byName = Collections.unmodifiableMap(map);
  }

  static Flags of(List<Flag> flags) {
    return flags.isEmpty() ? EMPTY : new Flags(flags);
  }

  static Flags empty() {
    return EMPTY;
  }

  /**
   * Every flag.
   *
   * @return the flags, in document order; immutable
   */
  public List<Flag> all() {
    return all;
  }

  /**
   * One flag by feature name.
   *
   * @param feature the feature name
   * @return the flag; empty when there is no such feature
   */
  public Optional<Flag> flag(String feature) {
    return Optional.ofNullable(byName.get(Objects.requireNonNull(feature, "feature")));
  }

  /**
   * Whether a feature is enabled.
   *
   * @param feature the feature name
   * @return the flag's {@code enabled}; false when there is no such feature
   */
  public boolean isEnabled(String feature) {
    Flag flag = byName.get(Objects.requireNonNull(feature, "feature"));
    return flag != null && flag.enabled();
  }

  /**
   * A flag's value, typed like the default. The value is returned when it is an instance of the
   * default's class, or a number that converts to the default's numeric class ({@link Integer},
   * {@link Long}, {@link Short}, {@link Byte}, {@link Double}, {@link Float}, {@link BigInteger},
   * {@link BigDecimal}) without loss; otherwise, and when the feature is absent or its value is
   * JSON {@code null}, the default is returned. Strings are not parsed: {@code "3"} is no integer.
   *
   * @param feature the feature name
   * @param defaultValue the value to fall back to; its class selects the type
   * @param <T> the value type
   * @return the flag value or the default
   * @throws NullPointerException if an argument is null
   */
  public <T> T value(String feature, T defaultValue) {
    Objects.requireNonNull(defaultValue, "defaultValue");
    Flag flag = byName.get(Objects.requireNonNull(feature, "feature"));
    Object value = flag == null ? null : flag.value().orElse(null);
    Object converted = value == null ? null : convert(value, defaultValue.getClass());
    @SuppressWarnings("unchecked") // converted is an instance of defaultValue's class
    T result = converted == null ? defaultValue : (T) converted;
    return result;
  }

  /** The value as an instance of the type, or null when that is impossible without loss. */
  static Object convert(Object value, Class<?> type) {
    if (type.isInstance(value)) {
      return value;
    }
    if (!(value instanceof Number number) || !Number.class.isAssignableFrom(type)) {
      return null;
    }
    BigDecimal exact = exact(number);
    if (exact == null) {
      return null;
    }
    try {
      if (type == Integer.class) {
        return exact.intValueExact();
      } else if (type == Long.class) {
        return exact.longValueExact();
      } else if (type == Short.class) {
        return exact.shortValueExact();
      } else if (type == Byte.class) {
        return exact.byteValueExact();
      } else if (type == BigInteger.class) {
        return exact.toBigIntegerExact();
      } else if (type == BigDecimal.class) {
        return exact;
      } else if (type == Double.class) {
        double d = exact.doubleValue();
        return Double.isFinite(d) && new BigDecimal(d).compareTo(exact) == 0 ? d : null;
      } else if (type == Float.class) {
        float f = exact.floatValue();
        return Float.isFinite(f) && new BigDecimal(f).compareTo(exact) == 0 ? f : null;
      }
    } catch (ArithmeticException e) {
      return null;
    }
    return null;
  }

  private static BigDecimal exact(Number number) {
    if (number instanceof Long
        || number instanceof Integer
        || number instanceof Short
        || number instanceof Byte) {
      return BigDecimal.valueOf(number.longValue());
    } else if (number instanceof BigInteger big) {
      return new BigDecimal(big);
    } else if (number instanceof BigDecimal decimal) {
      return decimal;
    } else if (number instanceof Double || number instanceof Float) {
      double d = number.doubleValue();
      return Double.isFinite(d) ? new BigDecimal(d) : null;
    }
    return null;
  }

  @Override
  public String toString() {
    return "Flags" + all;
  }
}
