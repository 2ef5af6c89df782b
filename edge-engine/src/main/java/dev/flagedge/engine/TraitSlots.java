package dev.flagedge.engine;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The traits a compiled context's conditions read, each at a fixed index. An evaluation looks up
 * each of the identity's traits here once and keeps the values in an array, so conditions read a
 * trait by index: a segment with fifteen conditions then costs no hash lookups, where a map of
 * traits cost one per condition (a string hash and a compare of the name's bytes, which missed the
 * CPU caches once a server held hundreds of environments). Immutable.
 */
final class TraitSlots {
  static final TraitSlots NONE = new TraitSlots(List.of());

  private final Map<String, Integer> slots;

  TraitSlots(List<String> names) {
    this.slots = new HashMap<>(Math.max(4, names.size() * 2));
    for (String name : names) {
      slots.putIfAbsent(name, slots.size());
    }
  }

  int size() {
    return slots.size();
  }

  /**
   * The identity's traits that some condition reads, by index, as engine values; other traits are
   * left out, since no condition can see them.
   */
  Object[] values(Map<String, ?> traits) {
    return fill(traits, Values::fromJava);
  }

  /** The same for traits already in engine form (read from an evaluation context). */
  Object[] engineValues(Map<String, Object> traits) {
    return fill(traits, UnaryOperator.identity());
  }

  private Object[] fill(Map<String, ?> traits, Function<Object, Object> toEngine) {
    Object[] values = new Object[slots.size()];
    if (values.length == 0) {
      return values;
    }
    // forEach rather than entrySet: a map may then hand out its traits without an entry each
    traits.forEach(
        (key, value) -> {
          Integer slot = slots.get(key);
          if (slot != null) {
            values[slot] = toEngine.apply(value);
          }
        });
    return values;
  }
}
