package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.flagedge.sync.UpstreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Analytics batches: what is sent upstream, when, and how a refusal ends. */
class AnalyticsTest {
  private static final String FORWARDED = "forwarded_client_key";

  private final MockWebServer upstream = new MockWebServer();
  private Analytics analytics;

  @BeforeEach
  void startUpstream() throws Exception {
    upstream.start();
  }

  @AfterEach
  void stop() {
    if (analytics != null) {
      analytics.close();
    }
    upstream.close();
  }

  private Analytics start(UpstreamObserver observer) {
    analytics =
        new Analytics(
            upstream.url("/api/v1/").uri(),
            Set.of(FORWARDED),
            Duration.ofHours(1),
            Duration.ofSeconds(5),
            observer);
    return analytics;
  }

  private static byte[] report(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void flush_sumsEachForwardedEnvironmentsCounts_sentOnceWithItsClientKey() throws Exception {
    upstream.enqueue(new MockResponse.Builder().code(200).build());
    Analytics analytics = start(UpstreamObserver.NONE);
    analytics.record(FORWARDED, report("{\"banner\": 3, \"unused\": 0}"));
    analytics.record(FORWARDED, report("{\"banner\": 2}"));
    analytics.record("other_client_key", report("{\"banner\": 7}")); // not forwarded
    analytics.flush();
    RecordedRequest sent = upstream.takeRequest(5, TimeUnit.SECONDS);
    assertEquals("POST", sent.getMethod());
    assertEquals("/api/v1/analytics/flags/", sent.getUrl().encodedPath());
    assertEquals(FORWARDED, sent.getHeaders().get("X-Environment-Key"));
    assertEquals("{\"banner\":5}", sent.getBody().utf8());
    analytics.flush(); // nothing new: nothing sent
    assertEquals(1, upstream.getRequestCount());
  }

  @Test
  void refusedBatch_droppedNotSentAgain() throws Exception {
    upstream.enqueue(new MockResponse.Builder().code(500).build());
    upstream.enqueue(new MockResponse.Builder().code(200).build());
    Analytics analytics = start(UpstreamObserver.NONE);
    analytics.record(FORWARDED, report("{\"banner\": 3}"));
    analytics.flush();
    analytics.record(FORWARDED, report("{\"footer\": 1}"));
    analytics.flush();
    assertEquals("{\"banner\":3}", upstream.takeRequest().getBody().utf8());
    assertEquals("{\"footer\":1}", upstream.takeRequest().getBody().utf8());
  }

  @Test
  void close_sendsWhatWasGatheredBeforeReturning() throws Exception {
    upstream.enqueue(new MockResponse.Builder().code(200).build());
    Analytics analytics = start(UpstreamObserver.NONE);
    analytics.record(FORWARDED, report("{\"banner\": 4}"));
    analytics.close();
    assertEquals(1, upstream.getRequestCount());
    assertEquals("{\"banner\":4}", upstream.takeRequest().getBody().utf8());
  }

  @Test
  void batch_tracedThroughTheUpstreamObserver_itsHeadersSent() throws Exception {
    upstream.enqueue(new MockResponse.Builder().code(202).build());
    RecordingObserver observer = new RecordingObserver();
    Analytics analytics = start(observer);
    analytics.record(FORWARDED, report("{\"banner\": 1}"));
    analytics.flush();
    RecordedRequest sent = upstream.takeRequest();
    assertEquals(RecordingObserver.TRACEPARENT, sent.getHeaders().get("traceparent"));
    assertEquals(List.of("POST /analytics/flags/", "answered 202"), observer.events);
  }

  @Test
  void upstreamDown_batchDroppedAndFailureTraced() throws Exception {
    RecordingObserver observer = new RecordingObserver();
    Analytics analytics = start(observer);
    upstream.close(); // connection refused from now on
    analytics.record(FORWARDED, report("{\"banner\": 1}"));
    analytics.flush();
    assertEquals(List.of("POST /analytics/flags/", "failed"), observer.events);
    analytics.flush(); // dropped: not tried again
    assertEquals(2, observer.events.size());
    assertNull(upstream.takeRequest(0, TimeUnit.SECONDS));
  }
}
