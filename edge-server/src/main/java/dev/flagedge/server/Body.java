package dev.flagedge.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * A response body, with its gzip form computed at most once: bodies that are served many times (flag
 * lists, documents) are compressed once per document, not once per request. The content may be a
 * read-only view of bytes owned elsewhere (an environment document), so it is never copied to serve.
 */
final class Body {
  /** The reference compresses bodies of at least this many bytes. */
  static final int GZIP_MINIMUM = 1000;
  static final String JSON = "application/json";

  private final ByteBuffer content;
  private final String contentType;
  private volatile byte[] gzipped;

  Body(byte[] bytes, String contentType) {
    this(ByteBuffer.wrap(bytes), contentType);
  }

  private Body(ByteBuffer content, String contentType) {
    this.content = content;
    this.contentType = contentType;
  }

  /** A body over bytes owned elsewhere; the buffer's remaining bytes, which must not change. */
  static Body json(ByteBuffer json) {
    return new Body(json.slice(), JSON);
  }

  static Body json(String json) {
    return new Body(json.getBytes(StandardCharsets.UTF_8), JSON);
  }

  static Body json(byte[] json) {
    return new Body(json, JSON);
  }

  static Body text(String text) {
    return new Body(text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
  }

  /** The size in bytes, uncompressed. */
  int length() {
    return content.remaining();
  }

  /** Writes the uncompressed bytes. */
  void writeTo(OutputStream out) throws IOException {
    if (content.hasArray()) {
      out.write(content.array(), content.arrayOffset() + content.position(), content.remaining());
      return;
    }
    ByteBuffer view = content.duplicate();
    byte[] chunk = new byte[Math.min(view.remaining(), 16 * 1024)];
    while (view.hasRemaining()) {
      int n = Math.min(chunk.length, view.remaining());
      view.get(chunk, 0, n);
      out.write(chunk, 0, n);
    }
  }

  String contentType() {
    return contentType;
  }

  boolean compressible() {
    return length() >= GZIP_MINIMUM;
  }

  byte[] gzipped() {
    byte[] result = gzipped;
    if (result == null) {
      result = gzip(this);
      gzipped = result;
    }
    return result;
  }

  private static byte[] gzip(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length() / 4 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      body.writeTo(gzip);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
