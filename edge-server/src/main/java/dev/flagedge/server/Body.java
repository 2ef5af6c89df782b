package dev.flagedge.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A response body, with its gzip form computed at most once: bodies that are served many times (flag
 * lists) are compressed once per document, not once per request. An environment document is kept
 * compressed only ({@link #gzippedJson}), is sent as it is to clients that accept gzip and is
 * decompressed while being sent to the others. Contents are never copied to be served.
 */
final class Body {
  /** The reference compresses bodies of at least this many bytes. */
  static final int GZIP_MINIMUM = 1000;
  static final String JSON = "application/json";

  /** The uncompressed bytes; null for a body kept compressed only. */
  private final ByteBuffer content;
  private final int length;
  private final String contentType;
  private volatile ByteBuffer gzipped;

  Body(byte[] bytes, String contentType) {
    this(ByteBuffer.wrap(bytes), bytes.length, null, contentType);
  }

  private Body(ByteBuffer content, int length, ByteBuffer gzipped, String contentType) {
    this.content = content;
    this.length = length;
    this.gzipped = gzipped;
    this.contentType = contentType;
  }

  static Body json(String json) {
    return json(json.getBytes(StandardCharsets.UTF_8));
  }

  static Body json(byte[] json) {
    return new Body(json, JSON);
  }

  /**
   * A JSON body kept only in the gzip format.
   *
   * @param gzip the gzip stream's bytes (the buffer's remaining ones), which must not change
   * @param length the uncompressed length
   */
  static Body gzippedJson(ByteBuffer gzip, int length) {
    return new Body(null, length, gzip.slice(), JSON);
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
      return;
    }
    try (InputStream in = new GZIPInputStream(new ByteBufferInput(gzipped()), 8192)) {
      in.transferTo(out);
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

  private ByteBuffer gzipped() {
    ByteBuffer result = gzipped;
    if (result == null) {
      result = ByteBuffer.wrap(gzip(content));
      gzipped = result;
    }
    return result.duplicate();
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

  /** Reads a buffer's remaining bytes without copying them into an array first. */
  private static final class ByteBufferInput extends InputStream {
    private final ByteBuffer buffer;

    ByteBufferInput(ByteBuffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public int read() {
      return buffer.hasRemaining() ? buffer.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      if (!buffer.hasRemaining()) {
        return -1;
      }
      int n = Math.min(length, buffer.remaining());
      buffer.get(bytes, offset, n);
      return n;
    }
  }
}
