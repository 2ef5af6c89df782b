package dev.flagedge.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** One HTTP request and its response, over the JDK server's exchange. */
final class HttpCall {
  private final HttpExchange exchange;
  private final String method;
  private final String path;
  private Map<String, String> query;
  private int status;

  HttpCall(HttpExchange exchange) {
    this.exchange = exchange;
    this.method = exchange.getRequestMethod();
    String raw = exchange.getRequestURI().getRawPath();
    String decoded = raw == null ? "/" : URLDecoder.decode(raw.replace("+", "%2B"),
        StandardCharsets.UTF_8);
    // Both /api/v1/flags and /api/v1/flags/ are served, without the reference's redirects.
    this.path = decoded.length() > 1 && decoded.endsWith("/")
        ? decoded.substring(0, decoded.length() - 1)
        : decoded;
  }

  String method() {
    return method;
  }

  boolean isHead() {
    return "HEAD".equals(method);
  }

  String path() {
    return path;
  }

  /** The size of the request's header section, roughly as sent. */
  int headerBytes() {
    int total = 0;
    for (Map.Entry<String, java.util.List<String>> header : exchange.getRequestHeaders().entrySet()) {
      for (String value : header.getValue()) {
        total += header.getKey().length() + value.length() + 4;
      }
    }
    return total;
  }

  /** A request header, or null. */
  String header(String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  Headers responseHeaders() {
    return exchange.getResponseHeaders();
  }

  /** A query parameter (the last one when repeated), or null. */
  String query(String name) {
    if (query == null) {
      query = parseQuery(exchange.getRequestURI().getRawQuery());
    }
    return query.get(name);
  }

  private static Map<String, String> parseQuery(String raw) {
    Map<String, String> result = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return result;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      result.put(URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return result;
  }

  /**
   * The request body, refusing (413) anything over {@link Limits#MAX_BODY_BYTES}. A moderately
   * oversized body is read to its end first, so the client, still sending, receives the 413 instead
   * of a reset connection; beyond {@link Limits#MAX_DRAINED_BYTES} the connection is simply closed.
   */
  byte[] body() throws IOException {
    long declared = declaredLength();
    if (declared > Limits.MAX_DRAINED_BYTES) {
      throw ApiException.payloadTooLarge(Limits.MAX_BODY_BYTES);
    }
    if (declared >= 0 && declared <= Limits.MAX_BODY_BYTES) {
      // The usual case: read straight into an array of the declared size, no buffer in between.
      try (InputStream in = exchange.getRequestBody()) {
        byte[] body = new byte[(int) declared];
        int read = in.readNBytes(body, 0, body.length);
        return read == body.length ? body : Arrays.copyOf(body, read);
      }
    }
    try (InputStream in = exchange.getRequestBody()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      long total = 0;
      for (int n; (n = in.read(buffer)) > 0 && total <= Limits.MAX_DRAINED_BYTES; ) {
        total += n;
        if (total <= Limits.MAX_BODY_BYTES) {
          out.write(buffer, 0, n);
        }
      }
      if (total > Limits.MAX_BODY_BYTES) {
        throw ApiException.payloadTooLarge(Limits.MAX_BODY_BYTES);
      }
      return out.toByteArray();
    }
  }

  /** The Content-Length sent, or -1; the JDK server itself rejects malformed lengths. */
  private long declaredLength() {
    String length = header("Content-Length");
    try {
      return length == null ? -1 : Long.parseLong(length.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The client address, from {@code X-Forwarded-For} when proxy headers are trusted. */
  String clientAddress(boolean proxyHeaders) {
    String forwarded = proxyHeaders ? header("X-Forwarded-For") : null;
    if (forwarded != null && !forwarded.isBlank()) {
      return forwarded.split(",")[0].strip();
    }
    return exchange.getRemoteAddress().getAddress().getHostAddress() + ":"
        + exchange.getRemoteAddress().getPort();
  }

  void respond(int status, Body body) throws IOException {
    this.status = status;
    Headers headers = exchange.getResponseHeaders();
    headers.set("Content-Type", body.contentType());
    boolean gzip = false;
    if (body.compressible()) {
      headers.add("Vary", "Accept-Encoding");
      String accept = header("Accept-Encoding");
      if (accept != null && accept.contains("gzip")) {
        headers.set("Content-Encoding", "gzip");
        gzip = true;
      }
    }
    int length = gzip ? body.gzippedLength() : body.length();
    if (isHead()) {
      headers.set("Content-Length", Integer.toString(length));
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
    if (length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        if (gzip) {
          body.writeGzippedTo(out);
        } else {
          body.writeTo(out);
        }
      }
    }
  }

  /** The status sent, or 0 before a response. */
  int status() {
    return status;
  }
}
