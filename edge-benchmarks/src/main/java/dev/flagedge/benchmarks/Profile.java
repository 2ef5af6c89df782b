package dev.flagedge.benchmarks;

import java.util.Locale;

/**
 * The benchmark environment profiles. Each document is generated deterministically by {@link
 * Environments}; its client-side key ({@code api_key}) is {@code bench_<name>}.
 */
public enum Profile {
  /**
   * 6 features (one multivariate, a float, a null, one server-key-only), 1 segment, 1 identity
   * override.
   */
  SIMPLE,
  /**
   * The reference proxy's published benchmark profile: 50 features, 15 segments that each override
   * every feature (750 overrides), 15 {@code EQUAL} trait conditions per segment.
   */
  HEAVY,
  /** 500 features, 200 segments with mixed operators, 100,000 identity overrides. */
  HUGE;

  /** The lower-case name used in file names and JMH parameters. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The document's client-side environment key. */
  public String apiKey() {
    return "bench_" + id();
  }

  /**
   * The profile for a lower-case name.
   *
   * @throws IllegalArgumentException if no profile has that name
   */
  public static Profile of(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }
}
