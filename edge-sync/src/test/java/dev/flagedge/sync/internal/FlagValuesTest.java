package dev.flagedge.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlagValuesTest {
  @Test
  void convert_instanceOfType_asIs() {
    assertEquals(Optional.of("on"), FlagValues.convert("on", String.class));
    assertEquals(Optional.of(true), FlagValues.convert(true, Boolean.class));
    assertEquals(Optional.of(42L), FlagValues.convert(42L, Long.class));
    assertEquals(Optional.of("12.34"), FlagValues.convert("12.34", Object.class));
  }

  @Test
  void convert_null_empty() {
    assertEquals(Optional.empty(), FlagValues.convert(null, String.class));
    assertEquals(Optional.empty(), FlagValues.convert(null, Integer.class));
  }

  @Test
  void convert_integerTypes_exactWholeNumbersOnly() {
    assertEquals(Optional.of(42), FlagValues.convert(42L, Integer.class));
    assertEquals(Optional.of(12), FlagValues.convert(12.0, Integer.class));
    assertEquals(Optional.of(12), FlagValues.convert("12.0", Integer.class));
    assertEquals(Optional.of(-7), FlagValues.convert(" -7 ", Integer.class));
    assertEquals(Optional.of((short) 5), FlagValues.convert("5", Short.class));
    assertEquals(
        Optional.of(new BigInteger("123456789012345678901234567890")),
        FlagValues.convert("123456789012345678901234567890", BigInteger.class));
    assertEquals(Optional.empty(), FlagValues.convert("12.34", Integer.class));
    assertEquals(Optional.empty(), FlagValues.convert(3_000_000_000L, Integer.class));
    assertEquals(Optional.empty(), FlagValues.convert(300L, Byte.class));
    assertEquals(Optional.empty(), FlagValues.convert(12.5, Long.class));
  }

  @Test
  void convert_floatingPointTypes_nearestFiniteValue() {
    assertEquals(Optional.of(12.34), FlagValues.convert("12.34", Double.class));
    assertEquals(Optional.of(12.34f), FlagValues.convert("12.34", Float.class));
    assertEquals(Optional.of(50.0), FlagValues.convert(50L, Double.class));
    assertEquals(Optional.of(-1500.0), FlagValues.convert("-1.5E3", Double.class));
    assertEquals(
        Optional.of(9.007199254740992E15), FlagValues.convert(9007199254740993L, Double.class));
    assertEquals(Optional.of(1.1f), FlagValues.convert(1.1, Float.class));
    assertEquals(Optional.empty(), FlagValues.convert("1e999", Double.class));
    assertEquals(Optional.empty(), FlagValues.convert(1e300, Float.class));
  }

  @Test
  void convert_bigDecimal_decimalAsWritten() {
    assertEquals(
        Optional.of(new BigDecimal("12.34")), FlagValues.convert("12.34", BigDecimal.class));
    assertEquals(Optional.of(new BigDecimal("1.1")), FlagValues.convert(1.1, BigDecimal.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "", " ", "NaN", "Infinity", "0x10", "0x1p3", "12,5", "1_000"})
  void convert_nonNumericString_noNumber(String text) {
    assertEquals(Optional.empty(), FlagValues.convert(text, Double.class));
    assertEquals(Optional.empty(), FlagValues.convert(text, Integer.class));
    assertEquals(Optional.empty(), FlagValues.convert(text, BigDecimal.class));
  }

  @Test
  void convert_hugeExponentOrLongText_noNumberWithoutLongWork() {
    assertEquals(Optional.empty(), FlagValues.convert("1e999999999", BigInteger.class));
    assertEquals(Optional.empty(), FlagValues.convert("1e2147483647", BigInteger.class));
    assertEquals(Optional.empty(), FlagValues.convert("1e999999999", Long.class));
    assertEquals(Optional.empty(), FlagValues.convert("1".repeat(1001), BigInteger.class));
    assertEquals(Optional.of(0.0), FlagValues.convert("1e-999999999", Double.class));
  }

  @Test
  void convert_jsonText_mapOrList() {
    assertEquals(
        Optional.of(Map.of("a", Arrays.asList(1L, 1.5, "x", null, true))),
        FlagValues.convert(" {\"a\": [1, 1.5, \"x\", null, true]} ", Map.class));
    assertEquals(
        Optional.of(List.of("eu", "us")), FlagValues.convert("[\"eu\",\"us\"]", List.class));
    assertEquals(
        Optional.of(List.of(new BigInteger("123456789012345678901234567890"))),
        FlagValues.convert("[123456789012345678901234567890]", List.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\": ", "[1, 2", "{\"a\": 1} trailing", "[1] [2]", "{a: 1}", "plain"})
  void convert_malformedOrNonJsonText_noContainer(String text) {
    assertEquals(Optional.empty(), FlagValues.convert(text, Map.class));
    assertEquals(Optional.empty(), FlagValues.convert(text, List.class));
  }

  @Test
  void convert_containerValue_asIs() {
    Map<String, Object> map = Map.of("n", 5L);
    assertEquals(Optional.of(map), FlagValues.convert(map, Map.class));
    assertEquals(Optional.empty(), FlagValues.convert(map, List.class));
    assertEquals(Optional.empty(), FlagValues.convert("[1]", Map.class));
  }

  @Test
  void convert_noCrossTypeCoercion() {
    assertEquals(Optional.empty(), FlagValues.convert("true", Boolean.class));
    assertEquals(Optional.empty(), FlagValues.convert(42L, String.class));
    assertEquals(Optional.empty(), FlagValues.convert(true, Integer.class));
    assertEquals(Optional.empty(), FlagValues.convert(List.of(1), Integer.class));
  }

  @Test
  void convert_primitiveType_throwsIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> FlagValues.convert(1L, int.class));
    assertThrows(NullPointerException.class, () -> FlagValues.convert(1L, null));
    assertTrue(FlagValues.convert(1L, Number.class).isPresent());
  }
}
