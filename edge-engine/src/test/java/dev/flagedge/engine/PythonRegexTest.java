package dev.flagedge.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Expected values were produced by CPython 3.11: {@code re.match(pattern, subject) is not None}.
 */
class PythonRegexTest {

  private static final String ARABIC_DIGITS = "\u0661\u0662\u0663";
  private static final String E_ACUTE = "\u00e9";

  /** U+1D400 MATHEMATICAL BOLD CAPITAL A: a letter outside the BMP. */
  private static final String BOLD_A = "\ud835\udc00";

  private static final String GRINNING = "\ud83d\ude00";

  private static boolean matches(String pattern, String subject) {
    Pattern compiled =
        PythonRegex.compile(pattern).orElseThrow(() -> new AssertionError("rejected: " + pattern));
    return PythonRegex.matchesAtStart(compiled, subject);
  }

  @Test
  void compile_plainText_anchoredAtStartOnly() {
    assertFalse(matches("world", "hello-world"));
    assertTrue(matches(".*world", "hello-world"));
    assertTrue(matches("world", "world peace"));
    assertTrue(matches("", "anything"));
  }

  @Test
  void compile_caretZero_needsLeadingZero() {
    assertFalse(matches("^0", "7"));
    assertTrue(matches("^0", "007"));
  }

  @Test
  void compile_digitClass_unicodeAware() {
    assertTrue(matches("\\d+$", ARABIC_DIGITS));
    assertFalse(matches("(?a)\\d", "\u0661"));
  }

  @Test
  void compile_wordClass_pythonIsalnum() {
    assertTrue(matches("\\w", E_ACUTE));
    assertFalse(matches("(?a)\\w", E_ACUTE));
    assertTrue(matches("\\w", "\u00b2"));
    assertFalse(matches("\\w", "\u0301"));
  }

  @Test
  void compile_spaceClass_pythonIsspace() {
    assertTrue(matches("\\s", "\u3000"));
    assertTrue(matches("\\s", "\u001c"));
    assertFalse(matches("(?a)\\s", "\u3000"));
  }

  @Test
  void compile_wordBoundary_unicodeWords() {
    assertTrue(matches("\\bfoo\\b", "foo bar"));
    assertFalse(matches("\\bfoo\\b", "foobar"));
    assertFalse(matches(E_ACUTE + "\\b", E_ACUTE + "a"));
    assertTrue(matches(".\\b", BOLD_A));
    assertTrue(matches(".\\B", BOLD_A + "b"));
  }

  @Test
  void compile_nonBoundaryOnEmptySubject_noMatch() {
    assertFalse(matches("\\B", ""));
  }

  @Test
  void compile_namedGroup_translated() {
    assertTrue(matches("(?P<name>ab)(?P=name)", "abab"));
    assertFalse(matches("(?P<name>ab)(?P=name)", "abac"));
    assertTrue(matches("(?P<" + E_ACUTE + "_1>x)(?P=" + E_ACUTE + "_1)", "xx"));
  }

  @Test
  void compile_numberedBackReference_translated() {
    assertTrue(matches("(a)(b)\\2\\1", "abba"));
    assertFalse(matches("(a)(b)\\2\\1", "abab"));
  }

  @Test
  void compile_braceNotQuantifier_literal() {
    assertTrue(matches("a{", "a{"));
    assertTrue(matches("a{,", "a{,"));
    assertTrue(matches("x{a}", "x{a}"));
    assertTrue(matches("a{}", "a{}"));
    assertTrue(matches("a{1,x}", "a{1,x}"));
  }

  @Test
  void compile_missingLowerBound_meansZero() {
    assertTrue(matches("^a{,2}b", "aab"));
    assertFalse(matches("^a{,2}b", "aaab"));
    assertTrue(matches("x{,}y", "xxxy"));
  }

  @Test
  void compile_bracketInsideClass_literal() {
    assertTrue(matches("[[]", "["));
    assertTrue(matches("[]a]", "]"));
    assertTrue(matches("[^]a]", "b"));
  }

  @Test
  void compile_doubleAmpersandInClass_literal() {
    assertTrue(matches("[a&&b]", "&"));
    assertTrue(matches("[a&&b]", "b"));
    assertFalse(matches("[a&&b]", "c"));
  }

  @Test
  void compile_ignoreCaseFlag_applied() {
    assertTrue(matches("(?i)abc", "ABC"));
    assertTrue(matches("(?i)" + E_ACUTE + "cole", "\u00c9COLE"));
    assertFalse(matches("(?ai)" + E_ACUTE, "\u00c9"));
  }

  @Test
  void compile_scopedFlags_limitedToGroup() {
    assertTrue(matches("(?i:a)b", "Ab"));
    assertFalse(matches("(?i:a)b", "AB"));
    assertTrue(matches("(?i)(?-i:a)b", "aB"));
    assertFalse(matches("(?i)(?-i:a)b", "AB"));
  }

