package dev.flagedge.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Every operator, with the reference engine's quirks, through a one-condition segment. */
class ConditionTest {

  @Test
  void in_intTrait_comparedByDecimalForm() {
    assertTrue(matches("IN", "t", "1,2,3", 2));
  }

  @Test
  void in_numericStringTrait_coercedSoLeadingZerosNeverMatch() {
    assertFalse(matches("IN", "t", "007", "007"));
    assertTrue(matches("IN", "t", "7", "007"));
  }

  @Test
  void in_floatOrBoolTrait_neverMatches() {
    assertFalse(matches("IN", "t", "1.5", 1.5));
    assertFalse(matches("IN", "t", "1.5", "1.5"));
    assertFalse(matches("IN", "t", "True", true));
  }

  @Test
  void in_commaList_notTrimmed() {
    assertFalse(matches("IN", "t", "a, b", "b"));
    assertTrue(matches("IN", "t", "a, b", " b"));
  }

  @Test
  void in_jsonListString_elementsStringifiedPythonStyle() {
    assertTrue(matches("IN", "t", "[1, 2.0, true]", "True"));
    assertTrue(matches("IN", "t", "[1, 2.0, true]", 1));
    assertFalse(matches("IN", "t", "[1, 2.0, true]", "2"));
  }

  @Test
  void in_bracketedInvalidJson_fallsBackToCommaList() {
    assertTrue(matches("IN", "t", "[a,b]", "b]"));
  }

  @Test
  void in_missingValue_neverMatches() {
    assertFalse(matches("IN", "t", null, "x"));
  }

  @Test
  void equal_numericStrings_comparedAsNumbers() {
    assertTrue(matches("EQUAL", "t", "1", "1.0"));
    assertTrue(matches("EQUAL", "t", "7", "007"));
  }

  @Test
  void equal_boolTrait_anythingButFalseCastsToTrue() {
    assertTrue(matches("EQUAL", "t", "yes", true));
    assertTrue(matches("EQUAL", "t", "0", true));
    assertTrue(matches("EQUAL", "t", "false", false));
    assertFalse(matches("EQUAL", "t", "FALSE", false));
  }

  @Test
  void greaterThan_intTraitAgainstFloatText_castFailsSoFalse() {
    assertFalse(matches("GREATER_THAN", "t", "1.5", 2));
    assertTrue(matches("GREATER_THAN", "t", "1.5", 2.0));
  }

  @Test
  void notEqual_failedCast_isFalseToo() {
    assertFalse(matches("NOT_EQUAL", "t", "abc", 2));
    assertTrue(matches("NOT_EQUAL", "t", "3", 2));
  }

  @Test
  void lessThan_strings_orderedByCodePoint() {
    // UTF-16 order would put U+FFFF after the surrogate pair of U+1F600.
    assertTrue(matches("LESS_THAN", "t", "\uD83D\uDE00", "\uFFFF"));
    assertTrue(matches("GREATER_THAN", "t", "a", "b"));
  }

  @Test
  void contains_onlyForStrings() {
    assertFalse(matches("CONTAINS", "t", "234", "12345"));
    assertTrue(matches("CONTAINS", "t", "bc", "abcd"));
    assertFalse(matches("CONTAINS", "t", "234", 12345));
  }

  @Test
  void notContains_numbersNeverMatch() {
    assertFalse(matches("NOT_CONTAINS", "t", "9", 12345));
    assertTrue(matches("NOT_CONTAINS", "t", "x", "abc"));
    assertFalse(matches("NOT_CONTAINS", "t", "b", "abc"));
  }

  @Test
  void regex_anchoredAtStartOnly() {
    assertFalse(matches("REGEX", "t", "world", "hello-world"));
    assertTrue(matches("REGEX", "t", "hello", "hello-world"));
    assertTrue(matches("REGEX", "t", ".*world", "hello-world"));
  }

  @Test
  void regex_valuesStringifiedPythonStyle() {
    assertTrue(matches("REGEX", "t", "True", true));
    assertFalse(matches("REGEX", "t", "^0", "007"));
    assertTrue(matches("REGEX", "t", "1\\.0$", "1.0"));
  }

  @Test
  void regex_invalidPattern_falseInsteadOfError() {
    assertFalse(matches("REGEX", "t", "([", "anything"));
  }

