package dev.flagedge.engine;

import java.util.List;

/**
 * A segment rule. Its quantifier applies to its conditions and, separately, to its sub-rules (since
 * reference engine 10.1); an empty list of either counts as matching.
 */
final class Rule implements Matcher {
  enum Quantifier {
    ALL,
    ANY,
    NONE,
    /** An unknown rule type: such a rule never matches. */
    INVALID
  }

  private final Quantifier quantifier;
  private final Condition[] conditions;
  private final Rule[] rules;

  Rule(Quantifier quantifier, List<Condition> conditions, List<Rule> rules) {
    this.quantifier = quantifier;
    this.conditions = conditions.toArray(new Condition[0]);
    this.rules = rules.toArray(new Rule[0]);
  }

  Quantifier quantifier() {
    return quantifier;
  }

  /** The only condition of a rule without sub-rules, or null. */
  Condition soleCondition() {
    return conditions.length == 1 && rules.length == 0 ? conditions[0] : null;
  }

  @Override
  public boolean matches(Evaluation evaluation) {
    if (quantifier == Quantifier.INVALID) {
      return false;
    }
    return (conditions.length == 0 || quantify(conditions, evaluation))
        && (rules.length == 0 || quantify(rules, evaluation));
  }

  /** ALL stops at the first miss, ANY at the first hit, NONE at the first hit. */
  private boolean quantify(Matcher[] items, Evaluation evaluation) {
    boolean stopOn = quantifier != Quantifier.ALL;
    for (Matcher item : items) {
      if (item.matches(evaluation) == stopOn) {
        return quantifier == Quantifier.ANY;
      }
    }
    return quantifier != Quantifier.ANY;
  }
}
