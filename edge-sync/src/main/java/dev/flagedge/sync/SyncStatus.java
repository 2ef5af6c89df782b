package dev.flagedge.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A point-in-time view of one environment's sync state. Times come from the {@link
 * EnvironmentSync}'s clock.
 *
 * @param clientKey the environment's client-side key
 * @param hasDocument whether a document is being served
 * @param lastAttempt when the last fetch (or file read) started
 * @param lastSuccess when a fetch (or file read) last succeeded, a 304 included; a document loaded
 *     from a snapshot is not a success
 * @param lastChange when the served document last changed, a snapshot load included
 * @param lastError the error of the current failure streak; empty when the last attempt succeeded
 * @param consecutiveFailures the length of the current failure streak; 0 after a success
 * @param documentUpdatedAt the served document's {@code updated_at}, when present
 * @param snapshotError why the snapshot could not be read or written, until a write succeeds
 */
public record SyncStatus(
    String clientKey,
    boolean hasDocument,
    Optional<Instant> lastAttempt,
    Optional<Instant> lastSuccess,
    Optional<Instant> lastChange,
    Optional<String> lastError,
    int consecutiveFailures,
    Optional<String> documentUpdatedAt,
    Optional<String> snapshotError) {

  /** The staleness reported when there was never a success: the longest representable duration. */
  static final Duration NEVER = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

  /**
   * Validates the components; see the record description for their meaning.
   *
   * @param clientKey the environment's client-side key
   * @param hasDocument whether a document is being served
   * @param lastAttempt when the last attempt started
   * @param lastSuccess when an attempt last succeeded
   * @param lastChange when the served document last changed
   * @param lastError the error of the current failure streak
   * @param consecutiveFailures the length of the current failure streak
   * @param documentUpdatedAt the served document's {@code updated_at}
   * @param snapshotError why the snapshot could not be read or written, until a write succeeds
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if {@code consecutiveFailures} is negative
   */
  public SyncStatus {
    Objects.requireNonNull(clientKey, "clientKey");
    Objects.requireNonNull(lastAttempt, "lastAttempt");
    Objects.requireNonNull(lastSuccess, "lastSuccess");
    Objects.requireNonNull(lastChange, "lastChange");
    Objects.requireNonNull(lastError, "lastError");
    Objects.requireNonNull(documentUpdatedAt, "documentUpdatedAt");
    Objects.requireNonNull(snapshotError, "snapshotError");
    if (consecutiveFailures < 0) {
      throw new IllegalArgumentException(
          "consecutiveFailures must not be negative: " + consecutiveFailures);
    }
  }

  /**
   * How long ago the last success was: {@code now - lastSuccess}, never negative. When there was
   * never a success (for example only a snapshot was loaded) this is the longest representable
   * duration, {@code Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)}, so any staleness threshold
   * is exceeded.
   *
   * @param now the current instant, normally from the same clock as the status
   * @return the staleness
   */
  public Duration staleness(Instant now) {
    Objects.requireNonNull(now, "now");
    if (lastSuccess.isEmpty()) {
      return NEVER;
    }
    Duration age = Duration.between(lastSuccess.get(), now);
    return age.isNegative() ? Duration.ZERO : age;
  }
}
