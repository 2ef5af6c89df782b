package dev.flagedge.sync;

import dev.flagedge.engine.DocumentParseException;
import dev.flagedge.engine.Environment;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;

/**
 * An environment document being served: the compiled {@link Environment} together with the exact
 * document bytes it was compiled from. Immutable and thread-safe; a new instance replaces the old
 * one whenever the document changes, so one instance is always internally consistent.
 */
public final class LoadedEnvironment {
  /** Where a document came from. */
  public enum Source {
    /** Fetched from the Flagsmith API (or a legacy v1 endpoint). */
    UPSTREAM,
    /** Read back from a snapshot written by an earlier run, before any upstream fetch succeeded. */
    SNAPSHOT,
    /** Read from a local document file (offline mode). */
    FILE
  }

  private final Environment environment;
  private final byte[] json;
  private final String contentHash;
  private final Instant loadedAt;
  private final Source source;

  private LoadedEnvironment(Environment environment, byte[] json, String contentHash,
      Instant loadedAt, Source source) {
    this.environment = environment;
    this.json = json;
    this.contentHash = contentHash;
    this.loadedAt = loadedAt;
    this.source = source;
  }

  /**
   * Compiles document bytes; the array is owned by the result afterwards.
   *
   * @throws DocumentParseException if the bytes are not a valid environment document
   */
  static LoadedEnvironment compile(byte[] json, String contentHash, Instant loadedAt,
      Source source) {
    return new LoadedEnvironment(Environment.parse(json), json, contentHash, loadedAt, source);
  }

  /** The same document, attributed to another source. */
  LoadedEnvironment withSource(Source newSource, Instant at) {
    return new LoadedEnvironment(environment, json, contentHash, at, newSource);
  }

  /** The document bytes, not copied; callers must not modify them. */
  byte[] bytes() {
    return json;
  }

  /**
   * The compiled environment, ready for evaluation.
   *
   * @return the environment
   */
  public Environment environment() {
    return environment;
  }

  /**
   * The document as served by {@code /environment-document}: the upstream bytes verbatim, or, for a
   * paginated document, the first page with the {@code identity_overrides} of every page appended.
   *
   * @return a fresh copy of the UTF-8 JSON bytes
   */
  public byte[] documentJson() {
    return json.clone();
  }

  /**
   * The document bytes (as {@link #documentJson()} returns them) as a read-only view, without copying
   * them: a server keeps this rather than a second copy of the document. Each call returns a new
   * buffer, positioned at 0 with the document's length remaining, so callers never share a position.
   *
   * @return a read-only buffer over the UTF-8 JSON bytes
   */
  public ByteBuffer documentBuffer() {
    return ByteBuffer.wrap(json).asReadOnlyBuffer();
  }

  /**
   * Writes the document bytes (as {@link #documentJson()} returns them) without copying them first.
   *
   * @param out where to write; not closed
   * @throws IOException if writing fails
   */
  public void writeDocumentJson(OutputStream out) throws IOException {
    Objects.requireNonNull(out, "out").write(json);
  }

  /**
   * The lowercase hex SHA-256 of the document bytes; equal hashes mean equal documents.
   *
   * @return 64 hex digits
   */
  public String contentHash() {
    return contentHash;
  }

  /**
   * When this document started being served (or was re-attributed to another source, as when the
   * upstream confirms a snapshot).
   *
   * @return the instant, from the sync's clock
   */
  public Instant loadedAt() {
    return loadedAt;
  }

  /**
   * Where the document came from.
   *
   * @return the source
   */
  public Source source() {
    return source;
  }

  @Override
  public String toString() {
    return "LoadedEnvironment{" + Keys.mask(environment.apiKey()) + ", " + source + ", sha256="
        + contentHash.substring(0, 12) + ", loadedAt=" + loadedAt + "}";
  }
}
