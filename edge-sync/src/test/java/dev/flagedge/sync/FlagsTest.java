package dev.flagedge.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flagedge.engine.Environment;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagsTest {
  private static final String DOCUMENT =
      """
      {"api_key": "k", "project": {"segments": []}, "feature_states": [
        {"feature": {"id": 1, "name": "text"}, "enabled": true, "feature_state_value": "hello"},
        {"feature": {"id": 2, "name": "count"}, "enabled": false, "feature_state_value": 42},
        {"feature": {"id": 3, "name": "ratio"}, "enabled": true, "feature_state_value": 1.5},
        {"feature": {"id": 4, "name": "whole"}, "enabled": true, "feature_state_value": 3.0},
        {"feature": {"id": 5, "name": "flag"}, "enabled": true, "feature_state_value": true},
        {"feature": {"id": 6, "name": "huge"}, "enabled": true,
         "feature_state_value": 123456789012345678901234567890},
        {"feature": {"id": 7, "name": "long"}, "enabled": true,
         "feature_state_value": 9007199254740993},
        {"feature": {"id": 8, "name": "nothing"}, "enabled": true, "feature_state_value": null},
        {"feature": {"id": 9, "name": "price"}, "enabled": true, "feature_state_value": "12.34"},
        {"feature": {"id": 10, "name": "seven"}, "enabled": true, "feature_state_value": " 7 "},
        {"feature": {"id": 11, "name": "theme"}, "enabled": true,
         "feature_state_value": "{\\"dark\\": true, \\"size\\": 3}"},
        {"feature": {"id": 12, "name": "regions"}, "enabled": true,
         "feature_state_value": "[\\"eu\\", \\"us\\"]"}]}
      """;

  private final Flags flags = Flags.of(Environment.parse(DOCUMENT).environmentFlags());

  @Test
  void all_documentOrder() {
    assertEquals(
        List.of(
            "text", "count", "ratio", "whole", "flag", "huge", "long", "nothing", "price", "seven",
            "theme", "regions"),
        flags.all().stream().map(flag -> flag.name()).toList());
  }

  @Test
  void isEnabled_presentOrAbsent() {
    assertTrue(flags.isEnabled("text"));
    assertFalse(flags.isEnabled("count"));
    assertFalse(flags.isEnabled("missing"));
    assertTrue(flags.flag("missing").isEmpty());
  }

  @Test
  void value_sameType_returned() {
    assertEquals("hello", flags.value("text", "default"));
    assertEquals(true, flags.value("flag", false));
    assertEquals(42L, flags.value("count", 0L));
    assertEquals(1.5, flags.value("ratio", 0.0));
  }

  @Test
  void value_losslessNumberConversion_converted() {
    assertEquals(42, flags.value("count", 0));
    assertEquals(42.0, flags.value("count", 0.0));
    assertEquals(3, flags.value("whole", 0));
    assertEquals(3L, flags.value("whole", 0L));
    assertEquals(1.5f, flags.value("ratio", 0f));
    assertEquals(
        new BigInteger("123456789012345678901234567890"), flags.value("huge", BigInteger.ZERO));
    assertEquals(new BigDecimal("1.5"), flags.value("ratio", BigDecimal.ZERO));
    assertEquals((short) 42, flags.value("count", (short) 0));
  }

  @Test
  void value_inexactInteger_default() {
    assertEquals(7, flags.value("ratio", 7));
    assertEquals(7L, flags.value("huge", 7L));
    assertEquals(7, flags.value("huge", 7));
    assertEquals((byte) 1, flags.value("huge", (byte) 1));
    assertEquals(7, flags.value("price", 7));
  }

  @Test
  void value_floatingPointDefault_nearestValue() {
    assertEquals(9.007199254740992E15, flags.value("long", -1.0)); // 2^53 + 1 rounds
    assertEquals(1.2345678901234568E29, flags.value("huge", -1.0));
  }

  @Test
  void value_numericString_number() {
    assertEquals(12.34, flags.value("price", 0.0));
    assertEquals(12.34f, flags.value("price", 0f));
    assertEquals(new BigDecimal("12.34"), flags.value("price", BigDecimal.ZERO));
    assertEquals(7, flags.value("seven", 0));
    assertEquals(7L, flags.value("seven", 0L));
    assertEquals(" 7 ", flags.value("seven", ""), "a string default still gets the string");
  }

  @Test
  void value_jsonText_mapOrListDefault() {
    assertEquals(Map.of("dark", true, "size", 3L), flags.value("theme", Map.of()));
    assertEquals(List.of("eu", "us"), flags.value("regions", List.of()));
    assertEquals(List.of("d"), flags.value("theme", List.of("d")), "an object is no list");
    assertEquals(Map.of(), flags.value("regions", Map.of()), "an array is no map");
  }

  @Test
  void value_typeMismatchAbsentOrNull_default() {
    assertEquals("d", flags.value("count", "d"));
    assertEquals(0, flags.value("text", 0));
    assertEquals(false, flags.value("text", false));
    assertEquals("d", flags.value("missing", "d"));
    assertEquals("d", flags.value("nothing", "d"));
    assertEquals(List.of(), flags.value("text", List.of()));
  }

  @Test
  void value_nullDefault_throwsNullPointerException() {
    assertThrows(NullPointerException.class, () -> flags.value("text", null));
  }

  @Test
  void empty_hasNoFlags() {
    assertTrue(Flags.empty().all().isEmpty());
    assertEquals("d", Flags.empty().value("text", "d"));
    assertTrue(Flags.of(List.of()).all().isEmpty());
    assertEquals(
        12, Flags.of(Environment.parse(DOCUMENT).identityFlags("x", Map.of())).all().size());
  }
}
