package dev.flagedge.server;

import java.util.HashMap;
import java.util.Map;

/**
 * How FlagEdge reads the standard {@code otel.*} settings: the SDK's own defaults, except that
 * nothing is exported without an endpoint (no attempt against a default localhost port), the
 * service is {@code flagedge}, the protocol {@code http/protobuf}, logs are not exported (they go
 * to standard error, with trace ids), and the SDK reports its own dropped spans under the current
 * semantic conventions.
 */
final class OtelSettings {
  static final String ENDPOINT = "otel.exporter.otlp.endpoint";
  static final String TRACES_ENDPOINT = "otel.exporter.otlp.traces.endpoint";
  static final String METRICS_ENDPOINT = "otel.exporter.otlp.metrics.endpoint";

  private OtelSettings() {}

  /** Whether an endpoint is set for some signal and the SDK is not disabled. */
  static boolean enabled(Map<String, String> properties) {
    return !"true".equalsIgnoreCase(properties.getOrDefault("otel.sdk.disabled", "false"))
        && (has(properties, ENDPOINT)
            || has(properties, TRACES_ENDPOINT)
            || has(properties, METRICS_ENDPOINT));
  }

  /** The properties the SDK is built with: FlagEdge's defaults under the given settings. */
  static Map<String, String> resolve(Map<String, String> properties) {
    Map<String, String> resolved = new HashMap<>(properties);
    boolean anyEndpoint = has(properties, ENDPOINT);
    // A signal without an endpoint of its own or a common one is not exported at all.
    resolved.put(
        "otel.traces.exporter", anyEndpoint || has(properties, TRACES_ENDPOINT) ? "otlp" : "none");
    resolved.put(
        "otel.metrics.exporter",
        anyEndpoint || has(properties, METRICS_ENDPOINT) ? "otlp" : "none");
    resolved.put("otel.logs.exporter", "none");
    String resourceAttributes = properties.getOrDefault("otel.resource.attributes", "");
    if (!has(properties, "otel.service.name") && !resourceAttributes.contains("service.name=")) {
      resolved.put("otel.service.name", "flagedge");
    }
    // The Java SDK's default is grpc; the specification's, and FlagEdge's, http/protobuf.
    resolved.putIfAbsent("otel.exporter.otlp.protocol", "http/protobuf");
    resolved.putIfAbsent("otel.experimental.sdk.telemetry.version", "latest");
    return Map.copyOf(resolved);
  }

  private static boolean has(Map<String, String> properties, String name) {
    String value = properties.get(name);
    return value != null && !value.isBlank();
  }
}
