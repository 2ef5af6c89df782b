package dev.flagedge.server;

import dev.flagedge.engine.internal.JsonWriter;

/**
 * A request that gets a non-2xx answer. Handlers throw it; the router alone turns it into a
 * response, so every error has a JSON body and a status chosen in one place.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient Body body;
  private final String allow;
  private final boolean ofrep;

  private ApiException(int status, Body body, String allow) {
    this(status, body, allow, null, false);
  }

  private ApiException(int status, Body body, String allow, String message, boolean ofrep) {
    super(message, null, false, false);
    this.status = status;
    this.body = body;
    this.allow = allow;
    this.ofrep = ofrep;
  }

  static ApiException of(int status, String statusWord, String message) {
    return new ApiException(
        status, Body.json(errorBody(statusWord, message)), null, message, false);
  }

  /**
   * The server's error body, {@code {"status": <word>, "message": <sentence>}}: also what Jetty's
   * own refusals answer ({@link JettyServer}).
   */
  static byte[] errorBody(String statusWord, String message) {
    return new JsonWriter(48 + message.length())
        .beginObject()
        .name("status")
        .value(statusWord)
        .name("message")
        .value(message)
        .endObject()
        .toByteArray();
  }

  /** An OFREP error: {@code {"errorCode": <OpenFeature error code>, "errorDetails": <message>}}. */
  static ApiException ofrep(int status, String errorCode, String details) {
    return new ApiException(
        status,
        Body.json(
            new JsonWriter(48 + details.length())
                .beginObject()
                .name("errorCode")
                .value(errorCode)
                .name("errorDetails")
                .value(details)
                .endObject()
                .toByteArray()),
        null,
        details,
        true);
  }

  /** OFREP's answer for a flag the environment does not have (or does not show the key). */
  static ApiException ofrepFlagNotFound(String key) {
    return new ApiException(
        404,
        Body.json(
            new JsonWriter(80 + key.length() * 2)
                .beginObject()
                .name("key")
                .value(key)
                .name("errorCode")
                .value("FLAG_NOT_FOUND")
                .name("errorDetails")
                .value("flag '" + key + "' not found")
                .endObject()
                .toByteArray()),
        null,
        "flag not found",
        true);
  }

  static ApiException unknownKey(String key) {
    return of(401, "unauthorized", "unknown key '" + key + "'");
  }

  static ApiException missingKey() {
    return of(401, "unauthorized", "missing X-Environment-Key header");
  }

  static ApiException notLoaded() {
    return of(
        503,
        "service_unavailable",
        "the environment document has not been loaded yet; retry shortly");
  }

  static ApiException forbidden(String message) {
    return of(403, "forbidden", message);
  }

  static ApiException featureNotFound(String feature) {
    return of(404, "not_found", "feature '" + feature + "' not found");
  }

  static ApiException notFound() {
    return new ApiException(404, Body.json("{\"detail\":\"Not Found\"}"), null);
  }

  static ApiException methodNotAllowed(String allow) {
    return new ApiException(405, Body.json("{\"detail\":\"Method Not Allowed\"}"), allow);
  }

  static ApiException payloadTooLarge(int limit) {
    return of(413, "payload_too_large", "request body exceeds " + limit + " bytes");
  }

  static ApiException headersTooLarge(int limit) {
    return of(431, "request_header_fields_too_large", "request headers exceed " + limit + " bytes");
  }

  static ApiException overloaded() {
    return of(503, "service_unavailable", "the server is overloaded; retry shortly");
  }

  static ApiException validation(String detailJson) {
    return new ApiException(
        422,
        Body.json(
            new JsonWriter(16 + detailJson.length())
                .beginObject()
                .name("detail")
                .rawValue(detailJson)
                .endObject()
                .toByteArray()),
        null);
  }

  int status() {
    return status;
  }

  Body body() {
    return body;
  }

  /** Whether the body is in OFREP's form ({@code errorCode}, {@code errorDetails}). */
  boolean isOfrep() {
    return ofrep;
  }

  /** The Allow header for a 405, or null. */
  String allow() {
    return allow;
  }
}
