package dev.flagedge.server;

import dev.flagedge.sync.UpstreamObserver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.function.BiConsumer;

/**
 * A CLIENT span per upstream call, named {@code {METHOD} {template}}, a child of whatever span is
 * current (none on the poller's threads: each poll starts its own trace), with its context sent
 * upstream in {@code traceparent}. Records the origin and template, never the URL, whose path may
 * hold a key.
 */
final class OtelUpstreamObserver implements UpstreamObserver {
  private static final AttributeKey<String> SERVER_ADDRESS =
      AttributeKey.stringKey("server.address");
  private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  private static final AttributeKey<String> URL_TEMPLATE = AttributeKey.stringKey("url.template");

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  OtelUpstreamObserver(Tracer tracer, TextMapPropagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  @Override
  public Exchange start(Call call, BiConsumer<String, String> headers) {
    Span span =
        tracer
            .spanBuilder(call.method() + " " + call.template())
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(OtelTelemetry.METHOD, RouteTemplate.method(call.method()))
            .setAttribute(OtelTelemetry.SCHEME, call.scheme())
            .setAttribute(SERVER_ADDRESS, call.host())
            .setAttribute(SERVER_PORT, (long) call.port())
            .setAttribute(URL_TEMPLATE, call.template())
            .startSpan();
    propagator.inject(Context.current().with(span), headers, BiConsumer::accept);
    return new Exchange() {
      @Override
      public void answered(int status) {
        span.setAttribute(OtelTelemetry.STATUS, status);
        if (status >= 400) {
          span.setAttribute(OtelTelemetry.ERROR_TYPE, Integer.toString(status));
          span.setStatus(StatusCode.ERROR);
        }
        span.end();
      }

      @Override
      public void failed(Exception failure) {
        span.setAttribute(OtelTelemetry.ERROR_TYPE, failure.getClass().getName());
        span.setStatus(StatusCode.ERROR);
        span.end();
      }
    };
  }
}
