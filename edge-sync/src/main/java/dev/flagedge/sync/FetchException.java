package dev.flagedge.sync;

import java.io.IOException;

/** A failed attempt, with a message fit for {@link SyncStatus#lastError()} (no keys in it). */
final class FetchException extends IOException {
  private static final long serialVersionUID = 1L;

  FetchException(String message) {
    super(message);
  }

  FetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
