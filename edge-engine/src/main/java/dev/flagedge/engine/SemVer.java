package dev.flagedge.engine;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version as python-semver 3.0 parses it with {@code Version.parse} (strict) and orders it with
 * {@code Version.compare}. Immutable and thread-safe.
 *
 * <p>Python quirks kept on purpose, because the reference engine shows them:
 *
 * <ul>
 *   <li>{@code \d} in python-semver's regex is Unicode-aware, so after a leading ASCII digit any
 *       Unicode decimal digit (category Nd) may follow, and {@code int()} reads it: "1" followed by
 *       U+0661 ARABIC-INDIC DIGIT ONE and ".0.0" is 11.0.0. A number must still start with ASCII
 *       {@code 0-9}, so U+0661 alone as major is rejected. Letters stay ASCII.
 *   <li>A prerelease identifier made of Unicode digits only is numeric ({@code re.match(r"^\d+$",
 *       x)}).
 *   <li>The regex ends in {@code $}, which also matches before one final {@code "\n"}: {@code
 *       "1.0.0\n"} parses.
 *   <li>{@code int()} refuses strings of more than 4300 digits, so such a major, minor or patch is
 *       rejected.
 *   <li>When all shared prerelease identifiers are equal, the lengths of the prerelease strings (in
 *       code points) decide; for valid input that is the same as "fewer identifiers is lower".
 * </ul>
 *
 * <p>Known divergences: when the cores are equal and a numeric prerelease identifier has more than
 * 4300 digits, Python raises while comparing; here it is compared as a number. Which characters are
 * Unicode digits follows the JDK's Unicode version, not Python's.
 */
final class SemVer implements Comparable<SemVer> {

  private static final String NUMBER = "(0|[1-9]\\p{Nd}*)";
  private static final String PRE_ID = "(?:0|[1-9]\\p{Nd}*|\\p{Nd}*[a-zA-Z-][0-9a-zA-Z-]*)";
  private static final String BUILD_ID = "[0-9a-zA-Z-]+";

  /** Used with {@code matches()}; the trailing {@code \n?} stands for Python's {@code $}. */
  private static final Pattern STRICT =
      Pattern.compile(
          NUMBER + "\\." + NUMBER + "\\." + NUMBER + "(?:-(" + PRE_ID + "(?:\\." + PRE_ID + ")*))?"
              + "(?:\\+(" + BUILD_ID + "(?:\\." + BUILD_ID + ")*))?" + "\\n?");

  /** CPython's default {@code sys.get_int_max_str_digits()}. */
  private static final int MAX_INT_DIGITS = 4300;

  private final BigInteger major;
  private final BigInteger minor;
  private final BigInteger patch;
  private final String prerelease;
  private final String build;

  private SemVer(
      BigInteger major, BigInteger minor, BigInteger patch, String prerelease, String build) {
    this.major = major;
    this.minor = minor;
    this.patch = patch;
    this.prerelease = prerelease;
    this.build = build;
  }

  /** Parses {@code text} strictly; empty when python-semver would raise. */
  static Optional<SemVer> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = STRICT.matcher(text);
    if (!m.matches() || tooLong(m.group(1)) || tooLong(m.group(2)) || tooLong(m.group(3))) {
      return Optional.empty();
    }
    return Optional.of(
        new SemVer(
            toInteger(m.group(1)),
            toInteger(m.group(2)),
            toInteger(m.group(3)),
            m.group(4),
            m.group(5)));
  }

  @Override
  public int compareTo(SemVer other) {
    int core = compareCore(other);
    if (core != 0) {
      return core;
    }
    int pre = comparePrerelease(orEmpty(prerelease), orEmpty(other.prerelease));
    if (pre == 0) {
      return 0;
    }
    // A release outranks any prerelease of the same core.
    if (prerelease == null) {
      return 1;
    }
    return other.prerelease == null ? -1 : pre;
  }

  private int compareCore(SemVer other) {
    int c = major.compareTo(other.major);
    if (c == 0) {
      c = minor.compareTo(other.minor);
    }
    if (c == 0) {
      c = patch.compareTo(other.patch);
    }
    return Integer.signum(c);
  }

  /** python-semver's {@code _nat_cmp}. */
  private static int comparePrerelease(String a, String b) {
    String[] aParts = a.split("\\.", -1);
    String[] bParts = b.split("\\.", -1);
    for (int i = 0; i < Math.min(aParts.length, bParts.length); i++) {
      int c = compareIdentifier(aParts[i], bParts[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.signum(Integer.compare(codePointLength(a), codePointLength(b)));
  }

  private static int compareIdentifier(String a, String b) {
    boolean aNumeric = isNumeric(a);
    boolean bNumeric = isNumeric(b);
    if (aNumeric && bNumeric) {
      return Integer.signum(toInteger(a).compareTo(toInteger(b)));
    }
    if (aNumeric != bNumeric) {
      return aNumeric ? -1 : 1;
    }
    return Integer.signum(compareCodePoints(a, b));
  }

  /** Python's {@code re.match(r"^\d+$", x)}; identifiers never contain a newline. */
  private static boolean isNumeric(String s) {
    return !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
  }

  private static BigInteger toInteger(String digits) {
    BigInteger value = BigInteger.ZERO;
    for (int cp : digits.codePoints().toArray()) {
      value = value.multiply(BigInteger.TEN).add(BigInteger.valueOf(Character.digit(cp, 10)));
    }
    return value;
  }

  private static boolean tooLong(String digits) {
    return codePointLength(digits) > MAX_INT_DIGITS;
  }

  private static int codePointLength(String s) {
    return s.codePointCount(0, s.length());
  }

  /** Python orders str by code point; Java's compareTo orders by UTF-16 unit. */
  private static int compareCodePoints(String a, String b) {
    int[] x = a.codePoints().toArray();
    int[] y = b.codePoints().toArray();
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] != y[i]) {
        return Integer.compare(x[i], y[i]);
      }
    }
    return Integer.compare(x.length, y.length);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  /** Consistent with {@link #compareTo}: build metadata is ignored. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SemVer && compareTo((SemVer) o) == 0;
  }

  @Override
  public int hashCode() {
    // Prerelease is left out: "1.0.0-11" and "1.0.0-1" + U+0661 are equal yet spelled differently.
    return Objects.hash(major, minor, patch, prerelease == null);
  }

  /**
   * python-semver's {@code str()}: parts as ASCII decimal numbers, prerelease and build as given.
   */
  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder().append(major).append('.').append(minor).append('.').append(patch);
    if (prerelease != null) {
      sb.append('-').append(prerelease);
    }
    if (build != null) {
      sb.append('+').append(build);
    }
    return sb.toString();
  }
}
