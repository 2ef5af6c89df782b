package dev.flagedge.server;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A route as traces and metrics name it: its template ({@code /api/v1/flags/}, {@code
 * /sse/environments/{client_key}/stream}), never the path a request had, which may hold a key or an
 * identifier. Span names ({@code GET /api/v1/flags/}) are made once per method the route answers.
 */
final class RouteTemplate {
  /** The methods the HTTP semantic conventions name; any other is {@code _OTHER}. */
  private static final Set<String> KNOWN_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  /** No route matched the path: no {@code http.route}, span names are the method alone. */
  static final RouteTemplate UNKNOWN = new RouteTemplate("");

  private final String template;
  private final Map<String, String> spanNames = new HashMap<>();

  RouteTemplate(String template) {
    this.template = template;
    for (String method : KNOWN_METHODS) {
      spanNames.put(method, name(method, template));
    }
  }

  /** The template, empty for {@link #UNKNOWN}. */
  String template() {
    return template;
  }

  boolean known() {
    return !template.isEmpty();
  }

  /** {@code {METHOD} {template}}; {@code HTTP} stands for a method the conventions do not name. */
  String spanName(String method) {
    String name = spanNames.get(method);
    return name != null ? name : name("HTTP", template);
  }

  /** The method as the conventions record it. */
  static String method(String method) {
    return KNOWN_METHODS.contains(method) ? method : "_OTHER";
  }

  private static String name(String method, String template) {
    return template.isEmpty() ? method : method + " " + template;
  }
}
