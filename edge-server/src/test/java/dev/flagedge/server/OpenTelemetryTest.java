package dev.flagedge.server;

import static dev.flagedge.server.ServerTestSupport.get;
import static dev.flagedge.server.ServerTestSupport.post;
import static dev.flagedge.server.ServerTestSupport.send;
import static dev.flagedge.server.ServerTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Traces and OTLP metrics against an OTLP/HTTP receiver in the test: spans continue the caller's
 * trace, upstream calls carry theirs, metrics arrive with their routes, JSON logs carry the ids,
 * and nothing secret is ever exported.
 */
class OpenTelemetryTest {
  private static final String SERVER_KEY = "ser.otel_secret_server_key";
  private static final String CLIENT_KEY = "otel_secret_client_key";
  private static final String IDENTIFIER = "secret-identifier-4711";
  private static final String TRAIT_VALUE = "secret-trait-value-0815";
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT_ID = "00f067aa0ba902b7";

  private static final MockWebServer upstream = new MockWebServer();
  private static final ConcurrentLinkedQueue<RecordedRequest> upstreamRequests =
      new ConcurrentLinkedQueue<>();
  private static final ConcurrentLinkedQueue<String> jsonLogs = new ConcurrentLinkedQueue<>();
  private static final Handler capture =
      new Handler() {
        private final java.util.logging.Formatter json = LogSetup.jsonFormatter();

        @Override
        public void publish(LogRecord record) {
          jsonLogs.add(json.format(record)); // on the logging thread, as the server's handler
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private static OtlpReceiver collector;
  private static EdgeServer server;

  @BeforeAll
  static void start() throws IOException {
    Logger.getLogger("").addHandler(capture);
    collector = new OtlpReceiver();
    upstream.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            upstreamRequests.add(request);
            return ServerTestSupport.upstreamJson(ServerTestSupport.document(CLIENT_KEY, "hi"));
          }
        });
    upstream.start();
    server =
        EdgeServer.start(
            ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .environment(SERVER_KEY, CLIENT_KEY)
                .apiUrl(upstream.url("/api/v1").uri())
                .pollInterval(Duration.ofHours(1))
                .accessLog(true)
                .sseAuthenticationToken("sse-token")
                .openTelemetry(
                    Map.of(
                        "otel.exporter.otlp.endpoint", collector.endpoint(),
                        "otel.bsp.schedule.delay", "50",
                        "otel.metric.export.interval", "200"))
                .build());
  }

  @AfterAll
  static void stop() {
    server.close();
    upstream.close();
    collector.close();
    Logger.getLogger("").removeHandler(capture);
  }

  private static String traceparent(String spanId) {
    return "00-" + TRACE_ID + "-" + spanId + "-01";
  }

  private static Span awaitSpan(String name, String traceId) {
    waitUntil(() -> collector.span(name, traceId).isPresent(), Duration.ofSeconds(10), name);
    return collector.span(name, traceId).orElseThrow();
  }

  private static Map<String, String> attributes(Span span) {
    return OtlpReceiver.attributes(span.getAttributesList());
  }

  @Test
  void flags_withTraceparent_serverSpanContinuesTheCallersTrace() {
    HttpResponse<String> response =
        send(
            ServerTestSupport.request(server, "/api/v1/flags/")
                .header("X-Environment-Key", CLIENT_KEY)
                .header("traceparent", traceparent(PARENT_ID))
                .header("tracestate", "vendor=opaque")
                .build());
    assertEquals(200, response.statusCode());
    Span span = awaitSpan("GET /api/v1/flags/", TRACE_ID);
    assertEquals(Span.SpanKind.SPAN_KIND_SERVER, span.getKind());
    assertEquals(PARENT_ID, OtlpReceiver.hex(span.getParentSpanId().toByteArray()));
    assertEquals("vendor=opaque", span.getTraceState());
    Map<String, String> attributes = attributes(span);
    assertEquals("GET", attributes.get("http.request.method"));
    assertEquals("/api/v1/flags/", attributes.get("http.route"));
    assertEquals("200", attributes.get("http.response.status_code"));
    assertEquals("http", attributes.get("url.scheme"));
    assertEquals(Metrics.label(CLIENT_KEY), attributes.get("flagedge.environment"));
    assertEquals("1", attributes.get("flagedge.flags"));
    assertFalse(attributes.containsKey("error.type"));
  }

  @Test
  void identities_sameRequestAgain_spanSaysTheResponseCacheAnswered() {
    String body =
        "{\"identifier\":\""
            + IDENTIFIER
            + "\",\"traits\":[{\"trait_key\":\"plan\",\"trait_value\":\""
            + TRAIT_VALUE
            + "\"}]}";
    String traceId = "5bf92f3577b34da6a3ce929d0e0e4736";
    for (int i = 0; i < 3; i++) {
      send(
          ServerTestSupport.request(server, "/api/v1/identities/")
              .header("X-Environment-Key", CLIENT_KEY)
              .header("traceparent", "00-" + traceId + "-00f067aa0ba9020" + i + "-01")
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
              .build());
    }
    waitUntil(
        () ->
            collector.spans().stream()
                    .filter(s -> s.getName().equals("POST /api/v1/identities/"))
                    .count()
                >= 3,
        Duration.ofSeconds(10),
        "three identity spans");
    List<String> hits =
        collector.spans().stream()
            .filter(s -> OtlpReceiver.hex(s.getTraceId().toByteArray()).equals(traceId))
            .map(s -> attributes(s).get("flagedge.response_cache.hit"))
            .toList();
    assertTrue(hits.contains("true"), hits.toString());
    assertTrue(hits.contains("false"), hits.toString());
  }

  @Test
  void stream_spanEndsWhenTheStreamIsHandedOff() throws Exception {
    HttpResponse<InputStream> response =
        ServerTestSupport.HTTP.send(
            ServerTestSupport.request(server, "/sse/environments/" + CLIENT_KEY + "/stream")
                .header("traceparent", traceparent("00f067aa0ba90301"))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream events = response.body()) {
      assertEquals(200, response.statusCode());
      assertTrue(events.read() >= 0); // the first event has come: the handler has returned
      // The span is exported while the stream is still open.
      Span span = awaitSpan("GET /sse/environments/{client_key}/stream", TRACE_ID);
      assertEquals("/sse/environments/{client_key}/stream", attributes(span).get("http.route"));
    }
  }

  @Test
  void unknownPath_spanNamedByItsMethodAlone_withoutRoute() {
    String traceId = "6bf92f3577b34da6a3ce929d0e0e4736";
    send(
        ServerTestSupport.request(server, "/no/such/" + CLIENT_KEY)
            .header("traceparent", "00-" + traceId + "-00f067aa0ba90401-01")
            .build());
    Span span = awaitSpan("GET", traceId);
    assertEquals("404", attributes(span).get("http.response.status_code"));
    assertFalse(attributes(span).containsKey("http.route"));
  }

  @Test
  void documentFetch_clientSpan_contextSentUpstream() {
    waitUntil(
        () ->
            collector.spans().stream()
                .anyMatch(s -> s.getName().equals("GET /environment-document/")),
        Duration.ofSeconds(10),
        "the document fetch's span");
    Span fetch =
        collector.spans().stream()
            .filter(s -> s.getName().equals("GET /environment-document/"))
            .findFirst()
            .orElseThrow();
    assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, fetch.getKind());
    assertEquals("/environment-document/", attributes(fetch).get("url.template"));
    assertEquals("200", attributes(fetch).get("http.response.status_code"));
    String sent =
        "00-"
            + OtlpReceiver.hex(fetch.getTraceId().toByteArray())
            + "-"
            + OtlpReceiver.hex(fetch.getSpanId().toByteArray())
            + "-"; // then the flags: sampled, and perhaps W3C level 2's random trace id
    assertTrue(
        upstreamRequests.stream()
            .anyMatch(r -> String.valueOf(r.getHeaders().get("traceparent")).startsWith(sent)),
        "the upstream got the client span's traceparent");
  }

  @Test
  void queueChange_fetchItCausesIsInTheRequestsTrace() {
    String traceId = "9bf92f3577b34da6a3ce929d0e0e4736";
    HttpResponse<String> response =
        send(
            ServerTestSupport.request(server, "/sse/environments/" + CLIENT_KEY + "/queue-change")
                .header("Authorization", "Token sse-token")
                .header("traceparent", "00-" + traceId + "-00f067aa0ba90701-01")
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"updated_at\": \"2026-12-01T10:00:00Z\"}"))
                .build());
    assertEquals(200, response.statusCode());
    Span request = awaitSpan("POST /sse/environments/{client_key}/queue-change", traceId);
    Span fetch = awaitSpan("GET /environment-document/", traceId);
    assertEquals(request.getSpanId(), fetch.getParentSpanId());
  }

  @Test
  void metrics_requestDurationByRoute_andServerMetrics_withServiceName() {
    get(server, "/api/v1/flags/", CLIENT_KEY);
    waitUntil(
        () -> durationRoutes().contains("/api/v1/flags/"),
        Duration.ofSeconds(10),
        "http.server.request.duration for /api/v1/flags/");
    Metric duration = collector.metrics("http.server.request.duration").get(0);
    assertEquals("s", duration.getUnit());
    HistogramDataPoint point = duration.getHistogram().getDataPoints(0);
    assertEquals(0.005, point.getExplicitBounds(0));
    waitUntil(
        () -> !collector.metrics("flagedge_document_updates").isEmpty(),
        Duration.ofSeconds(10),
        "the server's own metrics");
    String serviceName =
        collector.metrics.peek().getResourceMetrics(0).getResource().getAttributesList().stream()
            .filter(kv -> kv.getKey().equals("service.name"))
            .map(kv -> kv.getValue().getStringValue())
            .findFirst()
            .orElseThrow();
    assertEquals("flagedge", serviceName);
  }

  private static List<String> durationRoutes() {
    return collector.metrics("http.server.request.duration").stream()
        .flatMap(m -> m.getHistogram().getDataPointsList().stream())
        .flatMap(p -> p.getAttributesList().stream())
        .filter(kv -> kv.getKey().equals("http.route"))
        .map(kv -> kv.getValue().getStringValue())
        .toList();
  }

  @Test
  void jsonLogs_accessLogLineCarriesTheRequestsTraceId() {
    String traceId = "7bf92f3577b34da6a3ce929d0e0e4736";
    send(
        ServerTestSupport.request(server, "/api/v1/flags/")
            .header("X-Environment-Key", CLIENT_KEY)
            .header("traceparent", "00-" + traceId + "-00f067aa0ba90501-01")
            .build());
    waitUntil(
        () ->
            jsonLogs.stream()
                .anyMatch(
                    l -> l.contains("/api/v1/flags") && l.contains("\"trace_id\":\"" + traceId)),
        Duration.ofSeconds(10),
        "an access log line with the trace id");
    String line = jsonLogs.stream().filter(l -> l.contains(traceId)).findFirst().orElseThrow();
    assertTrue(line.matches("(?s).*\"span_id\":\"[0-9a-f]{16}\".*"), line);
  }

  @Test
  void export_neverHoldsAKeyAnIdentifierOrATraitValue() {
    post(
        server,
        "/api/v1/identities/",
        SERVER_KEY,
        "{\"identifier\":\""
            + IDENTIFIER
            + "\",\"traits\":[{\"trait_key\":\"t\",\"trait_value\":\""
            + TRAIT_VALUE
            + "\"}]}");
    get(server, "/api/v1/identities/?identifier=" + IDENTIFIER, CLIENT_KEY);
    get(server, "/api/v1/environment-document/", SERVER_KEY);
    String traceId = "8bf92f3577b34da6a3ce929d0e0e4736";
    send(
        ServerTestSupport.request(server, "/ofrep/v1/evaluate/flags/banner")
            .header("X-API-Key", SERVER_KEY)
            .header("traceparent", "00-" + traceId + "-00f067aa0ba90601-01")
            .POST(
                java.net.http.HttpRequest.BodyPublishers.ofString(
                    "{\"context\":{\"targetingKey\":\"" + IDENTIFIER + "\"}}"))
            .build());
    Span ofrep = awaitSpan("POST /ofrep/v1/evaluate/flags/{key}", traceId);
    assertEquals("/ofrep/v1/evaluate/flags/{key}", attributes(ofrep).get("http.route"));
    waitUntil(
        () -> durationRoutes().contains("/api/v1/environment-document/"),
        Duration.ofSeconds(10),
        "metrics after the requests");
    String everything = collector.everything();
    for (String secret :
        List.of(SERVER_KEY, CLIENT_KEY, "otel_secret", IDENTIFIER, TRAIT_VALUE, "\"banner\"")) {
      assertFalse(everything.contains(secret), "exported: " + secret);
    }
    for (Span span : collector.spans()) {
      for (KeyValue kv : span.getAttributesList()) {
        assertFalse(kv.getKey().startsWith("url.path") || kv.getKey().startsWith("url.query"));
      }
    }
  }
}
