package dev.flagedge.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;

/** The sink counts the spans of an export without decoding them. */
class OtlpSinkTest {
  @Test
  void countSpans_everySpanOfEveryScopeOfEveryResource() {
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(resource(scope(3), scope(2)))
            .addResourceSpans(resource(scope(4)))
            .build();
    assertEquals(9, OtlpSink.countSpans(request.toByteArray()));
  }

  @Test
  void countSpans_emptyExport_none() {
    assertEquals(0, OtlpSink.countSpans(new byte[0]));
    assertEquals(
        0,
        OtlpSink.countSpans(
            ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource(scope(0)))
                .build()
                .toByteArray()));
  }

  private static ResourceSpans resource(ScopeSpans... scopes) {
    KeyValue service =
        KeyValue.newBuilder()
            .setKey("service.name")
            .setValue(AnyValue.newBuilder().setStringValue("flagedge"))
            .build();
    ResourceSpans.Builder resource =
        ResourceSpans.newBuilder().setResource(Resource.newBuilder().addAttributes(service));
    for (ScopeSpans scope : scopes) {
      resource.addScopeSpans(scope);
    }
    return resource.build();
  }

  private static ScopeSpans scope(int spans) {
    ScopeSpans.Builder scope =
        ScopeSpans.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("dev.flagedge.server"));
    for (int i = 0; i < spans; i++) {
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(ByteString.copyFrom(new byte[16]))
              .setSpanId(ByteString.copyFrom(new byte[8]))
              .setName("GET /api/v1/flags/")
              .setStartTimeUnixNano(1_700_000_000_000_000_000L)
              .setEndTimeUnixNano(1_700_000_000_000_100_000L)
              .addAttributes(
                  KeyValue.newBuilder()
                      .setKey("http.response.status_code")
                      .setValue(AnyValue.newBuilder().setIntValue(200))));
    }
    return scope.build();
  }
}
