package dev.flagedge.sync;

import dev.flagedge.engine.DocumentParseException;
import dev.flagedge.engine.Environment;
import dev.flagedge.sync.internal.Keys;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;

/**
 * An environment document being served: the compiled {@link Environment} together with the exact
 * document bytes it was compiled from. Immutable and thread-safe; a new instance replaces the old
 * one whenever the document changes, so one instance is always internally consistent.
 *
 * <p>The bytes are kept gzip-compressed (documents are repetitive JSON: a 246 KB document keeps 43
 * KB), so an environment costs about its compiled form, and a server sends the compressed form as
 * it is to clients that accept gzip, as SDKs do.
 */
public final class LoadedEnvironment {
  /** Where a document came from. */
  public enum Source {
    /** Fetched from the Flagsmith API (or a legacy v1 endpoint). */
    UPSTREAM,
    /** Read back from a snapshot written by an earlier run, before any upstream fetch succeeded. */
    SNAPSHOT,
    /** Read from a local document file (offline mode). */
    FILE,
    /**
     * Given by the application through {@link FlagEdgeClient.Builder#documentSupplier}, as tests
     * do.
     */
    SUPPLIED
  }

  private final Environment environment;
  private final byte[] gzipped;
  private final int length;
  private final String contentHash;
  private final Instant loadedAt;
  private final Source source;

  private LoadedEnvironment(
      Environment environment,
      byte[] gzipped,
      int length,
      String contentHash,
      Instant loadedAt,
      Source source) {
    this.environment = environment;
    this.gzipped = gzipped;
    this.length = length;
    this.contentHash = contentHash;
    this.loadedAt = loadedAt;
    this.source = source;
  }

  /**
   * Compiles document bytes and keeps them compressed; the array is not kept.
   *
   * @throws DocumentParseException if the bytes are not a valid environment document
   */
  static LoadedEnvironment compile(
      byte[] json, String contentHash, Instant loadedAt, Source source) {
    Environment environment = Environment.parse(json);
    return new LoadedEnvironment(
        environment, Gzip.compress(json), json.length, contentHash, loadedAt, source);
  }

  /** The same document, attributed to another source. */
  LoadedEnvironment withSource(Source newSource, Instant at) {
    return new LoadedEnvironment(environment, gzipped, length, contentHash, at, newSource);
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
   * @return a fresh copy of the UTF-8 JSON bytes, decompressed for this call
   */
  public byte[] documentJson() {
    return Gzip.decompress(gzipped, length);
  }

  /**
   * Writes the document bytes (as {@link #documentJson()} returns them), decompressing as it goes.
   *
   * @param out where to write; not closed
   * @throws IOException if writing fails
   */
  public void writeDocumentJson(OutputStream out) throws IOException {
    Gzip.decompressTo(gzipped, Objects.requireNonNull(out, "out"));
  }

  /**
   * The document bytes in the gzip format (RFC 1952), as kept, without a copy: what a server sends
   * with {@code Content-Encoding: gzip}. Each call returns a new read-only buffer positioned at 0.
   *
   * @return a read-only buffer over the gzip stream of {@link #documentJson()}
   */
  public ByteBuffer documentGzip() {
    return ByteBuffer.wrap(gzipped).asReadOnlyBuffer();
  }

  /**
   * The length of {@link #documentJson()} in bytes, without decompressing.
   *
   * @return the uncompressed length
   */
  public int documentLength() {
    return length;
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
    return "LoadedEnvironment{"
        + Keys.mask(environment.apiKey())
        + ", "
        + source
        + ", sha256="
        + contentHash.substring(0, 12)
        + ", loadedAt="
        + loadedAt
        + "}";
  }
}
