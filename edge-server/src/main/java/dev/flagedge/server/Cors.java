package dev.flagedge.server;

import java.io.IOException;
import java.util.List;

/**
 * CORS as the reference configures it: the allowed origins from {@code allow_origins}, credentials
 * allowed, any method and header. Preflights are answered here; other responses get the headers.
 */
final class Cors {
  private static final String METHODS = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT";

  private final boolean anyOrigin;
  private final List<String> origins;

  Cors(List<String> allowOrigins) {
    this.anyOrigin = allowOrigins.contains("*");
    this.origins = List.copyOf(allowOrigins);
  }

  static boolean isPreflight(HttpCall call) {
    return "OPTIONS".equals(call.method())
        && call.header("Origin") != null
        && call.header("Access-Control-Request-Method") != null;
  }

  void preflight(HttpCall call) throws IOException {
    String origin = call.header("Origin");
    call.setHeader("Vary", "Origin");
    if (!allowed(origin)) {
      call.respond(400, Body.text("Disallowed CORS origin"));
      return;
    }
    call.setHeader("Access-Control-Allow-Origin", origin);
    call.setHeader("Access-Control-Allow-Methods", METHODS);
    call.setHeader("Access-Control-Max-Age", "600");
    call.setHeader("Access-Control-Allow-Credentials", "true");
    String requested = call.header("Access-Control-Request-Headers");
    if (requested != null) {
      call.setHeader("Access-Control-Allow-Headers", requested);
    }
    call.respond(200, Body.text("OK"));
  }

  /** Headers for a simple (non-preflight) cross-origin request. */
  void decorate(HttpCall call) {
    String origin = call.header("Origin");
    if (origin == null) {
      return;
    }
    if (anyOrigin && call.header("Cookie") == null) {
      call.setHeader("Access-Control-Allow-Origin", "*");
    } else if (allowed(origin)) {
      call.setHeader("Access-Control-Allow-Origin", origin);
      call.addHeader("Vary", "Origin");
    } else {
      return;
    }
    call.setHeader("Access-Control-Allow-Credentials", "true");
  }

  private boolean allowed(String origin) {
    return anyOrigin || origins.contains(origin);
  }
}
