package dev.flagedge.sync;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Why one attempt to fetch or read an environment's document failed, as reported to {@link
 * SyncListener#onFailure(String, SyncFailure, int)}. The message is the one {@link
 * SyncStatus#lastError()} shows; it never contains a key.
 *
 * @param kind what kind of failure it was
 * @param message what went wrong, for example {@code "upstream returned HTTP 503"}
 * @param httpStatus the upstream's HTTP status, for {@link Kind#HTTP_STATUS} and {@link
 *     Kind#UNAUTHORIZED}; empty otherwise
 * @param cause the exception behind the failure, when there is one (always for {@link
 *     Kind#INTERNAL})
 */
public record SyncFailure(
    Kind kind, String message, OptionalInt httpStatus, Optional<Throwable> cause) {

  /** The kinds of failure. New kinds may be added; treat an unknown one like {@link #INTERNAL}. */
  public enum Kind {
    /**
     * The upstream answered with an unexpected HTTP status: a 5xx, a 404, a 429, a redirect without
     * a usable {@code Location}. Usually transient.
     */
    HTTP_STATUS,
    /**
     * The upstream refused the key (HTTP 401 or 403): retrying helps only once the key is valid.
     */
    UNAUTHORIZED,
    /** The fetch did not complete within the request timeout. */
    TIMEOUT,
    /** The connection failed: name resolution, refused or reset connection, TLS, cut-off body. */
    NETWORK,
    /**
     * The upstream broke the rules of the exchange: a redirect or next-page link to another origin,
     * too many redirects or pages, a pagination loop, or a 304 when no document is cached.
     */
    PROTOCOL,
    /**
     * The document is not a valid environment document: malformed JSON, a structure that does not
     * compile, pages that cannot be merged, or more than 256 MiB.
     */
    INVALID_DOCUMENT,
    /** A local document file could not be read. */
    FILE,
    /**
     * Something unexpected went wrong, such as a bug or a failing {@linkplain
     * FlagEdgeClient.Builder#documentSupplier document supplier}; the cause is present.
     */
    INTERNAL
  }

  /**
   * Validates the components; see the record description for their meaning.
   *
   * @param kind what kind of failure it was
   * @param message what went wrong
   * @param httpStatus the upstream's HTTP status, when there was one
   * @param cause the exception behind the failure, when there is one
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if the HTTP status is not between 100 and 599
   */
  public SyncFailure {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(httpStatus, "httpStatus");
    Objects.requireNonNull(cause, "cause");
    if (httpStatus.isPresent() && (httpStatus.getAsInt() < 100 || httpStatus.getAsInt() > 599)) {
      throw new IllegalArgumentException(
          "httpStatus must be between 100 and 599: " + httpStatus.getAsInt());
    }
  }

  /**
   * A failure without HTTP status or cause, as tests of listeners need.
   *
   * @param kind what kind of failure it was
   * @param message what went wrong
   * @return the failure
   */
  public static SyncFailure of(Kind kind, String message) {
    return new SyncFailure(kind, message, OptionalInt.empty(), Optional.empty());
  }
}
