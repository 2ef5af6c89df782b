package dev.flagedge.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The operator list is the one the compiler dispatches on: every operator has its condition. */
class OperatorTest {

  @ParameterizedTest
  @EnumSource(Operator.class)
  void named_documentName_isTheOperator(Operator operator) {
    assertSame(operator, Operator.named(operator.name()));
  }

  @Test
  void named_unknownOrOtherCase_none() {
    assertNull(Operator.named("STARTS_WITH"));
    assertNull(Operator.named("equal"));
  }

  @ParameterizedTest
  @EnumSource(Operator.class)
  void condition_everyOperator_compiledToAConditionThatCanMatch(Operator operator) {
    ContextCompiler compiler = new ContextCompiler(new PartPool(id -> FeatureInfo.STANDARD));
    TextNode value = TextNode.valueOf(operator == Operator.MODULO ? "2|0" : "1");
    assertFalse(
        compiler.condition(operator.name(), "trait", value, "segment") instanceof Condition.Never);
  }
}
