package dev.flagedge.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.util.Callback;

/**
 * A response body, with its gzip form computed at most once: bodies that are served many times
 * (flag lists) are compressed once per document, not once per request. An environment document is
 * not held here uncompressed ({@link #streamedJson}): its owner writes it out for clients that do
 * not accept gzip, and its gzip form, once made, is sent as it is to the others. Contents are never
 * copied to be served.
 */
final class Body {
  /** The reference compresses bodies of at least this many bytes. */
  static final int GZIP_MINIMUM = 1000;

  static final String JSON = "application/json";

  /** Writes a body's uncompressed bytes. */
  interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  /** The uncompressed bytes; null for a streamed body. */
  private final ByteBuffer content;

  /** Writes the uncompressed bytes of a streamed body; null otherwise. */
  private final Writer decompressed;

  /** Makes the gzip form of a streamed body; null otherwise. */
  private final Supplier<byte[]> compressor;

  private final int length;
  private final String contentType;

  /** Written once, under this body's lock; read without it. */
  private volatile ByteBuffer gzipped;

  /** Run once the body has been sent (or could not be): its array may then be reused; or null. */
  private final Runnable sent;

  /** Whether this is a cache's copy: an answer it gave, for the request's trace. */
  private final boolean fromCache;

  Body(byte[] bytes, String contentType) {
    this(ByteBuffer.wrap(bytes), null, null, bytes.length, null, contentType, null, false);
  }

  private Body(ByteBuffer content, int length, ByteBuffer gzipped, Runnable sent) {
    this(content, null, null, length, gzipped, JSON, sent, false);
  }

  private Body(
      ByteBuffer content,
      Writer decompressed,
      Supplier<byte[]> compressor,
      int length,
      ByteBuffer gzipped,
      String contentType,
      Runnable sent,
      boolean fromCache) {
    this.content = content;
    this.decompressed = decompressed;
    this.compressor = compressor;
    this.length = length;
    this.gzipped = gzipped;
    this.contentType = contentType;
    this.sent = sent;
    this.fromCache = fromCache;
  }

  static Body json(String json) {
    return json(json.getBytes(StandardCharsets.UTF_8));
  }

  static Body json(byte[] json) {
    return new Body(json, JSON);
  }

  /**
   * A JSON body over a buffer's remaining bytes, which must not change: no copy, so an answer
   * written once is served from the writer's own array.
   */
  static Body json(ByteBuffer json) {
    return json(json, null);
  }

  /**
   * A JSON body over a borrowed array's bytes: {@code sent} runs once the body has been sent or
   * could not be, after which the array is no longer read.
   */
  static Body json(ByteBuffer json, Runnable sent) {
    ByteBuffer content = json.slice();
    return new Body(content, content.remaining(), null, sent);
  }

  /**
   * This body, or a copy holding exactly its bytes when its array is larger or borrowed: what a
   * cache should keep, so that the bytes it holds are its own and the bytes it counts.
   */
  Body trimmed() {
    if (content == null
        || !content.hasArray()
        || (sent == null && content.array().length == length)) {
      return this;
    }
    byte[] exact = new byte[length];
    content.duplicate().get(exact);
    return new Body(ByteBuffer.wrap(exact), null, null, length, gzipped, contentType, null, false);
  }

  /**
   * What a cache keeps: {@link #trimmed()}, always an instance of its own that says it is the
   * cache's, so that an answer can tell a hit from the computed body (no cost per request: a copy
   * is made only when an entry is stored).
   */
  Body forCache() {
    Body t = trimmed();
    return new Body(
        t.content, t.decompressed, t.compressor, t.length, t.gzipped, t.contentType, t.sent, true);
  }

  /** Whether this body is a cache's copy ({@link #forCache()}). */
  boolean fromCache() {
    return fromCache;
  }

  /** The callback for sending this body: the given one, after giving a borrowed array back. */
  Callback whenSent(Callback callback) {
    return sent == null ? callback : Callback.from(sent, callback);
  }

  /**
   * A JSON body that is not held here uncompressed: the environment document, which its owner keeps
   * until its gzip form is made, then only in that form.
   *
   * @param length the uncompressed length
   * @param writer writes the uncompressed bytes, for clients that do not accept gzip; it may block,
   *     so such a body is written by a worker thread
   * @param compressor makes the gzip form, once ({@link #compressed()}), on first use or before
   */
  static Body streamedJson(int length, Writer writer, Supplier<byte[]> compressor) {
    return new Body(null, writer, compressor, length, null, JSON, null, false);
  }

  static Body text(String text) {
    return new Body(text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
  }

  /** The size in bytes, uncompressed. */
  int length() {
    return length;
  }

  String contentType() {
    return contentType;
  }

  boolean compressible() {
    return length >= GZIP_MINIMUM;
  }

  /** Writes the uncompressed bytes. */
  void writeTo(OutputStream out) throws IOException {
    if (content != null) {
      write(content, out);
    } else {
      decompressed.writeTo(out);
    }
  }

  /** The size of the gzip form, computing it on first use. */
  int gzippedLength() {
    return gzipped().remaining();
  }

  /** Writes the gzip form, computing it on first use. */
  void writeGzippedTo(OutputStream out) throws IOException {
    write(gzipped(), out);
  }

  /** The uncompressed bytes to send (a view of their own), or null for a body kept compressed. */
  ByteBuffer content() {
    return content == null ? null : content.duplicate();
  }

  /** The gzip form to send (a view of its own), computing it on first use. */
  ByteBuffer gzipped() {
    ByteBuffer result = gzipped;
    return (result != null ? result : compressed()).duplicate();
  }

  /**
   * Makes the gzip form if it is not made yet, once: a caller that comes while another thread makes
   * it waits for that one (for a document, about a millisecond) instead of making its own.
   */
  synchronized ByteBuffer compressed() {
    ByteBuffer result = gzipped;
    if (result == null) {
      result = ByteBuffer.wrap(content != null ? gzip(content) : compressor.get());
      gzipped = result;
    }
    return result;
  }

  /** Whether the gzip form is made. */
  boolean isCompressed() {
    return gzipped != null;
  }

  private static void write(ByteBuffer bytes, OutputStream out) throws IOException {
    if (bytes.hasArray()) {
      out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
      return;
    }
    ByteBuffer view = bytes.duplicate();
    byte[] chunk = new byte[Math.min(view.remaining(), 16 * 1024)];
    while (view.hasRemaining()) {
      int n = Math.min(chunk.length, view.remaining());
      view.get(chunk, 0, n);
      out.write(chunk, 0, n);
    }
  }

  private static byte[] gzip(ByteBuffer content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.remaining() / 4 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      write(content, gzip);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
