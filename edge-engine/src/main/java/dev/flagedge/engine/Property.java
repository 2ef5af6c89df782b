package dev.flagedge.engine;

/**
 * Where a condition reads its context value from: a trait, a JSONPath query, or the identity key.
 */
abstract class Property {
  /** The empty property: no value, except for percentage splits, which hash on the identity key. */
  static final Property NONE =
      new Property() {
        @Override
        Object rawValue(Evaluation evaluation) {
          return null;
        }
      };

  static final Property IMPLICIT_IDENTITY_KEY =
      new Property() {
        @Override
        Object rawValue(Evaluation evaluation) {
          return evaluation.identityKey();
        }
      };

  /** The value before coercion; null when absent. */
  abstract Object rawValue(Evaluation evaluation);

  /** The value as the reference's operators see it: numeric strings become numbers. */
  Object value(Evaluation evaluation) {
    return Values.coerce(rawValue(evaluation));
  }

  /** Whether this property reads a trait (named by its text), which then has a trait slot. */
  boolean readsTrait() {
    return false;
  }

  /**
   * The property for a condition's property text.
   *
   * @param slot the index of the trait named by the text in the context's {@link TraitSlots}, used
   *     if the property {@linkplain #readsTrait() reads a trait}
   */
  static Property of(String property, int slot) {
    if (property == null || property.isEmpty()) {
      return NONE;
    }
    if (!property.startsWith("$.")) {
      return new Trait(slot);
    }
    return JsonPath.parse(property)
        .<Property>map(path -> new Path(property, path, slot))
        .orElseGet(() -> new Trait(slot));
  }

  /** A trait by its exact, case-sensitive key, read from its slot. */
  static final class Trait extends Property {
    private final int slot;

    Trait(int slot) {
      this.slot = slot;
    }

    int slot() {
      return slot;
    }

    @Override
    Object rawValue(Evaluation evaluation) {
      return evaluation.trait(slot);
    }

    @Override
    Object value(Evaluation evaluation) {
      return evaluation.traitValue(slot);
    }

    @Override
    boolean readsTrait() {
      return true;
    }
  }

  /**
   * A JSONPath query on the enriched context. A trait whose key is the query text itself wins, as
   * in the reference. The common identity and environment members are read without building a JSON
   * tree.
   */
  static final class Path extends Property {
    private final JsonPath path;
    private final Shortcut shortcut;
    private final int slot;

    Path(String text, JsonPath path, int slot) {
      this.path = path;
      this.shortcut = Shortcut.of(text);
      this.slot = slot;
    }

    /** Whether the query needs the context's JSON tree (it is not one of the shortcuts). */
    boolean readsTree() {
      return shortcut == Shortcut.NONE;
    }

    @Override
    boolean readsTrait() {
      return true;
    }

    @Override
    Object value(Evaluation evaluation) {
      Object trait = evaluation.traitValue(slot);
      return trait != null ? trait : Values.coerce(query(evaluation));
    }

    @Override
    Object rawValue(Evaluation evaluation) {
      Object trait = evaluation.trait(slot);
      return trait != null ? trait : query(evaluation);
    }

    private Object query(Evaluation evaluation) {
      if (shortcut == Shortcut.IDENTIFIER) {
        return evaluation.identifier();
      }
      if (shortcut == Shortcut.IDENTITY_KEY) {
        return evaluation.identityKey();
      }
      Object node = path.selectFirst(evaluation.jsonRoot());
      return node == JsonPath.NOTHING
              || node instanceof java.util.Map
              || node instanceof java.util.List
          ? null
          : node;
    }

    private enum Shortcut {
      IDENTIFIER,
      IDENTITY_KEY,
      NONE;

      static Shortcut of(String text) {
        switch (text) {
          case "$.identity.identifier":
            return IDENTIFIER;
          case "$.identity.key":
            return IDENTITY_KEY;
          default:
            return NONE;
        }
      }
    }
  }
}
