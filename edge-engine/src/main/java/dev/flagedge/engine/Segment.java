package dev.flagedge.engine;

import java.util.List;

/**
 * A compiled segment: its rules (all must match; none means never) and the overrides it carries.
 */
final class Segment {
  final String name;

  /** Null when the segment has no metadata object. */
  final JsonValue metadata;

  final Rule[] rules;
  final Feature[] overrides;

  Segment(String name, JsonValue metadata, List<Rule> rules, List<Feature> overrides) {
    this.name = name;
    this.metadata = metadata;
    this.rules = rules.toArray(new Rule[0]);
    this.overrides = overrides.toArray(new Feature[0]);
  }

  boolean matches(Evaluation evaluation) {
    if (rules.length == 0) {
      return false;
    }
    for (Rule rule : rules) {
      if (!rule.matches(evaluation)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The condition when this segment is exactly "property IN [values]", the shape of
   * identity-override segments; such runs are looked up by value instead of being evaluated one by
   * one.
   */
  Condition.In soleInCondition() {
    if (rules.length != 1) {
      return null;
    }
    Rule rule = rules[0];
    Condition condition = rule.soleCondition();
    boolean quantifierKeepsIt =
        rule.quantifier() == Rule.Quantifier.ALL || rule.quantifier() == Rule.Quantifier.ANY;
    return quantifierKeepsIt && condition instanceof Condition.In ? (Condition.In) condition : null;
  }
}
