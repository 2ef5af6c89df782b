package dev.flagedge.server;

import java.time.Duration;

/**
 * What one request may use, and what exceeding it answers. Documented in the server README
 * (Operations); every limit answers with a JSON body rather than falling over.
 */
final class Limits {
  /** Larger request bodies answer 413. */
  static final int MAX_BODY_BYTES = 1 << 20;

  /** Oversized bodies up to this size are read to the end before the 413, so clients see it. */
  static final long MAX_DRAINED_BYTES = 8L << 20;

  /** Larger request header sections answer 431. */
  static final int MAX_HEADER_BYTES = 32 * 1024;

  /** More traits in one identity request answer 422 ({@code too_long}). */
  static final int MAX_TRAITS = 1_000;

  /** Longer trait strings answer 422 ({@code string_too_long}), as in the reference. */
  static final int MAX_TRAIT_STRING = 2_000;

  /**
   * A request whose headers, or whose body, have not all arrived within this time has its
   * connection closed ({@link HeaderDeadline}, {@link RequestBody}): a slow client holds its
   * connection no longer than this. Identity bodies are small; 10 s leaves room for a slow mobile
   * link.
   */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** A request that waited longer than this for a worker answers 503 with Retry-After. */
  static final Duration MAX_QUEUE_WAIT = Duration.ofSeconds(2);

  private Limits() {}
}
