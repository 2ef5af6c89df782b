package dev.flagedge.server;

import java.util.HashMap;
import java.util.Map;

/**
 * How FlagEdge reads the standard {@code otel.*} settings: the SDK's own defaults, except that
 * nothing is exported without an endpoint (no attempt against a default localhost port), the
 * service is {@code flagedge}, the protocol {@code http/protobuf}, logs are not exported (they go
 * to standard error, with trace ids), the SDK reports its own dropped spans under the current
 * semantic conventions, and the span queue and export batches are sized for a server that answers
 * tens of thousands of requests a second (below).
 */
final class OtelSettings {
  static final String ENDPOINT = "otel.exporter.otlp.endpoint";
  static final String TRACES_ENDPOINT = "otel.exporter.otlp.traces.endpoint";
  static final String METRICS_ENDPOINT = "otel.exporter.otlp.metrics.endpoint";
  static final String QUEUE_SIZE = "otel.bsp.max.queue.size";
  static final String BATCH_SIZE = "otel.bsp.max.export.batch.size";

  /**
   * The span queue, where the SDK's default is 2,048: a server answering 40,000 requests a second
   * fills that in 50 ms, less than one export's round trip to a busy collector, and dropped half
   * its spans at saturation. 16,384 spans hold 0.4 s, a few MB of heap at most.
   */
  static final int DEFAULT_QUEUE_SIZE = 16_384;

  /**
   * Spans per export, where the SDK's default is 512: the exporter waits for each export's answer
   * before it sends the next, so at 512 it could not keep up with saturation even with a long queue
   * (71–76 % of the spans arrived); at 2,048 every span did. About 0.5 MB per export.
   */
  static final int DEFAULT_BATCH_SIZE = 2_048;

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
    resolved.putIfAbsent(QUEUE_SIZE, Integer.toString(DEFAULT_QUEUE_SIZE));
    // The SDK refuses a batch larger than the queue: a smaller queue set alone caps the batch.
    resolved.putIfAbsent(
        BATCH_SIZE, Integer.toString(Math.min(DEFAULT_BATCH_SIZE, queueSize(resolved))));
    return Map.copyOf(resolved);
  }

  private static int queueSize(Map<String, String> properties) {
    try {
      return Integer.parseInt(properties.get(QUEUE_SIZE).trim());
    } catch (NumberFormatException e) {
      return DEFAULT_BATCH_SIZE; // the SDK reports the bad value itself
    }
  }

  private static boolean has(Map<String, String> properties, String name) {
    String value = properties.get(name);
    return value != null && !value.isBlank();
  }
}
