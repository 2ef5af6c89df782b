package dev.flagedge.engine;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Compiles a Python 3.11 {@code re} pattern (a str pattern, no flags argument) into an equivalent
 * {@link Pattern}. Callers match with {@link #matchesAtStart} (or {@code
 * matcher(subject).lookingAt()}), which is Python's {@code re.match}: anchored at the start only.
 *
 * <p>The pattern is parsed the way CPython's {@code sre_parse} does, so anything Python rejects is
 * rejected here (bad escapes such as {@code \p} or {@code \q}, unbalanced groups, nothing/multiple
 * repeat, references to unknown or open groups, variable-width look-behind, bad inline flags).
 * Every construct is then written out explicitly rather than relying on Java's meaning of the same
 * spelling:
 *
 * <ul>
 *   <li>literals become {@code \x{..}}, so Java's {@code &&}, nested {@code [} and bare braces lose
 *       their meaning;
 *   <li>{@code \d \w \s \b} and their negations are Unicode sets ({@code \p{Nd}}; {@code
 *       [\p{L}\p{N}_]}, which is Python's {@code str.isalnum()} plus underscore; White_Space plus
 *       U+001C..U+001F), or ASCII sets under {@code (?a)}; {@code \b}/{@code \B} are look-arounds
 *       over that word set, and {@code \B} never matches an empty string, as in Python 3.11;
 *   <li>{@code . ^ $} follow Python's newline rules (only {@code \n}; {@code (?m)^} also matches at
 *       the end after a final newline); {@code \Z} is {@code \z};
 *   <li>groups are renamed {@code g1, g2, ...} after their Python number, so Python names need not
 *       be valid Java names; {@code (?P=name)} and {@code \N} become {@code \k<gN>};
 *   <li>{@code (?<=X)} becomes {@code (?<=(?=X).{w})} with {@code w} the fixed width Python
 *       computed, which lets back-references appear inside and steps back over whole code points; a
 *       plain look-behind first checks that {@code w} code points precede, because Java otherwise
 *       tries the body at the start of the input and keeps its captures;
 *   <li>a repeated item that holds a capture group gets an extra branch {@code |(?!)}, which makes
 *       Java use its general loop: that loop undoes captures on backtracking, and keeps a group's
 *       empty iteration, as Python does;
 *   <li>conditionals {@code (?(g)yes|no)} are emulated with an empty marker group at the end of
 *       group {@code g} (then Java's group numbers no longer equal Python's); Java cannot refer to
 *       a group it has not parsed yet, so a condition on a group that is still open or comes later
 *       is rejected.
 * </ul>
 *
 * <p>Known divergences, where Python accepts a pattern that is rejected here (compile gives empty)
 * or matches differently:
 *
 * <ul>
 *   <li>Unicode tables are the JDK's (Unicode 13 on Java 17), not Python's (14 on 3.11, 15 on
 *       3.12).
 *   <li>Case-insensitive matching uses Java's simple case mapping; Python adds a few equivalences
 *       of its own, so a handful of characters differ.
 *   <li>A condition {@code (?(g)...)} on a group that is still open or defined later is rejected.
 *   <li>A count of 2^31 or more on an item that can match the empty string, and a look-behind at
 *       least 2^31 code points wide, are rejected.
 *   <li>{@code \N{name}} uses the JDK's name table: no aliases, no named sequences, other spellings
 *       for derived names.
 *   <li>Group names are checked with Java's identifier predicates, not Python's NFKC-based rules.
 *   <li>Flag and syntax rules are CPython 3.11's: {@code (?t)} is accepted unless the pattern
 *       repeats, atomic groups and possessive quantifiers are accepted (older Pythons reject them).
 *   <li>Java keeps the captures made inside a look-around, an atomic group or a possessive repeat
 *       when a later part fails and another alternative is tried, and those made inside a negative
 *       look-around whose body matched; Python drops them. Only back-references and conditionals to
 *       such groups can tell.
 *   <li>Java's matcher can throw where Python answers; {@link #matchesAtStart} turns that into
 *       false.
 * </ul>
 *
 * <p>This class is stateless and thread-safe. The translation is split by concern: {@link
 * PythonRegexTokens} (the tokenizer), {@link PythonRegexFlags} (inline flags), {@link
 * PythonRegexEscapes} (escapes naming code points, and character classes), {@link
 * PythonRegexSyntax} (the Java text written for each construct) and {@link PythonRegexTranslator}
 * (the parser, which keeps the per-pattern state).
 */
final class PythonRegex {
  private PythonRegex() {}

  /**
   * The Java equivalent of {@code re.compile(pythonPattern)}; empty when Python or Java rejects it.
   */
  static Optional<Pattern> compile(String pythonPattern) {
    if (pythonPattern == null) {
      return Optional.empty();
    }
    try {
      PythonRegexTranslator first = new PythonRegexTranslator(pythonPattern, Set.of());
      String java = first.translate();
      int flags = first.javaFlags();
      if (!first.conditionGroups.isEmpty()) {
        // Marker groups must be emitted inside groups that a later conditional refers to: parse
        // again.
        PythonRegexTranslator second =
            new PythonRegexTranslator(pythonPattern, first.conditionGroups);
        java = second.translate();
      }
      return Optional.of(Pattern.compile(java, flags));
    } catch (RuntimeException | StackOverflowError e) {
      return Optional.empty();
    }
  }

  /**
   * Python's {@code pattern.match(subject) is not None} for a pattern from {@link #compile}. False
   * where Java's matcher fails: {@link StackOverflowError} on deep backtracking, and JDK 17's
   * case-insensitive back-reference bug, which throws {@link IndexOutOfBoundsException} on some
   * groups holding characters outside the BMP.
   */
  static boolean matchesAtStart(Pattern pattern, CharSequence subject) {
    try {
      return pattern.matcher(subject).lookingAt();
    } catch (RuntimeException | StackOverflowError e) {
      return false;
    }
  }

  /** A pattern Python or this translation rejects; ends the translation. */
  static InvalidPattern invalid(String message) {
    return new InvalidPattern(message);
  }

  static final class InvalidPattern extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidPattern(String message) {
      super(message, null, false, false);
    }
  }
}
