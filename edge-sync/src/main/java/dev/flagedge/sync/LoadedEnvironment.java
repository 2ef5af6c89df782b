package dev.flagedge.sync;

import dev.flagedge.engine.DocumentParseException;
import dev.flagedge.engine.Environment;
import dev.flagedge.sync.internal.Keys;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * An environment document being served: the compiled {@link Environment} together with the exact
 * document bytes it was compiled from. Thread-safe, and its value never changes: a new instance
 * replaces the old one whenever the document changes, so one instance is always internally
 * consistent.
 *
 * <p>The bytes are kept as they arrived: loading a document costs its parse and nothing more, and
 * an application that embeds a client (one or a few environments) never pays to compress them. A
 * holder of many environments that keeps each document in a smaller form anyway, as the FlagEdge
 * server keeps it gzip-compressed to serve it, hands that form over with {@link #keepDocumentIn}
 * and this instance drops its own copy, so the bytes are not kept twice.
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

  /**
   * Another form of a document's bytes, such as compressed, in which a {@link LoadedEnvironment}
   * can keep them instead of as they are: see {@link LoadedEnvironment#keepDocumentIn}.
   */
  @FunctionalInterface
  public interface DocumentForm {
    /**
     * Writes the document's bytes, exactly as they were, to {@code out}. Called from any thread,
     * possibly concurrently.
     *
     * @param out where to write; not to be closed
     * @throws IOException if writing to {@code out} fails
     */
    void writeTo(OutputStream out) throws IOException;
  }

  private final Environment environment;
  private final Document document;
  private final String contentHash;
  private final Instant loadedAt;
  private final Source source;

  private LoadedEnvironment(
      Environment environment,
      Document document,
      String contentHash,
      Instant loadedAt,
      Source source) {
    this.environment = environment;
    this.document = document;
    this.contentHash = contentHash;
    this.loadedAt = loadedAt;
    this.source = source;
  }

  /**
   * Compiles document bytes and keeps them: the array becomes this instance's, and the caller must
   * not change it.
   *
   * @throws DocumentParseException if the bytes are not a valid environment document
   */
  static LoadedEnvironment compile(
      byte[] json, String contentHash, Instant loadedAt, Source source) {
    Environment environment = Environment.parse(json);
    return new LoadedEnvironment(environment, new Document(json), contentHash, loadedAt, source);
  }

  /**
   * The same document, attributed to another source. The two share how the bytes are kept: a form
   * handed to either is the other's too.
   */
  LoadedEnvironment withSource(Source newSource, Instant at) {
    return new LoadedEnvironment(environment, document, contentHash, at, newSource);
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
    return document.copy();
  }

  /**
   * Writes the document bytes (as {@link #documentJson()} returns them) without copying them first.
   *
   * @param out where to write; not closed
   * @throws IOException if writing fails
   */
  public void writeDocumentJson(OutputStream out) throws IOException {
    document.writeTo(Objects.requireNonNull(out, "out"));
  }

  /**
   * The length of {@link #documentJson()} in bytes.
   *
   * @return the length
   */
  public int documentLength() {
    return document.length;
  }

  /**
   * Keeps the document bytes in {@code form} from now on and drops this instance's own copy of
   * them: {@link #documentJson()} and {@link #writeDocumentJson} then read through the form. For a
   * holder of many environments that keeps each document in a smaller form anyway (the FlagEdge
   * server keeps it gzip-compressed, to serve it); a heavy document is 246 KB as it is.
   *
   * <p>The form is checked first: it must write exactly the document's bytes, which are compared
   * with the copy about to be dropped, so no form can change what this instance serves. Instances
   * made from this one for the same document share the form. Only the first form is kept: once the
   * bytes are kept in one, a later call changes nothing and returns false.
   *
   * @param form writes the document's bytes; kept for as long as this instance
   * @return whether the bytes are now kept in {@code form}; false if they already were in another
   * @throws IllegalArgumentException if the form writes other bytes, or cannot write them (the
   *     bytes are then kept as they were)
   */
  public boolean keepDocumentIn(DocumentForm form) {
    return document.keepIn(Objects.requireNonNull(form, "form"));
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

  /**
   * The document's bytes: as they arrived until a {@link DocumentForm} takes them over, then only
   * in that form. Shared by the instances that differ only in their source.
   */
  private static final class Document {
    private final int length;

    /** The bytes as they arrived; null once {@link #form} holds them (set first). */
    private volatile byte[] json;

    private volatile DocumentForm form;

    Document(byte[] json) {
      this.json = json;
      this.length = json.length;
    }

    void writeTo(OutputStream out) throws IOException {
      byte[] bytes = json;
      if (bytes != null) {
        out.write(bytes);
      } else {
        form.writeTo(out);
      }
    }

    byte[] copy() {
      byte[] bytes = json;
      if (bytes != null) {
        return bytes.clone();
      }
      Exactly out = new Exactly(new byte[length]);
      try {
        form.writeTo(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e); // Exactly only fails on other bytes, below
      }
      return out.finish();
    }

    synchronized boolean keepIn(DocumentForm candidate) {
      byte[] bytes = json;
      if (bytes == null) {
        return false;
      }
      Exactly check = Exactly.comparingWith(bytes);
      try {
        candidate.writeTo(check);
        check.finish();
      } catch (IOException | UncheckedIOException | IllegalStateException e) {
        throw new IllegalArgumentException("the form does not write the document's bytes", e);
      }
      form = candidate;
      json = null; // after form: a reader that sees null sees the form
      return true;
    }
  }

  /**
   * Receives exactly the bytes of an array: fills it when it is being copied into, compares with it
   * when a form is being checked against it (so the check needs no second copy).
   */
  private static final class Exactly extends OutputStream {
    private final byte[] bytes;
    private final boolean filling;
    private int position;

    /** Fills {@code target}. */
    Exactly(byte[] target) {
      this(target, true);
    }

    private Exactly(byte[] bytes, boolean filling) {
      this.bytes = bytes;
      this.filling = filling;
    }

    static Exactly comparingWith(byte[] expected) {
      return new Exactly(expected, false);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len > bytes.length - position) {
        throw new IOException("more bytes than the document's " + bytes.length);
      }
      if (filling) {
        System.arraycopy(b, off, bytes, position, len);
      } else if (!Arrays.equals(b, off, off + len, bytes, position, position + len)) {
        throw new IOException("other bytes than the document's at offset " + position);
      }
      position += len;
    }

    byte[] finish() {
      if (position != bytes.length) {
        throw new IllegalStateException(
            position + " bytes written of the document's " + bytes.length);
      }
      return bytes;
    }
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
