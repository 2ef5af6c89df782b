package dev.flagedge.openfeature;

import dev.openfeature.sdk.ErrorCode;

/**
 * The outcome of converting a flag value to a requested type: the value, or an error code with a
 * message.
 *
 * @param value the converted value; null when {@code error} is set
 * @param error null on success, else {@link ErrorCode#TYPE_MISMATCH} or {@link
 *     ErrorCode#PARSE_ERROR}
 * @param message what went wrong; null on success
 * @param <T> the requested type
 */
record Converted<T>(T value, ErrorCode error, String message) {
  static <T> Converted<T> ok(T value) {
    return new Converted<>(value, null, null);
  }

  static <T> Converted<T> mismatch(String message) {
    return new Converted<>(null, ErrorCode.TYPE_MISMATCH, message);
  }

  static <T> Converted<T> parseError(String message) {
    return new Converted<>(null, ErrorCode.PARSE_ERROR, message);
  }
}
