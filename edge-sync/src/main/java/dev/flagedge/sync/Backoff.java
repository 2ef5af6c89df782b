package dev.flagedge.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * The delay before an environment's next poll, a pure function of its failure streak.
 *
 * <p>Without failures the nominal delay is the poll interval; after {@code n >= 1} consecutive
 * failures it is {@code pollInterval * 2^(n-1)}, capped at {@code max(pollInterval, maxBackoff)}.
 * Jitter then shortens the nominal delay by up to 20% ({@code delay * (1 - 0.2 * r)} for {@code r}
 * in {@code [0, 1)}), so polls of many environments spread out and a delay never exceeds its
 * nominal value.
 */
final class Backoff {
  static final double JITTER = 0.2;

  // The poll interval changes while running (EnvironmentSync.pollInterval); the cap follows it.
  private volatile Duration pollInterval;
  private final Duration maxBackoff;
  private final DoubleSupplier random;

  /**
   * @param pollInterval the delay without failures, positive
   * @param maxBackoff the cap for delays after failures; the poll interval wins when larger
   * @param random uniform values in {@code [0, 1)}; values outside are clamped
   */
  Backoff(Duration pollInterval, Duration maxBackoff, DoubleSupplier random) {
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The delay without failures. */
  Duration pollInterval() {
    return pollInterval;
  }

  /** A new delay without failures, for the delays computed from now on. */
  void pollInterval(Duration pollInterval) {
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
  }

  /** The nominal delay (before jitter) after the given number of consecutive failures. */
  Duration nominal(int consecutiveFailures) {
    Duration pollInterval = this.pollInterval;
    Duration cap = maxBackoff.compareTo(pollInterval) > 0 ? maxBackoff : pollInterval;
    Duration delay = pollInterval;
    for (int i = 1; i < consecutiveFailures && delay.compareTo(cap) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(cap) > 0 ? cap : delay;
  }

  /** The jittered delay after the given number of consecutive failures. */
  Duration delay(int consecutiveFailures) {
    double r = Math.min(1.0, Math.max(0.0, random.getAsDouble()));
    Duration nominal = nominal(consecutiveFailures);
    long shortenBy = (long) (nominal.toNanos() * JITTER * r);
    return nominal.minusNanos(shortenBy);
  }
}
