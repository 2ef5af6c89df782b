package dev.flagedge.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * A response body, with its gzip form computed at most once: bodies that are served many times (flag
 * lists, documents) are compressed once per document, not once per request.
 */
final class Body {
  /** The reference compresses bodies of at least this many bytes. */
  static final int GZIP_MINIMUM = 1000;
  static final String JSON = "application/json";

  private final byte[] bytes;
  private final String contentType;
  private volatile byte[] gzipped;

  Body(byte[] bytes, String contentType) {
    this.bytes = bytes;
    this.contentType = contentType;
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

  byte[] bytes() {
    return bytes;
  }

  String contentType() {
    return contentType;
  }

  boolean compressible() {
    return bytes.length >= GZIP_MINIMUM;
  }

  byte[] gzipped() {
    byte[] result = gzipped;
    if (result == null) {
      result = gzip(bytes);
      gzipped = result;
    }
    return result;
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
