package dev.flagedge.server;

import static dev.flagedge.server.ServerTestSupport.get;
import static dev.flagedge.server.ServerTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exporter never slows serving: a collector that is down or stalls costs dropped spans, counted
 * in a metric, not request time; and nothing at all is sent when no endpoint is set.
 */
class OpenTelemetryExporterTest {
  private static final String CLIENT_KEY = "exporter_client_key";
  private static final int REQUESTS = 300;

  @TempDir Path dir;

  private EdgeServer start(Map<String, String> openTelemetry) throws IOException {
    Path file =
        java.nio.file.Files.writeString(
            dir.resolve("doc.json"), ServerTestSupport.document(CLIENT_KEY, "hi"));
    return EdgeServer.start(
        ServerConfig.builder()
            .host("127.0.0.1")
            .port(0)
            .environmentFile(file, Optional.empty())
            .openTelemetry(openTelemetry)
            .build());
  }

  /**
   * A request that waited for the exporter would take at least its timeout (20 s below); one that
   * did not takes milliseconds, or a second or two on a machine busy with other work.
   */
  private static final long WAITED_FOR_THE_EXPORTER_MILLIS = 5_000;

  /** The slowest of {@value #REQUESTS} requests, in milliseconds; all must succeed. */
  private static long slowestRequestMillis(EdgeServer server) {
    long slowest = 0;
    for (int i = 0; i < REQUESTS; i++) {
      long start = System.nanoTime();
      assertEquals(200, get(server, "/api/v1/flags/", CLIENT_KEY).statusCode());
      slowest = Math.max(slowest, System.nanoTime() - start);
    }
    return TimeUnit.NANOSECONDS.toMillis(slowest);
  }

  @Test
  void collectorDown_requestsServedAsUsual() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (EdgeServer server =
        start(
            Map.of(
                "otel.exporter.otlp.endpoint", "http://127.0.0.1:" + closedPort,
                // Retries only make close() take longer here: its flush would retry for seconds.
                "otel.java.exporter.otlp.retry.disabled", "true",
                "otel.bsp.schedule.delay", "10",
                "otel.metric.export.interval", "100"))) {
      long slowest = slowestRequestMillis(server);
      assertTrue(
          slowest < WAITED_FOR_THE_EXPORTER_MILLIS, "slowest request took " + slowest + " ms");
    }
  }

  @Test
  void collectorStalls_requestsServedAsUsual_droppedSpansCounted() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (MockWebServer stalled = new MockWebServer();
        OtlpReceiver metrics = new OtlpReceiver()) {
      stalled.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
              release.await(60, TimeUnit.SECONDS); // takes the spans, never answers in time
              return new MockResponse.Builder().code(200).build();
            }
          });
      stalled.start();
      try (EdgeServer server =
          start(
              Map.of(
                  "otel.exporter.otlp.traces.endpoint", stalled.url("/v1/traces").toString(),
                  "otel.exporter.otlp.metrics.endpoint", metrics.endpoint() + "/v1/metrics",
                  "otel.exporter.otlp.timeout", "20000",
                  "otel.bsp.max.queue.size", "16",
                  "otel.bsp.max.export.batch.size", "8",
                  "otel.bsp.schedule.delay", "10",
                  "otel.metric.export.interval", "100"))) {
        long slowest = slowestRequestMillis(server);
        assertTrue(
            slowest < WAITED_FOR_THE_EXPORTER_MILLIS, "slowest request took " + slowest + " ms");
        waitUntil(
            () -> droppedSpans(metrics) > 0,
            Duration.ofSeconds(10),
            "dropped spans counted in otel.sdk.processor.span.processed");
        // Counted per batch, not per request: the per-span counters stay off.
        assertTrue(metrics.metrics("otel.sdk.span.started").isEmpty(), "otel.sdk.span.started");
        assertTrue(metrics.metrics("otel.sdk.span.live").isEmpty(), "otel.sdk.span.live");
      } finally {
        release.countDown();
      }
    }
  }

  /** Spans the batch processor dropped because its queue was full, as last exported. */
  private static long droppedSpans(OtlpReceiver metrics) {
    return metrics.metrics("otel.sdk.processor.span.processed").stream()
        .flatMap(m -> m.getSum().getDataPointsList().stream())
        .filter(
            p ->
                p.getAttributesList().stream()
                    .anyMatch(
                        kv ->
                            kv.getKey().equals("error.type")
                                && kv.getValue().getStringValue().equals("queue_full")))
        .mapToLong(p -> p.getAsInt())
        .max()
        .orElse(0);
  }

  @Test
  void noEndpoint_telemetryOff() {
    assertSame(Telemetry.OFF, Telemetry.create(Map.of()));
    assertSame(
        Telemetry.OFF,
        Telemetry.create(Map.of("otel.service.name", "x", "otel.traces.exporter", "otlp")));
    assertSame(
        Telemetry.OFF,
        Telemetry.create(
            Map.of(
                "otel.exporter.otlp.endpoint", "http://collector", "otel.sdk.disabled", "true")));
  }

  @Test
  void noEndpoint_nothingSentToTheDefaultPort() throws IOException {
    OtlpReceiver receiver;
    try {
      receiver = new OtlpReceiver(4318); // where an SDK's defaults would send
    } catch (IOException e) {
      Assumptions.abort("port 4318 is taken: " + e);
      return;
    }
    try (receiver;
        EdgeServer server =
            start(
                Map.of(
                    "otel.traces.exporter", "otlp",
                    "otel.bsp.schedule.delay", "10",
                    "otel.metric.export.interval", "100"))) {
      for (int i = 0; i < 20; i++) {
        get(server, "/api/v1/flags/", CLIENT_KEY);
      }
      // Ten export intervals: anything the SDK would send had time to arrive.
      assertFalse(
          ServerTestSupport.pollUntil(() -> !receiver.bodies.isEmpty(), Duration.ofSeconds(1)));
    }
  }
}
