package dev.flagedge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Expected values were produced by CPython 3.11 ({@code repr(float(s))}, {@code int(s)}, {@code
 * float(s)}).
 */
class PythonNumbersTest {

  // ---------------------------------------------------------------- repr

  @Test
  void repr_zero_printsPointZero() {
    assertEquals("0.0", PythonNumbers.repr(0.0));
  }

  @Test
  void repr_negativeZero_keepsSign() {
    assertEquals("-0.0", PythonNumbers.repr(-0.0));
  }

  @Test
  void repr_integralValues_keepTrailingPointZero() {
    assertEquals("1.0", PythonNumbers.repr(1.0));
    assertEquals("30.0", PythonNumbers.repr(30.0));
    assertEquals("100.0", PythonNumbers.repr(100.0));
    assertEquals("1234567890123456.0", PythonNumbers.repr(1234567890123456.0));
    assertEquals("9999999999999998.0", PythonNumbers.repr(9999999999999998.0));
  }

  @Test
  void repr_simpleFractions_matchPython() {
    assertEquals("0.1", PythonNumbers.repr(0.1));
    assertEquals("1.5", PythonNumbers.repr(1.5));
    assertEquals("-1.5", PythonNumbers.repr(-1.5));
    assertEquals("33.3", PythonNumbers.repr(33.3));
    assertEquals("123456789.123", PythonNumbers.repr(123456789.123));
    assertEquals("0.6666666666666666", PythonNumbers.repr(2.0 / 3));
  }

  @Test
  void repr_sumOfTenths_showsBinaryError() {
    assertEquals("0.30000000000000004", PythonNumbers.repr(0.1 + 0.2));
  }

  @Test
  void repr_largePowerOfTen_usesShortestDigits() {
    // Java 17's Double.toString(1e23) is "9.999999999999999E22".
    assertEquals("1e+23", PythonNumbers.repr(1e23));
    assertEquals("1e+22", PythonNumbers.repr(1e22));
  }

  @Test
  void repr_exponentSixteen_switchesToScientific() {
    assertEquals("1e+16", PythonNumbers.repr(1e16));
  }

  @Test
  void repr_twoToTheSixtyThree_usesScientificShortestDigits() {
    assertEquals("9.223372036854776e+18", PythonNumbers.repr(0x1p63));
  }

  @Test
  void repr_smallMagnitudes_switchToScientificBelowOneTenThousandth() {
    assertEquals("0.0001", PythonNumbers.repr(1e-4));
    assertEquals("1e-05", PythonNumbers.repr(1e-5));
    assertEquals("1.5e-07", PythonNumbers.repr(1.5e-7));
  }

  @Test
  void repr_extremeDoubles_matchPython() {
    // Java 17's Double.toString(Double.MIN_VALUE) is "4.9E-324".
    assertEquals("5e-324", PythonNumbers.repr(Double.MIN_VALUE));
    assertEquals("1.5e-323", PythonNumbers.repr(3 * Double.MIN_VALUE));
    assertEquals("2.2250738585072014e-308", PythonNumbers.repr(Double.MIN_NORMAL));
    assertEquals("1.7976931348623157e+308", PythonNumbers.repr(Double.MAX_VALUE));
    assertEquals("-1.7976931348623157e+308", PythonNumbers.repr(-Double.MAX_VALUE));
  }

  @Test
  void repr_nonFinite_usesPythonSpelling() {
    assertEquals("nan", PythonNumbers.repr(Double.NaN));
    assertEquals("inf", PythonNumbers.repr(Double.POSITIVE_INFINITY));
    assertEquals("-inf", PythonNumbers.repr(Double.NEGATIVE_INFINITY));
  }

  @Test
  void repr_equidistantShortestCandidates_picksEvenLastDigit() {
    // 2^50 + 0.25 = 1125899906842624.25: both ...624.2 and ...624.3 read back; dtoa picks the even
    // one.
    assertEquals("1125899906842624.2", PythonNumbers.repr(0x1p50 + 0.25));
    assertEquals("1125899906842624.8", PythonNumbers.repr(0x1p50 + 0.75));
    assertEquals("1125899906842625.2", PythonNumbers.repr(0x1p50 + 1.25));
  }

