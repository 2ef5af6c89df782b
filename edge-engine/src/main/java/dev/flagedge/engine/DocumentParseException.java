package dev.flagedge.engine;

/**
 * Thrown when an environment document or evaluation context cannot be read. The message names the
 * JSON path of the offending value and the value itself, for example {@code "expected a string at
 * $.feature_states[2].feature.name, found 12"}.
 */
public final class DocumentParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message that names the JSON path and value.
   *
   * @param message what was wrong, and where
   */
  public DocumentParseException(String message) {
    super(message);
  }

  /**
   * Creates an exception caused by a lower-level failure, such as malformed JSON.
   *
   * @param message what was wrong, and where
   * @param cause the underlying failure
   */
  public DocumentParseException(String message, Throwable cause) {
    super(message, cause);
  }
}
