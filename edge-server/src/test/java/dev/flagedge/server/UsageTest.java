package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagedge.sync.UpstreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** Usage batches: rows per request, what counts, and how each request is traced. */
class UsageTest {
  @Test
  void report_tracedThroughTheUpstreamObserver_itsHeadersSent() throws Exception {
    try (MockWebServer upstream = new MockWebServer()) {
      upstream.enqueue(new MockResponse.Builder().code(202).build());
      upstream.start();
      RecordingObserver observer = new RecordingObserver();
      Usage usage =
          new Usage(
              upstream.url("/api/v1").uri(),
              "proxy",
              Duration.ofHours(1),
              Duration.ofSeconds(5),
              observer);
      usage.count("flags", 200, "env");
      usage.close();
      RecordedRequest sent = upstream.takeRequest();
      assertEquals("proxy", sent.getHeaders().get("X-Proxy-Key"));
      assertEquals(RecordingObserver.TRACEPARENT, sent.getHeaders().get("traceparent"));
      assertEquals(List.of("POST /proxy/usage/", "answered 202"), observer.events);
    }
  }

  @Test
  void flush_moreRowsThanOneRequestTakes_splitIntoRequestsOfAtMost1000() throws Exception {
    try (MockWebServer upstream = new MockWebServer()) {
      for (int i = 0; i < 3; i++) {
        upstream.enqueue(new MockResponse.Builder().code(200).build());
      }
      upstream.start();
      Usage usage =
          new Usage(
              upstream.url("/api/v1").uri(),
              "proxy",
              Duration.ofHours(1),
              Duration.ofSeconds(5),
              UpstreamObserver.NONE);
      for (int i = 0; i < Usage.MAX_ROWS + 1; i++) {
        usage.count("flags", 200, "env_" + i);
      }
      usage.count("identities", 404, "env_0"); // not a success: not counted
      usage.count("health", 200, "env_0"); // not an SDK endpoint: not counted
      usage.flush();
      List<Integer> sizes = new ArrayList<>();
      Set<String> keys = new HashSet<>();
      long total = 0;
      for (int i = 0; i < 2; i++) {
        RecordedRequest request = upstream.takeRequest();
        assertEquals("/api/v1/proxy/usage/", request.getUrl().encodedPath());
        keys.add(request.getHeaders().get("Idempotency-Key"));
        JsonNode rows = ServerTestSupport.JSON.readTree(request.getBody().utf8());
        sizes.add(rows.size());
        for (JsonNode row : rows) {
          assertEquals("flags", row.get("resource").textValue());
          total += row.get("count").longValue();
        }
      }
      assertEquals(List.of(Usage.MAX_ROWS, 1), sizes);
      assertEquals(2, keys.size());
      assertEquals(Usage.MAX_ROWS + 1, total);
      usage.close(); // nothing pending: no third request
      assertEquals(2, upstream.getRequestCount());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
