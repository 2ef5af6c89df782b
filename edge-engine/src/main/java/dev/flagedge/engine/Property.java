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
  final Object value(Evaluation evaluation) {
    return Values.coerce(rawValue(evaluation));
  }

  static Property of(String property) {
    if (property == null || property.isEmpty()) {
      return NONE;
    }
    if (!property.startsWith("$.")) {
      return new Trait(property);
    }
    return JsonPath.parse(property)
        .<Property>map(path -> new Path(property, path))
        .orElseGet(() -> new Trait(property));
  }

  /** A trait by its exact, case-sensitive key. */
  static final class Trait extends Property {
    private final String name;

    Trait(String name) {
      this.name = name;
    }

    @Override
    Object rawValue(Evaluation evaluation) {
      return evaluation.trait(name);
    }
  }

  /**
   * A JSONPath query on the enriched context. A trait whose key is the query text itself wins, as
   * in the reference. The common identity and environment members are read without building a JSON
   * tree.
   */
  static final class Path extends Property {
    private final String text;
    private final JsonPath path;
    private final Shortcut shortcut;

    Path(String text, JsonPath path) {
      this.text = text;
      this.path = path;
      this.shortcut = Shortcut.of(text);
    }

    /** Whether the query needs the context's JSON tree (it is not one of the shortcuts). */
    boolean readsTree() {
      return shortcut == Shortcut.NONE;
    }

    @Override
    Object rawValue(Evaluation evaluation) {
      Object trait = evaluation.trait(text);
      if (trait != null) {
        return trait;
      }
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