  @Test
  void repr_powerOfTwoWhereNearestDoesNotRoundTrip_usesOtherNeighbour() {
    // Nearest 16 digits would be ...044e-307, which lies below the (half-width) lower round-trip
    // bound.
    assertEquals("7.120236347223045e-307", PythonNumbers.repr(Math.scalb(1.0, -1017)));
    assertEquals("5.940911144672375e-213", PythonNumbers.repr(Math.scalb(1.0, -705)));
  }

  @ParameterizedTest
  @CsvSource({
    "4.209761890039036e+17, 4.209761890039036e+17",
    "5.45e21, 5.45e+21",
    "1.55e22, 1.55e+22",
    "-1.62974451585264358E18, -1.6297445158526436e+18",
    "6.84957419290273e+16, 6.84957419290273e+16",
    "0.001, 0.001",
    "12345.678, 12345.678",
    "1e15, 1000000000000000.0",
    "1e-7, 1e-07",
    "0.3, 0.3",
    "2.5e-5, 2.5e-05",
    "123e-7, 1.23e-05",
    "4.35, 4.35",
    "1e300, 1e+300",
    "-123.456e-300, -1.23456e-298",
    "0.1e-3, 0.0001",
  })
  void repr_pythonReferenceValues_match(String literal, String expected) {
    assertEquals(expected, PythonNumbers.repr(Double.parseDouble(literal)));
  }

  @Test
  void repr_randomBitPatterns_roundTripWithNoMoreDigitsThanJava() {
    SplittableRandom random = new SplittableRandom(20240601L);
    for (int i = 0; i < 200_000; i++) {
      double x = Double.longBitsToDouble(random.nextLong());
      if (!Double.isFinite(x)) {
        continue;
      }
      String repr = PythonNumbers.repr(x);
      assertEquals(x, Double.parseDouble(repr), repr);
      assertTrue(significantDigits(repr, 'e') <= significantDigits(Double.toString(x), 'E'), repr);
    }
  }

  @Test
  void repr_randomBitPatterns_matchBruteForceShortestNearest() {
    SplittableRandom random = new SplittableRandom(42L);
    for (int i = 0; i < 20_000; i++) {
      double x = Math.abs(Double.longBitsToDouble(random.nextLong()));
      if (!Double.isFinite(x) || x == 0) {
        continue;
      }
      String repr = PythonNumbers.repr(x);
      assertEquals(0, bruteForceShortestNearest(x).compareTo(new BigDecimal(repr)), repr);
    }
  }

  // ---------------------------------------------------------------- parseInt

  @Test
  void parseInt_plainDigits_parsed() {
    assertEquals(BigInteger.valueOf(42), PythonNumbers.parseInt("42"));
    assertEquals(BigInteger.valueOf(-17), PythonNumbers.parseInt("  -17\n"));
    assertEquals(BigInteger.valueOf(5), PythonNumbers.parseInt("+5"));
    assertEquals(
        new BigInteger("123456789012345678901234567890"),
        PythonNumbers.parseInt("123456789012345678901234567890"));
  }

  @Test
  void parseInt_leadingZeros_accepted() {
    assertEquals(BigInteger.valueOf(7), PythonNumbers.parseInt("007"));
    assertEquals(BigInteger.valueOf(7), PythonNumbers.parseInt("0_7"));
    assertEquals(BigInteger.ZERO, PythonNumbers.parseInt("-0"));
  }

