package dev.flagedge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Expected values were checked against python-semver 3.0's {@code Version.parse} and {@code
 * compare}.
 */
class SemVerTest {

  private static final String ARABIC_ONE = "\u0661";

  private static SemVer version(String text) {
    return SemVer.parse(text).orElseThrow(() -> new AssertionError("rejected: " + text));
  }

  private static int compare(String a, String b) {
    return version(a).compareTo(version(b));
  }

  @Test
  void parse_fullVersion_keepsAllParts() {
    assertEquals("1.2.3-pre.2+build.4", version("1.2.3-pre.2+build.4").toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "v1.2.0",
        "1.2",
        "01.2.3",
        "1.2.3-01",
        "1.2.3-",
        "1.2.3+",
        " 1.2.3",
        "1.2.3.4",
        "1.2.3 ",
        "1.0.0\r\n",
        "1.0.0\n\n",
        "1.0.0-a..b",
        "1.0.0+a..b",
        "1.0.0-00",
        "1.2.3-a_b",
        "",
        "1.2.-3",
        "1.2.3-\u00e9"
      })
  void parse_invalidText_rejected(String text) {
    assertEquals(Optional.empty(), SemVer.parse(text));
  }

  @Test
  void parse_null_rejected() {
    assertEquals(Optional.empty(), SemVer.parse(null));
  }

  @Test
  void parse_trailingNewline_accepted() {
    assertEquals("1.0.0", version("1.0.0\n").toString());
    assertEquals("1.0.0-a+b", version("1.0.0-a+b\n").toString());
  }

  @Test
  void parse_oddButValidPrerelease_accepted() {
    assertTrue(SemVer.parse("1.0.0-0a").isPresent());
    assertTrue(SemVer.parse("1.0.0-00a").isPresent());
    assertTrue(SemVer.parse("1.0.0--").isPresent());
    assertTrue(SemVer.parse("1.0.0-" + ARABIC_ONE + "a").isPresent());
  }

  @Test
  void parse_unicodeDigitAfterAsciiDigit_readAsNumber() {
    assertEquals("11.0.0", version("1" + ARABIC_ONE + ".0.0").toString());
    assertEquals(0, compare("1" + ARABIC_ONE + ".0.0", "11.0.0"));
  }

  @Test
  void parse_leadingUnicodeDigit_rejected() {
    assertEquals(Optional.empty(), SemVer.parse(ARABIC_ONE + ".0.0"));
  }

  @Test
  void parse_numberBeyondLong_comparedExactly() {
    assertTrue(compare("18446744073709551616.0.0", "18446744073709551615.0.0") > 0);
    assertTrue(compare("1.0.0-18446744073709551616", "1.0.0-18446744073709551615") > 0);
  }

  @Test
  void parse_moreThan4300Digits_rejected() {
    assertTrue(SemVer.parse("1".repeat(4300) + ".0.0").isPresent());
    assertFalse(SemVer.parse("1".repeat(4301) + ".0.0").isPresent());
    assertFalse(SemVer.parse("1.0." + "1".repeat(4301)).isPresent());
  }

  @Test
  void compareTo_semverOrgExample_ascending() {
    List<String> chain =
        List.of(
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0");
    for (int i = 0; i + 1 < chain.size(); i++) {
      assertTrue(
          compare(chain.get(i), chain.get(i + 1)) < 0, chain.get(i) + " < " + chain.get(i + 1));
      assertTrue(
          compare(chain.get(i + 1), chain.get(i)) > 0, chain.get(i + 1) + " > " + chain.get(i));
    }
  }

  @Test
  void compareTo_coreParts_numeric() {
    assertTrue(compare("1.10.0", "1.9.0") > 0);
    assertTrue(compare("2.0.0", "1.99.99") > 0);
    assertTrue(compare("1.0.10", "1.0.9") > 0);
  }

  @Test
  void compareTo_buildMetadata_ignored() {
    assertEquals(0, compare("1.0.0+a", "1.0.0+b"));
    assertEquals(0, compare("1.0.0+a", "1.0.0"));
    assertEquals(version("1.0.0+a"), version("1.0.0+b"));
    assertEquals(version("1.0.0+a").hashCode(), version("1.0.0+b").hashCode());
  }

  @Test
  void compareTo_releaseAgainstPrerelease_releaseHigher() {
    assertTrue(compare("1.0.0", "1.0.0-0") > 0);
    assertTrue(compare("1.0.0-rc.1", "1.0.0") < 0);
  }

  @Test
  void compareTo_numericAgainstAlphanumeric_numericLower() {
    assertTrue(compare("1.0.0-1", "1.0.0-a") < 0);
    assertTrue(compare("1.0.0-999", "1.0.0-0a") < 0);
  }

  @Test
  void compareTo_alphanumericIdentifiers_asciiOrder() {
    assertTrue(compare("1.0.0-B", "1.0.0-a") < 0);
    assertTrue(compare("1.0.0-a-1", "1.0.0-a") > 0);
    assertTrue(compare("1.0.0-alpha", "1.0.0-beta") < 0);
  }

  @Test
  void compareTo_unicodeDigitPrerelease_numeric() {
    assertEquals(0, compare("1.0.0-1" + ARABIC_ONE, "1.0.0-11"));
    assertTrue(compare("1.0.0-1" + ARABIC_ONE, "1.0.0-12") < 0);
    assertTrue(compare("1.0.0-1" + ARABIC_ONE, "1.0.0-a") < 0);
    assertTrue(compare("1.0.0-" + ARABIC_ONE + "a", "1.0.0-a") > 0);
  }
}
