package dev.flagedge.sync;

import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Sees every HTTP call the sync makes to its upstream — document fetches (each page and redirect),
 * proxy inventory reads, realtime stream connections — so that a server can trace them (a client
 * span each, with its trace context sent upstream) without this module depending on a tracing
 * library. FlagEdge's server sends its own reports (analytics, usage) through the same hook. The
 * default, {@link #NONE}, adds nothing to a call.
 *
 * <p>Called on the thread that makes the call (a poller thread, the caller of {@link
 * EnvironmentSync#refresh(String)}, OkHttp's dispatcher for a realtime stream, or the server's
 * reporting thread), before the request is sent; {@link Exchange} is told how the call ended on the
 * same thread. Both must be quick and must not throw. What the observer is given never holds a key,
 * an identifier or a URL path with a key in it: only the operation's template and the upstream's
 * origin.
 */
public interface UpstreamObserver {
  /** Observes nothing. */
  UpstreamObserver NONE = (call, headers) -> Exchange.NONE;

  /**
   * A call is about to be sent.
   *
   * @param call what is called: method, operation template and origin
   * @param headers adds a header to the request (trace context such as {@code traceparent})
   * @return told how the call ended
   */
  Exchange start(Call call, BiConsumer<String, String> headers);

  /**
   * One upstream call, as far as may be recorded.
   *
   * @param method the HTTP method
   * @param template the operation's path relative to the API URL, with variable parts named: {@code
   *     /environment-document/}, {@code /environments/{client_key}/document/}, {@code
   *     /proxy/config/}, {@code /sse/environments/{client_key}/stream}, the server's reports {@code
   *     /analytics/flags/} and {@code /proxy/usage/}, or {@code /} for another path (a redirect's
   *     target)
   * @param scheme {@code http} or {@code https}
   * @param host the upstream's host
   * @param port the upstream's port
   */
  record Call(String method, String template, String scheme, String host, int port) {
    /** Validates. */
    public Call {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(template, "template");
      Objects.requireNonNull(scheme, "scheme");
      Objects.requireNonNull(host, "host");
    }
  }

  /** How one call ended; exactly one method is called once. */
  interface Exchange {
    /** Ignores the end. */
    Exchange NONE =
        new Exchange() {
          @Override
          public void answered(int status) {}

          @Override
          public void failed(Exception failure) {}
        };

    /**
     * The upstream answered (its headers arrived).
     *
     * @param status the HTTP status
     */
    void answered(int status);

    /**
     * No answer: a connection failure, a timeout, a cancellation.
     *
     * @param failure what went wrong (for its type; its message may name the upstream's address)
     */
    void failed(Exception failure);
  }
}
