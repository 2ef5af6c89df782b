package dev.flagedge.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonWriterTest {
  @Test
  void string_controlCharacters_shortFormsAndLowercaseUnicodeEscapes() {
    assertEquals(
        "\"\\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u001f\\u000b\"",
        JsonWriter.quote("\"\\\b\f\n\r\t\u0000\u001f\u000b"));
  }

  @Test
  void string_nonAscii_writtenVerbatimAsUtf8() {
    byte[] bytes = new JsonWriter(4).value("é€\ud83d\ude00").toByteArray();
    assertArrayEquals("\"é€\ud83d\ude00\"".getBytes(StandardCharsets.UTF_8), bytes);
  }

  @Test
  void string_loneSurrogate_becomesQuestionMark() {
    assertEquals("\"a?b\"", JsonWriter.quote("a\ud800b"));
  }

  @Test
  void number_floats_inPythonReprForm() {
    assertEquals("1e-05", JsonWriter.number(1e-5));
    assertEquals("1e+16", JsonWriter.number(1e16));
    assertEquals("1.7976931348623157e+308", JsonWriter.number(Double.MAX_VALUE));
    assertEquals("5e-324", JsonWriter.number(Double.MIN_VALUE));
    assertEquals("0.1", JsonWriter.number(0.1));
    assertEquals("-0.0", JsonWriter.number(-0.0));
    assertEquals("100.0", JsonWriter.number(100));
  }

  @Test
  void number_notFinite_isNull() {
    assertEquals("null", JsonWriter.number(Double.NaN));
    assertEquals("null", JsonWriter.number(Double.NEGATIVE_INFINITY));
  }

  @Test
  void writer_growsPastItsCapacity() {
    JsonWriter out = new JsonWriter(1).beginArray();
    for (int i = 0; i < 100; i++) {
      out.value("x".repeat(i));
    }
    assertEquals(1 + 100 * 2 + 99 * 100 / 2 + 99, out.toByteArray().length);
  }

  @Test
  void structured_nestedObjectsAndArrays_commasWhereTheyBelong() {
    JsonWriter out = new JsonWriter(16);
    out.beginObject()
        .name("status")
        .value("ok")
        .name("count")
        .value(3)
        .name("empty")
        .beginArray()
        .endArray()
        .name("items")
        .beginArray()
        .beginObject()
        .name("a")
        .value(true)
        .endObject()
        .beginObject()
        .endObject()
        .value((String) null)
        .rawValue("[1,2]".getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .endArray()
        .name("last")
        .value("é\"")
        .endObject();
    assertEquals(
        "{\"status\":\"ok\",\"count\":3,\"empty\":[],\"items\":[{\"a\":true},{},null,[1,2]],"
            + "\"last\":\"é\\\"\"}",
        out.toString());
  }

  @Test
  void structured_nesting60Deep_siblingsAfterEachLevel() {
    JsonWriter out = new JsonWriter(16);
    for (int i = 0; i < 60; i++) {
      out.beginArray().value(i);
    }
    for (int i = 0; i < 60; i++) {
      out.endArray();
      if (i < 59) {
        out.value(-1);
      }
    }
    String text = out.toString();
    assertTrue(text.startsWith("[0,[1,[2,"), text);
    assertTrue(text.contains("[58,[59],-1],-1]") && text.endsWith("],-1],-1]"), text);
  }

  @Test
  void structured_rawValuesFloatsAndNulls_separatedLikeOtherValues() {
    JsonWriter out = new JsonWriter(16);
    out.beginArray()
        .rawValue("12345678901234567890")
        .rawValue("\"é\"")
        .value(0.1)
        .value(1e-5)
        .value(Double.NaN)
        .nullValue()
        .beginObject()
        .name("n")
        .nullValue()
        .name("f")
        .value(100.0)
        .endObject()
        .endArray();
    assertEquals(
        "[12345678901234567890,\"é\",0.1,1e-05,null,null,{\"n\":null,\"f\":100.0}]",
        out.toString());
  }

  @Test
  void string_escapesThenAscii_fitAnArrayOfExactlyTheReservedSize() {
    // 10 chars reserve 32 bytes; five six-byte escapes take 31 of them before the ASCII comes.
    String text = "\u0001".repeat(5) + "aaaaa";
    assertEquals(
        "\"" + "\\u0001".repeat(5) + "aaaaa\"",
        new JsonWriter(new byte[32]).value(text).toString());
  }

  @Test
  void name_encodedOnce_writtenLikeTheSameTextAndSeparatedLikeAnyName() {
    JsonWriter.Name key = JsonWriter.Name.of("trait_\"key\"");
    JsonWriter.Name value = JsonWriter.Name.of("é");
    String expected =
        new JsonWriter(16)
            .beginObject()
            .name("trait_\"key\"")
            .value("a")
            .name("é")
            .value(1)
            .endObject()
            .toString();
    String actual =
        new JsonWriter(16)
            .beginObject()
            .name(key)
            .value("a")
            .name(value)
            .value(1)
            .endObject()
            .toString();
    assertEquals("{\"trait_\\\"key\\\"\":\"a\",\"é\":1}", expected);
    assertEquals(expected, actual);
  }
}