  @Test
  void compile_backslashZ_endOfStringOnly() {
    assertTrue(matches("abc\\Z", "abc"));
    assertFalse(matches("abc\\Z", "abc\n"));
    assertTrue(matches("abc$", "abc\n"));
    assertFalse(matches("abc$", "abc\n\n"));
  }

  @Test
  void compile_dot_excludesOnlyNewline() {
    assertTrue(matches(".", "\r"));
    assertTrue(matches(".", "\u2028"));
    assertFalse(matches(".", "\n"));
    assertTrue(matches("(?s).", "\n"));
  }

  @Test
  void compile_multilineCaret_matchesAfterFinalNewline() {
    assertTrue(matches("(?m)a\n^", "a\n"));
    assertFalse(matches("a\n^", "a\n"));
    assertTrue(matches("(?m)a$", "a\nb"));
  }

  @Test
  void compile_verboseFlag_dropsWhitespaceAndComments() {
    assertTrue(matches("(?x) a b # c", "ab"));
    assertTrue(matches("(?x)[ ]", " "));
    assertTrue(matches("(?x)a\\ b", "a b"));
    assertTrue(matches("(?#comment)a", "a"));
  }

  @Test
  void compile_lookbehind_stepsBackWholeCodePoints() {
    assertTrue(matches(".(?<=a)b", "ab"));
    assertTrue(matches(GRINNING + "(?<=" + GRINNING + ")x", GRINNING + "x"));
    assertTrue(matches(".(?<=\\w)", BOLD_A));
    assertFalse(matches(".(?<!\\w)", BOLD_A));
  }

  @Test
  void compile_backReferenceInLookbehind_supported() {
    assertTrue(matches("(a)(?<=\\1)", "a"));
  }

  @Test
  void compile_conditional_emulated() {
    assertTrue(matches("(a)?(?(1)b|c)", "ab"));
    assertTrue(matches("(a)?(?(1)b|c)", "c"));
    assertFalse(matches("(a)?(?(1)b|c)", "ac"));
    assertTrue(matches("(?P<x>a)?(?(x)b|c)", "ab"));
  }

  @Test
  void compile_conditionOnLaterGroup_rejected() {
    // Valid Python; Java cannot refer to a group it has not parsed yet.
    assertEquals(Optional.empty(), PythonRegex.compile("(?(1)a|b)(x)"));
  }

  @Test
  void compile_possessiveAndAtomic_noBacktracking() {
    assertFalse(matches("a*+a", "aaa"));
    assertFalse(matches("(?>a*)a", "aaa"));
    assertTrue(matches("a*?b", "aab"));
  }

  @Test
  void compile_escapes_pythonMeaning() {
    assertTrue(matches("\\x41\\u0042\\U00000043\\N{LATIN SMALL LETTER D}", "ABCd"));
    assertTrue(matches("\\101\\0", "A\u0000"));
    assertTrue(matches("[\\b]", "\b"));
    assertTrue(matches("\\v", "\u000b"));
    assertFalse(matches("\\v", "\n"));
  }

  @Test
  void compile_failedBranchAfterRepeatedGroup_forgetsCapture() {
    assertFalse(matches("(?:(a)){2}_|a\\1", "aa"));
    assertTrue(matches("()*?x\\1", "x"));
  }

  @Test
  void compile_repeatBeyondJavaInt_neverMatches() {
    assertFalse(matches("a{2147483648}", "a"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "(",
        "[a",
        "*a",
        "\\p{L}",
        "\\q",
        "a**",
        "a)",
        "(?<n>a)",
        "\\8",
        "(a)\\2",
        "(a\\1)",
        "a(?i)",
        "(?L)a",
        "(?au:a)",
        "(?-i)a",
        "[z-a]",
        "[a-\\d]",
        "\\x4",
        "\\U00110000",
        "abc\\",
        "^*",
        "\\b*",
        "(?<=a+)",
        "(?<=a|bc)",
        "(?P<a>x)(?P<a>y)",
        "(?P<1a>x)",
        "a{2,1}",
        "a{4294967295}",
        "\\N{NOT A NAME}",
        "(?t)a*",
        "(?a)(?u)x",
        "[]",
        "(?#unterminated",
        "[\\A]",
        "(?P=missing)",
        "(?(0)a)",
        "(a)(?(1)a|b|c)"
      })
  void compile_invalidPattern_empty(String pattern) {
    assertEquals(Optional.empty(), PythonRegex.compile(pattern));
  }

  @Test
  void compile_null_empty() {
    assertEquals(Optional.empty(), PythonRegex.compile(null));
  }

  @Test
  void matchesAtStart_matcherFailure_doesNotThrow() {
    // JDK 17's case-insensitive back-reference overruns on characters outside the BMP.
    Pattern backReference = PythonRegex.compile("(?i)(" + GRINNING + ")\\1").orElseThrow();
    assertDoesNotThrow(() -> PythonRegex.matchesAtStart(backReference, GRINNING + GRINNING));
    Pattern alternation = PythonRegex.compile("(?:a|b)*c").orElseThrow();
    assertDoesNotThrow(() -> PythonRegex.matchesAtStart(alternation, "ab".repeat(200_000)));
  }
}