  @Test
  void parseInt_underscoreBetweenDigits_accepted() {
    assertEquals(BigInteger.valueOf(1000), PythonNumbers.parseInt("1_000"));
    assertEquals(BigInteger.valueOf(-100), PythonNumbers.parseInt("-1_0_0"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"_1", "1_", "1__0", "-_1", "_"})
  void parseInt_misplacedUnderscore_rejected(String s) {
    assertNull(PythonNumbers.parseInt(s));
  }

  @Test
  void parseInt_unicodeDecimalDigits_accepted() {
    assertEquals(BigInteger.valueOf(123), PythonNumbers.parseInt("\u0661\u0662\u0663"));
    assertEquals(BigInteger.valueOf(12), PythonNumbers.parseInt("\uff11\uff12"));
    // Mathematical bold digits are outside the BMP (surrogate pairs).
    assertEquals(BigInteger.valueOf(12), PythonNumbers.parseInt("\ud835\udfcf\ud835\udfd0"));
    assertEquals(BigInteger.valueOf(-31), PythonNumbers.parseInt("-\u0969\u0661"));
  }

  @Test
  void parseInt_unicodeWhitespace_stripped() {
    assertEquals(BigInteger.valueOf(42), PythonNumbers.parseInt("\u00a042\u3000"));
    assertEquals(BigInteger.valueOf(7), PythonNumbers.parseInt("\u2028 7 \u0085\u000b"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u001c1", "1\u001f", "1\u200b", "\u180e1"})
  void parseInt_separatorsPythonDoesNotSkip_rejected(String s) {
    // U+001C..U+001F are str.isspace() in Python, yet int() does not skip them.
    assertNull(PythonNumbers.parseInt(s));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "+",
        "-",
        "1.5",
        "1e3",
        "0x10",
        "1 2",
        "+-1",
        "- 1",
        "1L",
        "\u0661.\u0662",
        "Infinity",
        "nan",
        "\u00b2",
        "\u2167",
        "1\u0000",
        "\ud800",
        "\uff0b1"
      })
  void parseInt_nonIntegerSyntax_rejected(String s) {
    assertNull(PythonNumbers.parseInt(s));
  }

  @Test
  void parseInt_moreThan4300Digits_rejected() {
    assertNotNull(PythonNumbers.parseInt(" -" + "1".repeat(4300) + " "));
    assertNull(PythonNumbers.parseInt("1".repeat(4301)));
    assertNull(PythonNumbers.parseInt("0".repeat(4301)));
    // Underscores do not count towards the limit.
    assertNotNull(PythonNumbers.parseInt("1_".repeat(4299) + "1"));
    assertNull(PythonNumbers.parseInt("1_".repeat(4300) + "1"));
  }

  // ---------------------------------------------------------------- parseFloat

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1.5|1.5",
        "'  -2.5e3 '|-2500.0",
        ".5|0.5",
        "1.|1.0",
        "1E+05|100000.0",
        "+.5e-3|0.0005",
        "007|7.0",
        "12345678901234567890|1.2345678901234567e+19",
      })
  void parseFloat_decimalLiterals_parsed(String s, String expectedRepr) {
    assertEquals(expectedRepr, PythonNumbers.repr(PythonNumbers.parseFloat(s)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "inf|inf",
        "-Infinity|-inf",
        "NaN|nan",
        "iNF|inf",
        "+nan|nan",
        "-nan|nan",
        "'\tinfinity\u3000'|inf",
      })
  void parseFloat_specialWords_caseInsensitive(String s, String expectedRepr) {
    assertEquals(expectedRepr, PythonNumbers.repr(PythonNumbers.parseFloat(s)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\u0131nf",
        "\u0131nfinity",
        "\u0130NF",
        "in",
        "infinit",
        "infinite",
        "nan(1)",
        "in_f",
        "-+inf",
        "inf inf",
        "nana"
      })
  void parseFloat_nonExactSpecialWords_rejected(String s) {
    assertNull(PythonNumbers.parseFloat(s));
  }

  @Test
  void parseFloat_underscoreBetweenDigits_accepted() {
    assertEquals(10.5, PythonNumbers.parseFloat("1_0.5"));
    assertEquals(1e10, PythonNumbers.parseFloat("1e1_0"));
    assertEquals(1000.0001, PythonNumbers.parseFloat("1_000.000_1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1_.5", "1._5", "_1", "1_", "1__0", "1_e5", "1e_5", "._5", "1e5_", "-_1"})
  void parseFloat_misplacedUnderscore_rejected(String s) {
    assertNull(PythonNumbers.parseFloat(s));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.5d", "1f", "1D", "2F", "1.5e3d"})
  void parseFloat_javaSuffix_rejected(String s) {
    assertNull(PythonNumbers.parseFloat(s));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0x1p3", "0x10", "0X1.8P1"})
  void parseFloat_hexLiteral_rejected(String s) {
    assertNull(PythonNumbers.parseFloat(s));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", " ", ".", "+", "-.", "e5", ".e5", "1e", "1e+", "1.2.3", "1 2", "- 1", "+-1", "--1",
        "1e5.0", "1e5e5", "1,5", "\u001c1", "1\u001f", "\uff0e5", "\u00bd"
      })
  void parseFloat_malformed_rejected(String s) {
    assertNull(PythonNumbers.parseFloat(s));
  }

  @Test
  void parseFloat_unicodeDigitsAndWhitespace_accepted() {
    assertEquals(123.5, PythonNumbers.parseFloat("\u0661\u0662\u0663.\u0665"));
    assertEquals(15.0, PythonNumbers.parseFloat("\uff11.\uff15e\uff11"));
    assertEquals(12.0, PythonNumbers.parseFloat("\u00a0\ud835\udfcf\ud835\udfd0\u2029"));
  }

  @Test
  void parseFloat_outOfRange_followsIeee() {
    assertEquals(Double.POSITIVE_INFINITY, PythonNumbers.parseFloat("1e400"));
    assertEquals(Double.NEGATIVE_INFINITY, PythonNumbers.parseFloat("-1e400"));
    assertEquals(Double.POSITIVE_INFINITY, PythonNumbers.parseFloat("1e99999999999999999999"));
    assertEquals(Double.POSITIVE_INFINITY, PythonNumbers.parseFloat("1".repeat(5000)));
    assertEquals("0.0", PythonNumbers.repr(PythonNumbers.parseFloat("1e-400")));
    assertEquals("-0.0", PythonNumbers.repr(PythonNumbers.parseFloat("-0")));
    assertEquals("0.0", PythonNumbers.repr(PythonNumbers.parseFloat("0e99999999999999999999")));
  }

  @Test
  void parseFloat_halfwayAndBoundaryLiterals_roundCorrectly() {
    assertEquals(Double.MIN_VALUE, PythonNumbers.parseFloat("2.4703282292062328e-324"));
    assertEquals(0.0, PythonNumbers.parseFloat("2.4703282292062327e-324"));
    assertEquals(Double.MAX_VALUE, PythonNumbers.parseFloat("1.7976931348623158e308"));
    assertEquals(Double.POSITIVE_INFINITY, PythonNumbers.parseFloat("1.7976931348623159e308"));
    assertEquals(9007199254740992.0, PythonNumbers.parseFloat("9007199254740993"));
    assertEquals(0.1, PythonNumbers.parseFloat("0.1" + "0".repeat(500) + "1"));
    assertEquals(10.0, PythonNumbers.parseFloat("1e" + "0".repeat(5000) + "1"));
  }

  // ---------------------------------------------------------------- helpers

  /** Digits from the first to the last non-zero digit of the mantissa. */
  private static int significantDigits(String number, char exponentMarker) {
    int end = number.indexOf(exponentMarker);
    int first = -1;
    int last = -1;
    int position = 0;
    for (int i = 0; i < (end < 0 ? number.length() : end); i++) {
      char c = number.charAt(i);
      if (c >= '1' && c <= '9') {
        first = first < 0 ? position : first;
        last = position;
      }
      if (c >= '0' && c <= '9') {
        position++;
      }
    }
    return first < 0 ? 0 : last - first + 1;
  }

  /**
   * Linear search over p, comparing distances explicitly: independent of the production shortcuts.
   */
  private static BigDecimal bruteForceShortestNearest(double x) {
    BigDecimal exact = new BigDecimal(x);
    for (int p = 1; p <= 17; p++) {
      BigDecimal best = null;
      for (RoundingMode mode : new RoundingMode[] {RoundingMode.DOWN, RoundingMode.UP}) {
        BigDecimal candidate = exact.round(new MathContext(p, mode));
        if (candidate.doubleValue() != x) {
          continue;
        }
        if (best == null) {
          best = candidate;
          continue;
        }
        int closer = candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs());
        if (closer < 0 || (closer == 0 && !candidate.unscaledValue().testBit(0))) {
          best = candidate;
        }
      }
      if (best != null) {
        return best;
      }
    }
    throw new AssertionError("17 digits always round-trip: " + x);
  }
}
