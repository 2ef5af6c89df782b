/**
 * FlagEdge server: a drop-in Flagsmith Edge Proxy. {@link dev.flagedge.server.EdgeServer} starts it
 * in-process from a {@link dev.flagedge.server.ServerConfig}; {@link dev.flagedge.server.Main} is
 * the runnable jar's entry point.
 */
module dev.flagedge.server {
  requires dev.flagedge.sync;
  requires dev.flagedge.engine;
  requires okhttp3; // analytics and usage reports, through the sync's client stack
  requires com.fasterxml.jackson.databind;
  requires com.github.benmanes.caffeine;
  requires io.prometheus.metrics.core;
  requires io.prometheus.metrics.model;
  requires io.prometheus.writer.text;
  requires io.opentelemetry.api;
  requires io.opentelemetry.context;
  requires io.opentelemetry.sdk;
  requires io.opentelemetry.sdk.autoconfigure;
  requires io.opentelemetry.sdk.autoconfigure.spi;
  requires io.opentelemetry.sdk.common;
  requires io.opentelemetry.sdk.trace; // the tracer provider, customized (OtelTelemetry)
  requires org.eclipse.jetty.server;
  requires org.eclipse.jetty.http;
  requires org.eclipse.jetty.io;
  requires org.eclipse.jetty.util;
  requires java.logging; // the JSON log format and quieting Jetty's own loggers
  requires java.management; // heap figures for the response cache budget and health
  requires jdk.unsupported; // sun.misc.Signal: SIGHUP reloads the configuration

  exports dev.flagedge.server;
}
