package dev.flagedge.server;

import dev.flagedge.sync.UpstreamObserver;
import java.util.Map;

/**
 * Traces and OTLP metrics, or nothing. Chosen once at start: {@link #OFF} unless an OTLP endpoint
 * is configured, so that a server without one runs the request path it always ran — one call on a
 * constant that returns a constant — and never builds the OpenTelemetry SDK.
 */
interface Telemetry extends AutoCloseable {
  /** Records nothing, allocates nothing. */
  Telemetry OFF =
      new Telemetry() {
        @Override
        public RequestTrace request(HttpCall call, RouteTemplate route) {
          return RequestTrace.NONE;
        }

        @Override
        public UpstreamObserver upstream() {
          return UpstreamObserver.NONE;
        }

        @Override
        public void export(Metrics metrics) {}

        @Override
        public Runnable inCurrentTrace(Runnable task) {
          return task;
        }

        @Override
        public void close() {}
      };

  /**
   * Telemetry for the given {@code otel.*} settings.
   *
   * @param properties the settings ({@link ServerConfig#openTelemetry()})
   * @return {@link #OFF} unless an OTLP endpoint is set and the SDK is not disabled
   */
  static Telemetry create(Map<String, String> properties) {
    return OtelSettings.enabled(properties)
        ? OtelTelemetry.start(OtelSettings.resolve(properties))
        : OFF;
  }

  /**
   * Starts the trace of a request: its SERVER span, continuing the caller's trace, current on this
   * thread until {@link RequestTrace#end}.
   *
   * @param call the request
   * @param route the route it matched, or {@link RouteTemplate#UNKNOWN}
   */
  RequestTrace request(HttpCall call, RouteTemplate route);

  /** Traces upstream calls: the sync's, analytics' and usage reports'. */
  UpstreamObserver upstream();

  /**
   * Exports the server's metrics over OTLP as they are: their one bookkeeping stays {@link
   * Metrics}, read at each export. Call once every metric is registered.
   */
  void export(Metrics metrics);

  /**
   * A task that runs in the trace current now, on whichever thread runs it: work a request hands to
   * another thread stays in its trace.
   */
  Runnable inCurrentTrace(Runnable task);

  /** Exports what is pending (bounded by the exporter's timeout) and stops. */
  @Override
  void close();

  /** One request's trace. */
  interface RequestTrace {
    /** Nothing to end. */
    RequestTrace NONE = (call, failure) -> {};

    /**
     * Ends the request: its status, duration and outcome recorded, the span ended and no longer
     * current. Called on the thread that started it, after the access log line.
     *
     * @param call the request, answered or aborted
     * @param failure what the route threw, or null
     */
    void end(HttpCall call, Throwable failure);
  }
}
