package dev.flagedge.sync;

import dev.flagedge.engine.Flag;
import dev.flagedge.sync.internal.FlagValues;
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
   * A flag's value, typed like the default, by FlagEdge's one value rule (the OpenFeature provider
   * applies it too): a number or numeric string ({@code "12.34"}, as Flagsmith stores floats) for a
   * numeric default, exact for integer types, the nearest finite value for {@code double} and
   * {@code float}; {@code "true"} is not a boolean and {@code 42} not a string; JSON object or
   * array text (or a container value) for a {@link Map} or {@link List} default. The class of the
   * default selects the type ({@link Map} or {@link List} for any map or list). When the rule gives
   * no value, when the feature is absent, and when its value is JSON {@code null}, the default is
   * returned.
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
    Object converted = FlagValues.convert(value, typeOf(defaultValue)).orElse(null);
    @SuppressWarnings("unchecked") // the default's class, or Map or List for a map or list default
    T result = converted == null ? defaultValue : (T) converted;
    return result;
  }

  private static Class<?> typeOf(Object defaultValue) {
    if (defaultValue instanceof Map) {
      return Map.class;
    }
    return defaultValue instanceof List ? List.class : defaultValue.getClass();
  }

  @Override
  public String toString() {
    return "Flags" + all;
  }
}
