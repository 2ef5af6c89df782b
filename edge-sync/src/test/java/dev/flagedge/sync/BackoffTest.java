package dev.flagedge.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

  @Test
  void delay_noFailures_pollInterval() {
    assertEquals(TEN_SECONDS, new Backoff(TEN_SECONDS, Duration.ofMinutes(5), () -> 0).delay(0));
  }

  @Test
  void delay_consecutiveFailures_doublesFromPollInterval() {
    Backoff backoff = new Backoff(TEN_SECONDS, Duration.ofMinutes(5), () -> 0);
    assertEquals(TEN_SECONDS, backoff.delay(1));
    assertEquals(Duration.ofSeconds(20), backoff.delay(2));
    assertEquals(Duration.ofSeconds(40), backoff.delay(3));
    assertEquals(Duration.ofSeconds(160), backoff.delay(5));
  }

  @Test
  void delay_manyFailures_cappedAtMaxBackoff() {
    Backoff backoff = new Backoff(TEN_SECONDS, Duration.ofMinutes(5), () -> 0);
    assertEquals(Duration.ofMinutes(5), backoff.delay(6));
    assertEquals(Duration.ofMinutes(5), backoff.delay(Integer.MAX_VALUE));
  }

  @Test
  void delay_maxBackoffBelowPollInterval_neverFasterThanPollInterval() {
    Backoff backoff = new Backoff(TEN_SECONDS, Duration.ofSeconds(1), () -> 0);
    assertEquals(TEN_SECONDS, backoff.delay(0));
    assertEquals(TEN_SECONDS, backoff.delay(7));
  }

  @Test
  void delay_jitter_shortensByUpToTwentyPercent() {
    assertEquals(
        Duration.ofSeconds(9), new Backoff(TEN_SECONDS, Duration.ofMinutes(5), () -> 0.5).delay(0));
    assertEquals(
        Duration.ofSeconds(36),
        new Backoff(TEN_SECONDS, Duration.ofMinutes(5), () -> 0.5).delay(3));
    Duration almostAll = new Backoff(TEN_SECONDS, Duration.ofMinutes(5), () -> 0.999_999).delay(0);
    assertTrue(almostAll.compareTo(Duration.ofSeconds(8)) > 0, almostAll.toString());
  }

  @Test
  void delay_jitterOutOfRange_clamped() {
    assertEquals(TEN_SECONDS, new Backoff(TEN_SECONDS, TEN_SECONDS, () -> -3).delay(0));
    assertEquals(Duration.ofSeconds(8), new Backoff(TEN_SECONDS, TEN_SECONDS, () -> 7).delay(0));
  }

  @Test
  void delay_randomJitter_alwaysWithinBounds() {
    java.util.Random random = new java.util.Random(42);
    Backoff backoff = new Backoff(TEN_SECONDS, Duration.ofMinutes(5), random::nextDouble);
    for (int failures = 0; failures < 40; failures++) {
      Duration nominal = backoff.nominal(failures);
      Duration delay = backoff.delay(failures);
      assertTrue(
          delay.compareTo(nominal) <= 0
              && delay.compareTo(nominal.multipliedBy(8).dividedBy(10)) >= 0,
          failures + ": " + delay);
    }
  }
}
