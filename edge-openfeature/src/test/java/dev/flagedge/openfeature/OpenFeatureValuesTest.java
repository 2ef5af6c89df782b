package dev.flagedge.openfeature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.Value;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenFeatureValuesTest {
  @Test
  void toInteger_exactNumbersAndNumericStrings_converted() {
    assertEquals(42, OpenFeatureValues.toInteger(42L).value());
    assertEquals(42, OpenFeatureValues.toInteger(BigInteger.valueOf(42)).value());
    assertEquals(12, OpenFeatureValues.toInteger(12.0).value());
    assertEquals(7, OpenFeatureValues.toInteger("7").value());
    assertEquals(-7, OpenFeatureValues.toInteger(" -7 ").value());
    assertEquals(12, OpenFeatureValues.toInteger("12.0").value());
    assertEquals(Integer.MIN_VALUE, OpenFeatureValues.toInteger((long) Integer.MIN_VALUE).value());
  }

  @ParameterizedTest
  @ValueSource(strings = {"12.34", "abc", "", "NaN", "0x10", "2147483648", "1e999999999"})
  void toInteger_inexactOrNonNumericString_typeMismatch(String raw) {
    Converted<Integer> converted = OpenFeatureValues.toInteger(raw);
    assertNull(converted.value());
    assertEquals(ErrorCode.TYPE_MISMATCH, converted.error());
  }

  @Test
  void toInteger_otherTypes_typeMismatch() {
    assertEquals(ErrorCode.TYPE_MISMATCH, OpenFeatureValues.toInteger(true).error());
    assertEquals(ErrorCode.TYPE_MISMATCH, OpenFeatureValues.toInteger(12.5).error());
    assertEquals(ErrorCode.TYPE_MISMATCH, OpenFeatureValues.toInteger(3_000_000_000L).error());
    assertEquals(ErrorCode.TYPE_MISMATCH, OpenFeatureValues.toInteger(List.of(1)).error());
  }

  @Test
  void toDouble_numbersAndNumericStrings_converted() {
    assertEquals(12.34, OpenFeatureValues.toDouble("12.34").value());
    assertEquals(0.5, OpenFeatureValues.toDouble(0.5).value());
    assertEquals(50.0, OpenFeatureValues.toDouble(50L).value());
    assertEquals(1e20, OpenFeatureValues.toDouble(BigInteger.TEN.pow(20)).value());
    assertEquals(-1.5e3, OpenFeatureValues.toDouble("-1.5E3").value());
  }

  @ParameterizedTest
  @ValueSource(strings = {"NaN", "Infinity", "1e999", "twelve", "0x1p3", ""})
  void toDouble_nonFiniteOrNonNumericString_typeMismatch(String raw) {
    assertEquals(ErrorCode.TYPE_MISMATCH, OpenFeatureValues.toDouble(raw).error());
  }

  @Test
  void toStringValue_nonString_typeMismatchNamingTheValue() {
    assertEquals("on", OpenFeatureValues.toStringValue("on").value());
    Converted<String> converted = OpenFeatureValues.toStringValue(42L);
    assertEquals(ErrorCode.TYPE_MISMATCH, converted.error());
    assertEquals("expected a string, got number 42", converted.message());
  }

  @Test
  void toObject_jsonText_nestedValues() {
    Value value =
        OpenFeatureValues.toObject(" {\"a\": {\"b\": [null, 1, 2147483648, 1.5, \"x\", false]}} ")
            .value();
    List<Value> items = value.asStructure().getValue("a").asStructure().getValue("b").asList();
    assertEquals(
        Arrays.asList(
            new Value(),
            new Value(1),
            new Value(2147483648.0),
            new Value(1.5),
            new Value("x"),
            new Value(false)),
        items);
  }

  @Test
  void toObject_containerValue_converted() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("n", 5L);
    map.put("list", List.of("a"));
    Value value = OpenFeatureValues.toObject(map).value();
    assertEquals(new Value(5), value.asStructure().getValue("n"));
    assertEquals(List.of(new Value("a")), value.asStructure().getValue("list").asList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\": ", "[1, 2", "{\"a\": 1} trailing", "[1] [2]", "{a: 1}"})
  void toObject_malformedJson_parseError(String raw) {
    Converted<Value> converted = OpenFeatureValues.toObject(raw);
    assertEquals(ErrorCode.PARSE_ERROR, converted.error());
    assertTrue(converted.message().startsWith("value is not valid JSON"), converted.message());
  }

  @Test
  void toObject_scalars_typeMismatch() {
    assertEquals(ErrorCode.TYPE_MISMATCH, OpenFeatureValues.toObject("plain").error());
    assertEquals(ErrorCode.TYPE_MISMATCH, OpenFeatureValues.toObject("\"quoted\"").error());
    assertEquals(ErrorCode.TYPE_MISMATCH, OpenFeatureValues.toObject("42").error());
    assertEquals(ErrorCode.TYPE_MISMATCH, OpenFeatureValues.toObject(42L).error());
    assertEquals(ErrorCode.TYPE_MISMATCH, OpenFeatureValues.toObject(true).error());
  }
}
