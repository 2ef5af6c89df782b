package dev.flagedge.server;

import dev.flagedge.sync.UpstreamObserver;
import java.net.URI;

/**
 * The server's own upstream calls (analytics, usage reports) told to an {@link UpstreamObserver}.
 */
final class UpstreamCalls {
  private UpstreamCalls() {}

  /** A call to an endpoint, by its template: the URL itself is never given. */
  static UpstreamObserver.Call of(String method, String template, URI endpoint) {
    int port = endpoint.getPort();
    if (port < 0) {
      port = "https".equals(endpoint.getScheme()) ? 443 : 80;
    }
    return new UpstreamObserver.Call(
        method, template, endpoint.getScheme(), String.valueOf(endpoint.getHost()), port);
  }

  /** Reports how an asynchronous call ended: its status, or the failure (status then unused). */
  static void ended(UpstreamObserver.Exchange exchange, int status, Throwable failure) {
    if (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null) {
      failure = failure.getCause();
    }
    if (failure == null) {
      exchange.answered(status);
    } else {
      exchange.failed(failure instanceof Exception e ? e : new RuntimeException(failure));
    }
  }
}
