package dev.flagedge.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flagedge.engine.Operator;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The conditions of a segment rule; see {@link TestDocument#segment(String,
 * java.util.function.Consumer)}. Not thread-safe.
 */
public final class SegmentSpec {
  private final ArrayNode conditions;
  private final ArrayNode rules;

  SegmentSpec(ObjectNode rule, String type) {
    rule.put("type", type);
    this.rules = rule.putArray("rules");
    this.conditions = rule.putArray("conditions");
  }

  /**
   * Adds a condition on a trait (or a {@code $.}-prefixed JSONPath property such as {@code
   * $.identity.identifier}), compared as the engine does: the value's text cast to the trait's
   * type. For {@link Operator#IN} pass a collection of accepted values; for {@link Operator#MODULO}
   * the text {@code "divisor|remainder"}.
   *
   * @param property the trait key or JSONPath property
   * @param operator the comparison; not {@code IS_SET}, {@code IS_NOT_SET} or {@code
   *     PERCENTAGE_SPLIT}
   * @param value a string, number, boolean, or (for {@code IN}) a collection of those
   * @return this spec
   * @throws IllegalArgumentException if the operator is one of those, or the value's type is
   *     unsupported
   */
  public SegmentSpec where(String property, Operator operator, Object value) {
    Objects.requireNonNull(property, "property");
    Objects.requireNonNull(operator, "operator");
    if (operator == Operator.IS_SET || operator == Operator.IS_NOT_SET) {
      throw new IllegalArgumentException(operator + " takes no value: use where(property, op)");
    }
    if (operator == Operator.PERCENTAGE_SPLIT) {
      throw new IllegalArgumentException(
          "PERCENTAGE_SPLIT takes a percentage: use percentageSplit(percentage)");
    }
    condition(operator, property).put("value", DocumentTree.conditionText(value));
    return this;
  }

  /**
   * Adds a condition without a value: whether a trait is set.
   *
   * @param property the trait key or JSONPath property
   * @param operator {@link Operator#IS_SET} or {@link Operator#IS_NOT_SET}
   * @return this spec
   * @throws IllegalArgumentException for another operator
   */
  public SegmentSpec where(String property, Operator operator) {
    Objects.requireNonNull(property, "property");
    Objects.requireNonNull(operator, "operator");
    if (operator != Operator.IS_SET && operator != Operator.IS_NOT_SET) {
      throw new IllegalArgumentException(operator + " needs a value");
    }
    condition(operator, property).putNull("value");
    return this;
  }

  /**
   * Adds a percentage split: identities whose hash for this segment is at most the percentage
   * match.
   *
   * @param percentage 0 to 100
   * @return this spec
   * @throws IllegalArgumentException if out of range
   */
  public SegmentSpec percentageSplit(double percentage) {
    if (!(percentage >= 0 && percentage <= 100)) {
      throw new IllegalArgumentException("percentage must be between 0 and 100: " + percentage);
    }
    ObjectNode condition = conditions.addObject().put("operator", Operator.PERCENTAGE_SPLIT.name());
    condition.putNull("property_");
    condition.put("value", DocumentTree.conditionText(percentage));
    return this;
  }

  /**
   * Adds a group of conditions of which at least one must match (an {@code ANY} rule).
   *
   * @param conditions the alternatives
   * @return this spec
   */
  public SegmentSpec anyOf(Consumer<SegmentSpec> conditions) {
    Objects.requireNonNull(conditions, "conditions");
    conditions.accept(new SegmentSpec(rules.addObject(), "ANY"));
    return this;
  }

  private ObjectNode condition(Operator operator, String property) {
    return conditions.addObject().put("operator", operator.name()).put("property_", property);
  }
}