  @Test
  void modulo_remainderTakesDivisorSign() {
    assertTrue(matches("MODULO", "t", "2|1", -3));
    assertTrue(matches("MODULO", "t", "-2|-1", 3));
  }

  @Test
  void modulo_boolTrait_countsAsInteger() {
    assertTrue(matches("MODULO", "t", "2|1", true));
  }

  @Test
  void modulo_badValues_false() {
    assertFalse(matches("MODULO", "t", "0|0", 4));
    assertFalse(matches("MODULO", "t", "2|0|1", 4));
    assertFalse(matches("MODULO", "t", "2", 4));
    assertFalse(matches("MODULO", "t", "2|0", "abc"));
    assertTrue(matches("MODULO", "t", "2|0", "4"));
  }

  @Test
  void isSet_nullOrMissingTrait_notSet() {
    assertTrue(matches("IS_NOT_SET", "t", null, null));
    assertFalse(matches("IS_NOT_SET", "t", null, "x"));
    assertTrue(matches("IS_SET", "t", null, "x"));
    assertFalse(
        FlagEngine.evaluate(context("IS_SET", "t", null, null, false)).segments().size() > 0);
    assertTrue(
        FlagEngine.evaluate(context("IS_NOT_SET", "t", null, null, false)).segments().size() > 0);
  }

  @Test
  void semver_buildMetadataIgnored_andPrefixRejected() {
    assertTrue(matches("EQUAL", "t", "1.0.0:semver", "1.0.0+b"));
    assertFalse(matches("GREATER_THAN", "t", "1.0.0:semver", "v1.2.0"));
    assertTrue(matches("GREATER_THAN", "t", "1.0.0:semver", "1.2.0"));
    assertFalse(matches("CONTAINS", "t", "1.0.0:semver", "1.0.0"));
  }

  @Test
  void percentageSplit_withoutIdentity_neverMatches() {
    ObjectNode context = context("PERCENTAGE_SPLIT", "", "100", null, false);
    assertTrue(FlagEngine.evaluate(context).segments().isEmpty());
  }

  @Test
  void percentageSplit_boolTrait_hashedAsPythonString() {
    // "segment_key,True" hashes to 32.176...
    assertTrue(matches("PERCENTAGE_SPLIT", "t", "32.18", true));
    assertFalse(matches("PERCENTAGE_SPLIT", "t", "32.17", true));
  }

  @Test
  void jsonPath_traitNamedLikeTheQuery_wins() {
    assertTrue(matches("EQUAL", "$.identity.identifier", "x", "x"));
    assertTrue(matches("EQUAL", "$.identity.identifier", "user", null));
  }

  @Test
  void jsonPath_invalidQuery_readsLiteralTrait() {
    assertTrue(matches("EQUAL", "$.identity.traits.my-trait", "v", "v"));
  }

  @Test
  void jsonPath_environmentName_matchesWithoutIdentity() {
    ObjectNode context = context("EQUAL", "$.environment.name", "Env", null, false);
    assertTrue(FlagEngine.evaluate(context).segments().size() == 1);
  }

  @Test
  void unknownOperator_neverMatches() {
    assertFalse(matches("STARTS_WITH", "t", "a", "abc"));
  }

  private static boolean matches(String operator, String property, String value, Object trait) {
    return !FlagEngine.evaluate(context(operator, property, value, trait, true))
        .segments()
        .isEmpty();
  }

  /** One segment keyed "segment_key" with one condition; the trait is stored under the property. */
  private static ObjectNode context(
      String operator, String property, String value, Object trait, boolean withIdentity) {
    ObjectNode context = Json.MAPPER.createObjectNode();
    context.putObject("environment").put("key", "env").put("name", "Env");
    if (withIdentity) {
      ObjectNode identity = context.putObject("identity").put("identifier", "user");
      ObjectNode traits = identity.putObject("traits");
      traits.set(
          property.equals("$.identity.identifier") && trait == null ? "unused" : property,
          Json.MAPPER.valueToTree(trait));
    }
    ObjectNode segment = context.putObject("segments").putObject("s");
    segment.put("key", "segment_key").put("name", "s");
    ArrayNode conditions =
        segment.putArray("rules").addObject().put("type", "ALL").putArray("conditions");
    ObjectNode condition =
        conditions.addObject().put("property", property).put("operator", operator);
    if (value != null) {
      condition.put("value", value);
    }
    context.putObject("features");
    return context;
  }
}
