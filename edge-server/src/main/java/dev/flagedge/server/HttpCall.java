package dev.flagedge.server;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One HTTP request and its response. Its body, if any, has already arrived ({@link RequestBody}) by
 * the time a route sees it, so no route waits for a client. The call owns the request's callback:
 * {@link #respond} completes it when the response is written, {@link #abort} when none can be.
 */
final class HttpCall {
  private static final System.Logger logger = System.getLogger(HttpCall.class.getName());

  /** IMF-fixdate, the HTTP date format. */
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private final Request request;
  private final Response response;
  private final Callback callback;
  private final String path;
  private final RequestBody.Result body;
  private Map<String, String> query;
  private int status;
  private boolean completed;
  private Environments.Access access;
  private byte responseCache; // 0: not asked; 1: it answered; -1: it did not

  HttpCall(Request request, Response response, Callback callback, RequestBody.Result body) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.body = body;
    this.path = pathOf(request);
  }

  private static String pathOf(Request request) {
    String raw = request.getHttpURI().getPath();
    String decoded = raw == null || raw.isEmpty() ? "/" : decode(raw.replace("+", "%2B"));
    // Both /api/v1/flags and /api/v1/flags/ are served, without the reference's redirects.
    return decoded.length() > 1 && decoded.endsWith("/")
        ? decoded.substring(0, decoded.length() - 1)
        : decoded;
  }

  String method() {
    return request.getMethod();
  }

  boolean isHead() {
    return HttpMethod.HEAD.is(request.getMethod());
  }

  String path() {
    return path;
  }

  /** The size of the request's header section, roughly as sent. */
  int headerBytes() {
    int total = 0;
    for (HttpField field : request.getHeaders()) {
      total += field.getName().length() + field.getValue().length() + 4;
    }
    return total;
  }

  /** The names of the request's headers (for trace context). */
  java.util.Set<String> headerNames() {
    return request.getHeaders().getFieldNamesCollection();
  }

  /** The request's scheme: {@code http} or {@code https}. */
  String scheme() {
    String scheme = request.getHttpURI().getScheme();
    return scheme == null ? "http" : scheme;
  }

  /** A request header, or null. */
  String header(String name) {
    return request.getHeaders().get(name);
  }

  /** Sets a response header, replacing any of that name. */
  void setHeader(String name, String value) {
    response.getHeaders().put(name, value);
  }

  /** Adds a response header, keeping any of that name. */
  void addHeader(String name, String value) {
    response.getHeaders().add(name, value);
  }

  /** A query parameter (the last one when repeated), or null. */
  String query(String name) {
    if (query == null) {
      query = parseQuery(request.getHttpURI().getQuery());
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
      result.put(decode(name), decode(value));
    }
    return result;
  }

  /** Percent-decodes as the reference does, leaving a malformed escape as it was sent. */
  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw;
    }
  }

  /**
   * The request body (empty when none was sent).
   *
   * @throws ApiException 413 when it was over {@link Limits#MAX_BODY_BYTES}
   */
  byte[] body() {
    return body.bytes();
  }

  /** The client address, from {@code X-Forwarded-For} when proxy headers are trusted. */
  String clientAddress(boolean proxyHeaders) {
    String forwarded = proxyHeaders ? header("X-Forwarded-For") : null;
    if (forwarded != null && !forwarded.isBlank()) {
      return forwarded.split(",")[0].strip();
    }
    SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }
    return String.valueOf(remote);
  }

  /**
   * The scheme and authority clients reach this server by, for absolute URLs in answers: the
   * request's own, or {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} when proxy headers are
   * trusted.
   */
  String baseUrl(boolean proxyHeaders) {
    String scheme = proxyHeaders ? first(header("X-Forwarded-Proto")) : null;
    String host = proxyHeaders ? first(header("X-Forwarded-Host")) : null;
    if (scheme == null) {
      scheme = scheme();
    }
    if (host == null) {
      host = header("Host");
    }
    if (host == null || host.isBlank()) {
      host = Request.getLocalAddr(request) + ":" + Request.getLocalPort(request);
    }
    return scheme + "://" + host;
  }

  private static String first(String listHeader) {
    if (listHeader == null) {
      return null;
    }
    String value = listHeader.split(",")[0].strip();
    return value.isEmpty() ? null : value;
  }

  /**
   * Sends the response and completes the call. In-memory bodies are written without blocking: a
   * client that reads slowly holds no thread.
   */
  void respond(int status, Body body) throws IOException {
    this.status = status;
    completed = true;
    response.setStatus(status);
    var headers = response.getHeaders();
    headers.put(HttpHeader.CONTENT_TYPE, body.contentType());
    boolean gzip = sendsGzip(body);
    if (body.compressible()) {
      headers.add(HttpHeader.VARY, "Accept-Encoding");
    }
    if (gzip) {
      headers.put(HttpHeader.CONTENT_ENCODING, "gzip");
    }
    int length = gzip ? body.gzippedLength() : body.length();
    headers.put(HttpHeader.CONTENT_LENGTH, length);
    if (isHead() || length == 0) {
      response.write(true, null, body.whenSent(callback));
      return;
    }
    ByteBuffer bytes = gzip ? body.gzipped() : body.content();
    if (bytes != null) {
      response.write(true, bytes, body.whenSent(callback));
      return;
    }
    // A stream blocks while the client is slow to read, and routes run on the connection's own
    // selector thread (Router is non-blocking): the write moves to a worker.
    request.getComponents().getExecutor().execute(() -> writeStreamed(body));
  }

  private void writeStreamed(Body body) {
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      body.writeTo(out);
    } catch (IOException | RuntimeException e) {
      logger.log(
          System.Logger.Level.DEBUG,
          "connection failed while answering {0}: {1}",
          path,
          e.toString());
      callback.failed(e);
      return;
    } catch (Error e) {
      callback.failed(e);
      throw e;
    }
    callback.succeeded();
  }

  private boolean sendsGzip(Body body) {
    String accept = body.compressible() ? header("Accept-Encoding") : null;
    return accept != null && accept.contains("gzip");
  }

  /**
   * Answers 200 with a body that has validators — its entity tag ({@code "<version>"}, with {@code
   * -gz} for the compressed form, a representation of its own) and, if given, its modification time
   * — or 304 without a body when the client already has it: its {@code If-None-Match} lists the tag
   * (or {@code *}), or, without {@code If-None-Match}, its {@code If-Modified-Since} is not older
   * than the modification time.
   */
  void respondValidated(Body body, String version, Optional<Instant> lastModified)
      throws IOException {
    String tag = "\"" + version + (sendsGzip(body) ? "-gz" : "") + "\"";
    var headers = response.getHeaders();
    headers.put(HttpHeader.ETAG, tag);
    lastModified.ifPresent(at -> headers.put(HttpHeader.LAST_MODIFIED, HTTP_DATE.format(at)));
    if (!notModified(tag, lastModified)) {
      respond(200, body);
      return;
    }
    this.status = 304;
    completed = true;
    response.setStatus(304);
    if (body.compressible()) {
      headers.add(HttpHeader.VARY, "Accept-Encoding");
    }
    response.write(true, null, body.whenSent(callback));
  }

  private boolean notModified(String tag, Optional<Instant> lastModified) {
    String ifNoneMatch = header("If-None-Match");
    if (ifNoneMatch != null) {
      for (String candidate : ifNoneMatch.split(",")) {
        String value = candidate.strip();
        // If-None-Match compares weakly: W/"x" matches "x".
        if (value.equals("*")
            || (value.startsWith("W/") ? value.substring(2) : value).equals(tag)) {
          return true;
        }
      }
      return false;
    }
    String ifModifiedSince = header("If-Modified-Since");
    if (ifModifiedSince == null || lastModified.isEmpty()) {
      return false;
    }
    try {
      Instant since = ZonedDateTime.parse(ifModifiedSince.strip(), HTTP_DATE).toInstant();
      return !lastModified.get().truncatedTo(ChronoUnit.SECONDS).isAfter(since);
    } catch (DateTimeParseException e) {
      return false; // an unreadable date is ignored, as RFC 9110 says
    }
  }

  /**
   * Answers with a server-sent-event stream that outlives this call: the stream takes over the
   * response, and ends it when it is closed. Open to every origin, like Flagsmith's own.
   */
  EventStream openStream(String clientKey, EventStream.Format format, Streams streams) {
    this.status = 200;
    completed = true;
    response.setStatus(200);
    var headers = response.getHeaders();
    headers.put(HttpHeader.CONTENT_TYPE, "text/event-stream");
    headers.put(HttpHeader.CACHE_CONTROL, "no-cache");
    headers.put("X-Accel-Buffering", "no");
    headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    // The stream frames its own chunks (see EventStream); HTTP/1.0 has none to frame.
    boolean chunked = request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_1;
    headers.put(EventStream.CLOSE);
    if (chunked) {
      headers.add(EventStream.SELF_CHUNKED);
    }
    return new EventStream(
        clientKey,
        format,
        response,
        callback,
        request.getConnectionMetaData().getConnection().getEndPoint(),
        Streams.idleTimeoutMillis(),
        streams,
        chunked);
  }

  /** Completes a call that sent no response, if it did not: the connection is closed. */
  void abortIfUnanswered() {
    if (!completed) {
      completed = true;
      callback.failed(new IOException("no response sent"));
    }
  }

  /** Whether the response has been sent or the call aborted. */
  boolean completed() {
    return completed;
  }

  /** Records the environment the request was resolved to. */
  void access(Environments.Access access) {
    this.access = access;
  }

  /** The number of flags of the environment's document the request read, or -1. */
  int flagCount() {
    return access == null ? -1 : access.environment().flagCount();
  }

  /** Records whether the identity response cache answered. */
  void responseCache(boolean hit) {
    responseCache = hit ? (byte) 1 : (byte) -1;
  }

  /** 1 if the identity response cache answered, -1 if it did not, 0 if it was not asked. */
  byte responseCache() {
    return responseCache;
  }

  /** The client key of the environment the request was resolved to, or null. */
  String clientKey() {
    return access == null ? null : access.clientKey();
  }

  /** The status sent, or 0 before a response. */
  int status() {
    return status;
  }
}
