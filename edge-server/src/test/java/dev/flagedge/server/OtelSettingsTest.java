package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the standard OTEL_* variables become the SDK's settings. */
class OtelSettingsTest {
  @Test
  void environment_otelVariablesBecomeProperties_othersIgnored() {
    Map<String, String> env =
        Map.of(
            "otel_exporter_otlp_endpoint", "http://collector:4318",
            "otel_resource_attributes", "deployment.environment=prod",
            "otel_traces_sampler_arg", " 0.01 ",
            "api_url", "https://example.com/api/v1");
    assertEquals(
        Map.of(
            "otel.exporter.otlp.endpoint", "http://collector:4318",
            "otel.resource.attributes", "deployment.environment=prod",
            "otel.traces.sampler.arg", "0.01"),
        ConfigLoader.openTelemetry(env));
  }

  @Test
  void resolve_defaults_serviceFlagedge_httpProtobuf_noLogExport() {
    Map<String, String> resolved =
        OtelSettings.resolve(Map.of("otel.exporter.otlp.endpoint", "http://c:4318"));
    assertEquals("flagedge", resolved.get("otel.service.name"));
    assertEquals("http/protobuf", resolved.get("otel.exporter.otlp.protocol"));
    assertEquals("otlp", resolved.get("otel.traces.exporter"));
    assertEquals("otlp", resolved.get("otel.metrics.exporter"));
    assertEquals("none", resolved.get("otel.logs.exporter"));
  }

  @Test
  void resolve_tracesEndpointOnly_metricsNotExported() {
    Map<String, String> resolved =
        OtelSettings.resolve(Map.of("otel.exporter.otlp.traces.endpoint", "http://c/v1/traces"));
    assertEquals("otlp", resolved.get("otel.traces.exporter"));
    assertEquals("none", resolved.get("otel.metrics.exporter"));
  }

  @Test
  void resolve_serviceNameInResourceAttributes_kept() {
    Map<String, String> resolved =
        OtelSettings.resolve(
            Map.of(
                "otel.exporter.otlp.endpoint", "http://c",
                "otel.resource.attributes", "service.name=edge-eu"));
    assertFalse(resolved.containsKey("otel.service.name"));
  }

  @Test
  void resolve_spanQueueAndBatch_sizedForSaturation() {
    Map<String, String> resolved =
        OtelSettings.resolve(Map.of("otel.exporter.otlp.endpoint", "http://c:4318"));
    assertEquals("16384", resolved.get("otel.bsp.max.queue.size"));
    assertEquals("2048", resolved.get("otel.bsp.max.export.batch.size"));
  }

  @Test
  void resolve_smallerQueueAlone_capsTheBatch_soTheSdkAcceptsIt() {
    Map<String, String> resolved =
        OtelSettings.resolve(
            Map.of(
                "otel.exporter.otlp.endpoint", "http://c:4318", "otel.bsp.max.queue.size", "1000"));
    assertEquals("1000", resolved.get("otel.bsp.max.queue.size"));
    assertEquals("1000", resolved.get("otel.bsp.max.export.batch.size"));
  }

  @Test
  void resolve_operatorsQueueAndBatch_kept() {
    Map<String, String> resolved =
        OtelSettings.resolve(
            Map.of(
                "otel.exporter.otlp.endpoint",
                "http://c:4318",
                "otel.bsp.max.queue.size",
                "2048",
                "otel.bsp.max.export.batch.size",
                "512"));
    assertEquals("2048", resolved.get("otel.bsp.max.queue.size"));
    assertEquals("512", resolved.get("otel.bsp.max.export.batch.size"));
  }

  @Test
  void enabled_onlyWithAnEndpoint() {
    assertFalse(OtelSettings.enabled(Map.of("otel.service.name", "x")));
    assertTrue(OtelSettings.enabled(Map.of("otel.exporter.otlp.metrics.endpoint", "http://c")));
    assertFalse(
        OtelSettings.enabled(
            Map.of("otel.exporter.otlp.endpoint", "http://c", "otel.sdk.disabled", "TRUE")));
  }

  @Test
  void builder_nonOtelProperty_refused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ServerConfig.builder().openTelemetry(Map.of("service.name", "x")));
  }
}
