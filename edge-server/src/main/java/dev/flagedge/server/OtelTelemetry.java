package dev.flagedge.server;

import dev.flagedge.sync.UpstreamObserver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Telemetry through the OpenTelemetry SDK, configured by the standard {@code otel.*} settings
 * (autoconfigure, fed the server's configuration rather than reading the environment itself): a
 * SERVER span per request that continues the caller's W3C trace, a CLIENT span per upstream call
 * with the trace context sent along, {@code http.server.request.duration}, and the server's
 * metrics, all exported over OTLP. The SDK's batch span processor queues spans in a bounded queue
 * and exports on its own thread: a slow or absent collector costs dropped spans (counted in {@code
 * otel.sdk.processor.span.processed}), never request time.
 *
 * <p>Recorded: methods, route templates, statuses, schemes, upstream hosts, error types, the
 * environment's masked label, its number of flags and whether the response cache answered. Never
 * recorded: a key, an identifier, a trait, a URL path or query, a body.
 */
final class OtelTelemetry implements Telemetry {
  private static final System.Logger logger = System.getLogger(OtelTelemetry.class.getName());

  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> ENVIRONMENT = AttributeKey.stringKey("flagedge.environment");
  static final AttributeKey<Long> FLAGS = AttributeKey.longKey("flagedge.flags");
  static final AttributeKey<Boolean> CACHE_HIT =
      AttributeKey.booleanKey("flagedge.response_cache.hit");

  /** The semantic conventions' advice for {@code http.server.request.duration}, in seconds. */
  private static final List<Double> DURATION_BUCKETS =
      List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

  private static final Supplier<MeterProvider> NO_METRICS = MeterProvider::noop;

  private static final TextMapGetter<HttpCall> HEADERS =
      new TextMapGetter<>() {
        @Override
        @SuppressWarnings("deprecation") // still abstract; the W3C propagators never call it
        public Iterable<String> keys(HttpCall call) {
          return call.headerNames();
        }

        @Override
        public String get(HttpCall call, String name) {
          return call == null ? null : call.header(name);
        }
      };

  private final OpenTelemetrySdk sdk;
  private final Tracer tracer;
  private final Meter meter;
  private final TextMapPropagator propagator;
  private final DoubleHistogram duration;
  private final UpstreamObserver upstream;

  /** Metric attributes by span name (which fixes method and route), then by status. */
  private final StatusTable<Attributes> durationAttributes = new StatusTable<>();

  /** Masked environment labels by client key: hashing a key per request would cost. */
  private final Map<String, String> labels = new ConcurrentHashMap<>();

  private volatile BatchCallback metricsExport;

  private OtelTelemetry(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
    this.tracer = sdk.getTracer("dev.flagedge.server");
    this.meter = sdk.getMeter("dev.flagedge.server");
    this.propagator = sdk.getPropagators().getTextMapPropagator();
    this.duration =
        meter
            .histogramBuilder("http.server.request.duration")
            .setUnit("s")
            .setDescription("Duration of HTTP server requests.")
            .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
            .build();
    this.upstream = new OtelUpstreamObserver(tracer, propagator);
  }

  static OtelTelemetry start(Map<String, String> properties) {
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> properties)
            // The server's settings win over the process's OTEL_* variables and system properties.
            .addPropertiesCustomizer(config -> properties)
            // The SDK's own span counters (otel.sdk.span.started, .live) cost three metric updates
            // per request, a sixth of what a span costs the request path; the processor's and the
            // exporter's own metrics, dropped spans among them, are counted per batch and stay.
            .addTracerProviderCustomizer((tracers, config) -> tracers.setMeterProvider(NO_METRICS))
            .disableShutdownHook() // EdgeServer.close() flushes and stops it
            .build()
            .getOpenTelemetrySdk();
    logger.log(
        System.Logger.Level.INFO,
        "OpenTelemetry on: traces {0}, metrics {1}, service {2}",
        properties.get("otel.traces.exporter"),
        properties.get("otel.metrics.exporter"),
        properties.getOrDefault("otel.service.name", "from otel.resource.attributes"));
    return new OtelTelemetry(sdk);
  }

  @Override
  public RequestTrace request(HttpCall call, RouteTemplate route) {
    Context parent = propagator.extract(Context.root(), call, HEADERS);
    String spanName = route.spanName(call.method());
    // Attributes go on once sampled: a span the sampler drops then costs no attribute map (the
    // SDK's samplers read none of them).
    Span span =
        tracer.spanBuilder(spanName).setParent(parent).setSpanKind(SpanKind.SERVER).startSpan();
    if (span.isRecording()) {
      span.setAttribute(METHOD, RouteTemplate.method(call.method()));
      span.setAttribute(SCHEME, call.scheme());
      if (route.known()) {
        span.setAttribute(ROUTE, route.template());
      }
    }
    return new ServerTrace(span, parent.with(span).makeCurrent(), spanName, route);
  }

  @Override
  public UpstreamObserver upstream() {
    return upstream;
  }

  @Override
  public void export(Metrics metrics) {
    metricsExport = MetricsExport.register(meter, metrics.registry());
  }

  @Override
  public Runnable inCurrentTrace(Runnable task) {
    return Context.current().wrap(task);
  }

  @Override
  public void close() {
    BatchCallback export = metricsExport;
    if (export != null) {
      export.close();
    }
    // Bounded: a collector that is down must not hold up a shutdown for long.
    sdk.shutdown().join(5, TimeUnit.SECONDS);
  }

  private Attributes durationAttributes(
      String spanName, RouteTemplate route, String method, String scheme, int status) {
    Attributes cached = durationAttributes.get(spanName, status);
    if (cached != null) {
      return cached;
    }
    var attributes =
        Attributes.builder().put(METHOD, RouteTemplate.method(method)).put(SCHEME, scheme);
    if (route.known()) {
      attributes.put(ROUTE, route.template());
    }
    if (status > 0) {
      attributes.put(STATUS, status);
    }
    if (status >= 500 || status == 0) {
      attributes.put(ERROR_TYPE, status == 0 ? "_OTHER" : Integer.toString(status));
    }
    return durationAttributes.put(spanName, status, attributes.build());
  }

  private String label(String clientKey) {
    String label = labels.get(clientKey);
    if (label == null) {
      if (labels.size() > 10_000) {
        labels.clear(); // environments come and go with a proxy inventory: stay bounded
      }
      label = labels.computeIfAbsent(clientKey, Metrics::label);
    }
    return label;
  }

  /** A request's SERVER span, current until the request ends. */
  private final class ServerTrace implements RequestTrace {
    private final long start = System.nanoTime();
    private final Span span;
    private final Scope scope;
    private final String spanName;
    private final RouteTemplate route;

    ServerTrace(Span span, Scope scope, String spanName, RouteTemplate route) {
      this.span = span;
      this.scope = scope;
      this.spanName = spanName;
      this.route = route;
    }

    @Override
    public void end(HttpCall call, Throwable failure) {
      int status = call.status();
      double seconds = (System.nanoTime() - start) / 1e9;
      duration.record(
          seconds,
          failure == null
              ? durationAttributes(spanName, route, call.method(), call.scheme(), status)
              : durationAttributes(spanName, route, call.method(), call.scheme(), status)
                  .toBuilder()
                  .put(ERROR_TYPE, failure.getClass().getName())
                  .build());
      if (span.isRecording()) {
        describe(call, status, failure);
      }
      scope.close();
      span.end();
    }

    private void describe(HttpCall call, int status, Throwable failure) {
      if (status > 0) {
        span.setAttribute(STATUS, status);
      }
      if (failure != null) {
        span.setAttribute(ERROR_TYPE, failure.getClass().getName());
        span.setStatus(StatusCode.ERROR);
      } else if (status >= 500 || status == 0) {
        span.setAttribute(ERROR_TYPE, status == 0 ? "_OTHER" : Integer.toString(status));
        span.setStatus(StatusCode.ERROR);
      }
      String clientKey = call.clientKey();
      if (clientKey != null) {
        span.setAttribute(ENVIRONMENT, label(clientKey));
      }
      int flags = call.flagCount();
      if (flags >= 0) {
        span.setAttribute(FLAGS, flags);
      }
      if (call.responseCache() != 0) {
        span.setAttribute(CACHE_HIT, call.responseCache() > 0);
      }
    }
  }
}
