package dev.flagedge.sync;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A point-in-time view of a proxy's inventory ({@link EnvironmentSync.Builder#proxyKey(String)}):
 * when it was last read, and how many environments it gives. Times come from the sync's clock.
 *
 * @param lastAttempt when the inventory was last requested
 * @param lastSuccess when it was last read successfully
 * @param lastError the error of the current failure streak; empty when the last attempt succeeded
 * @param consecutiveFailures the length of the current failure streak; 0 after a success
 * @param environments how many environments it currently gives (those served from it)
 */
public record InventoryStatus(
    Optional<Instant> lastAttempt,
    Optional<Instant> lastSuccess,
    Optional<String> lastError,
    int consecutiveFailures,
    int environments) {

  /**
   * Validates the components; see the record description for their meaning.
   *
   * @param lastAttempt when the inventory was last requested
   * @param lastSuccess when it was last read successfully
   * @param lastError the error of the current failure streak
   * @param consecutiveFailures the length of the current failure streak
   * @param environments how many environments it currently gives
   */
  public InventoryStatus {
    Objects.requireNonNull(lastAttempt, "lastAttempt");
    Objects.requireNonNull(lastSuccess, "lastSuccess");
    Objects.requireNonNull(lastError, "lastError");
    if (consecutiveFailures < 0 || environments < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
  }
}
