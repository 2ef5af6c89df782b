package dev.flagedge.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * An OTLP/HTTP collector in the test: a MockWebServer that decodes what it receives with the
 * protocol's own messages and keeps every body as it came, to search it for secrets.
 */
final class OtlpReceiver implements AutoCloseable {
  private final MockWebServer server = new MockWebServer();
  final ConcurrentLinkedQueue<byte[]> bodies = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<ExportTraceServiceRequest> traces = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<ExportMetricsServiceRequest> metrics = new ConcurrentLinkedQueue<>();

  OtlpReceiver() throws IOException {
    this(0);
  }

  /** A receiver on the given port (0: any free one). */
  OtlpReceiver(int port) throws IOException {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
            bodies.add(body);
            try {
              String path = request.getUrl().encodedPath();
              if (path.equals("/v1/traces")) {
                traces.add(ExportTraceServiceRequest.parseFrom(body));
              } else if (path.equals("/v1/metrics")) {
                metrics.add(ExportMetricsServiceRequest.parseFrom(body));
              } else {
                return new MockResponse.Builder().code(404).build();
              }
            } catch (InvalidProtocolBufferException e) {
              return new MockResponse.Builder().code(400).build();
            }
            return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/x-protobuf")
                .build();
          }
        });
    server.start(port);
  }

  /** The base URL, as {@code OTEL_EXPORTER_OTLP_ENDPOINT} takes it. */
  String endpoint() {
    String url = server.url("/").toString();
    return url.substring(0, url.length() - 1);
  }

  List<Span> spans() {
    List<Span> spans = new ArrayList<>();
    for (ExportTraceServiceRequest request : traces) {
      for (ResourceSpans resource : request.getResourceSpansList()) {
        for (ScopeSpans scope : resource.getScopeSpansList()) {
          spans.addAll(scope.getSpansList());
        }
      }
    }
    return spans;
  }

  Optional<Span> span(String name, String traceId) {
    return spans().stream()
        .filter(s -> s.getName().equals(name) && hex(s.getTraceId().toByteArray()).equals(traceId))
        .findFirst();
  }

  List<Metric> metrics(String name) {
    List<Metric> found = new ArrayList<>();
    for (ExportMetricsServiceRequest request : metrics) {
      for (ResourceMetrics resource : request.getResourceMetricsList()) {
        for (ScopeMetrics scope : resource.getScopeMetricsList()) {
          for (Metric metric : scope.getMetricsList()) {
            if (metric.getName().equals(name)) {
              found.add(metric);
            }
          }
        }
      }
    }
    return found;
  }

  /** Every body received, as text with the bytes that are not text kept as they are. */
  String everything() {
    StringBuilder all = new StringBuilder();
    for (byte[] body : bodies) {
      all.append(new String(body, java.nio.charset.StandardCharsets.ISO_8859_1)).append('\n');
    }
    return all.toString();
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static Map<String, String> attributes(List<KeyValue> attributes) {
    return attributes.stream()
        .collect(
            Collectors.toMap(
                KeyValue::getKey,
                kv ->
                    kv.getValue().hasIntValue()
                        ? Long.toString(kv.getValue().getIntValue())
                        : kv.getValue().hasBoolValue()
                            ? Boolean.toString(kv.getValue().getBoolValue())
                            : kv.getValue().getStringValue()));
  }

  @Override
  public void close() {
    server.close();
  }
}
