package dev.flagedge.sync;

import java.io.IOException;
import java.util.Optional;

/** Where one environment's document comes from: the upstream API, a legacy endpoint, or a file. */
interface DocumentSource {

  /** The outcome of one successful attempt. */
  sealed interface Fetch permits NotModified, Fetched {}

  /** The document is unchanged since the one with the given validator. */
  record NotModified() implements Fetch {}

  /**
   * A complete document.
   *
   * @param json the document bytes (owned by the receiver)
   * @param validator what identifies this version for the next conditional attempt (an ETag, a file
   *     stamp), when there is one
   */
  record Fetched(byte[] json, Optional<String> validator) implements Fetch {}

  /**
   * What conditional state the next attempt may use; both come from the document being served.
   *
   * @param updatedAt the served document's {@code updated_at}
   * @param validator the validator the served document arrived with
   */
  record Conditions(Optional<String> updatedAt, Optional<String> validator) {
    static final Conditions NONE = new Conditions(Optional.empty(), Optional.empty());
  }

  /**
   * Fetches or reads the document once.
   *
   * @throws IOException with a message fit for {@link SyncStatus#lastError()} when the attempt
   *     fails
   */
  Fetch fetch(Conditions conditions) throws IOException;

  /** The source kind that documents from here are attributed to. */
  LoadedEnvironment.Source kind();

  /** Cancels the attempt in progress and every later one (on close); they fail promptly. */
  void cancel();
}
