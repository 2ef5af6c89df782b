package dev.flagedge.sync;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A failed attempt, with a message fit for {@link SyncStatus#lastError()} (no keys in it) and the
 * {@link SyncFailure.Kind} listeners are told.
 */
final class FetchException extends IOException {
  private static final long serialVersionUID = 1L;

  private final SyncFailure.Kind kind;
  private final int httpStatus; // 0: none

  FetchException(SyncFailure.Kind kind, String message) {
    this(kind, message, null);
  }

  FetchException(SyncFailure.Kind kind, String message, Throwable cause) {
    this(kind, message, 0, cause);
  }

  private FetchException(SyncFailure.Kind kind, String message, int httpStatus, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.httpStatus = httpStatus;
  }

  /** An unexpected HTTP status: {@link SyncFailure.Kind#UNAUTHORIZED} for 401 and 403. */
  static FetchException httpStatus(int code, String message) {
    SyncFailure.Kind kind =
        code == 401 || code == 403 ? SyncFailure.Kind.UNAUTHORIZED : SyncFailure.Kind.HTTP_STATUS;
    return new FetchException(kind, message, code, null);
  }

  SyncFailure.Kind kind() {
    return kind;
  }

  /** The failure listeners are told; its cause is this exception's cause. */
  SyncFailure failure() {
    return new SyncFailure(
        kind,
        getMessage(),
        httpStatus == 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus),
        Optional.ofNullable(getCause()));
  }
}
