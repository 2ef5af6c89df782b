package dev.flagedge.openfeature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flagedge.sync.FlagEdgeClient;
import dev.flagedge.sync.LoadedEnvironment;
import dev.flagedge.sync.SyncListener;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.exceptions.OpenFeatureError;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Initialization, readiness and provider events through the real OpenFeature SDK. */
class FlagEdgeProviderLifecycleTest {
  private static final Duration FAST = Duration.ofMillis(50);
  private static final String SERVER_KEY = "ser.openfeature-test-key";

  @TempDir Path directory;

  /** Waits for the next event, up to a deadline. */
  private static EventDetails next(BlockingQueue<EventDetails> events) throws InterruptedException {
    EventDetails event = events.poll(10, TimeUnit.SECONDS);
    assertNotNull(event, "no event within 10 seconds");
    return event;
  }

  private static String changed(String document) {
    return document
        .replace("Welcome to FlagEdge", "Welcome to FlagEdge, again")
        .replace("\"feature_state_value\": 50", "\"feature_state_value\": 60");
  }

  @Test
  void documentFileChange_configurationChangedWithChangedFlags() throws Exception {
    Path file = TestDocuments.file(directory);
    try (SdkDomain sdk =
        new SdkDomain(FlagEdgeProvider.builder().documentFile(file).pollInterval(FAST).build())
            .bindAndWait()) {
      Client client = sdk.client();
      BlockingQueue<EventDetails> events = new LinkedBlockingQueue<>();
      client.onProviderConfigurationChanged(events::add);

      TestDocuments.replace(file, changed(TestDocuments.text()));

      EventDetails event = next(events);
      assertEquals(List.of("banner_text", "max_cart_items"), event.getFlagsChanged());
      assertEquals("Welcome to FlagEdge, again", client.getStringValue("banner_text", "x"));
      assertEquals(60, client.getIntegerValue("max_cart_items", 0));
    }
  }

  @Test
  void documentFileBroken_staleThenReadyOnRepair() throws Exception {
    Path file = TestDocuments.file(directory);
    try (SdkDomain sdk =
        new SdkDomain(FlagEdgeProvider.builder().documentFile(file).pollInterval(FAST).build())
            .bindAndWait()) {
      Client client = sdk.client();
      BlockingQueue<EventDetails> stale = new LinkedBlockingQueue<>();
      BlockingQueue<EventDetails> changes = new LinkedBlockingQueue<>();
      client.onProviderStale(stale::add);
      client.onProviderConfigurationChanged(changes::add);
      BlockingQueue<EventDetails> ready = new LinkedBlockingQueue<>();
      client.onProviderReady(ready::add);
      next(ready); // handlers for the current state run at once

      TestDocuments.replace(file, "{ not a document");
      assertTrue(next(stale).getMessage().contains("invalid document"));
      assertEquals(ProviderState.STALE, client.getProviderState());
      assertEquals(
          "Welcome to FlagEdge",
          client.getStringValue("banner_text", "x"),
          "the last good document keeps serving");

      TestDocuments.replace(file, changed(TestDocuments.text()));
      assertEquals(List.of("banner_text", "max_cart_items"), next(changes).getFlagsChanged());
      next(ready);
      assertEquals(ProviderState.READY, client.getProviderState());
    }
  }

  @Test
  void existingClient_changesHeardAndClientLeftRunning() throws Exception {
    Path file = TestDocuments.file(directory);
    BlockingQueue<LoadedEnvironment> loads = new LinkedBlockingQueue<>();
    SyncListener recorder =
        new SyncListener() {
          @Override
          public void onChange(String clientKey, LoadedEnvironment current) {
            loads.add(current);
          }
        };
    try (FlagEdgeClient flags =
        FlagEdgeClient.builder().documentFile(file).pollInterval(FAST).listener(recorder).build()) {
      assertNotNull(loads.poll(10, TimeUnit.SECONDS));
      FlagEdgeProvider provider = FlagEdgeProvider.builder().client(flags).build();
      try (SdkDomain sdk = new SdkDomain(provider).bindAndWait()) {
        BlockingQueue<EventDetails> events = new LinkedBlockingQueue<>();
        sdk.client().onProviderConfigurationChanged(events::add);

        TestDocuments.replace(file, changed(TestDocuments.text()));

        assertEquals(List.of("banner_text", "max_cart_items"), next(events).getFlagsChanged());
        assertEquals(60, sdk.client().getIntegerValue("max_cart_items", 0));
      }
      loads.clear();
      TestDocuments.replace(file, TestDocuments.text());
      assertNotNull(loads.poll(10, TimeUnit.SECONDS), "the client still syncs after shutdown");
      assertEquals(50, flags.environmentFlags().value("max_cart_items", 0L).intValue());
    }
  }

  @Test
  void existingClientRefreshed_configurationChangedWithoutPolling() throws Exception {
    AtomicReference<String> document = new AtomicReference<>(TestDocuments.text());
    try (FlagEdgeClient flags =
        FlagEdgeClient.builder()
            .documentSupplier(() -> document.get().getBytes(StandardCharsets.UTF_8))
            .build()) {
      SdkDomain first = new SdkDomain(FlagEdgeProvider.builder().client(flags).build());
      SdkDomain second = new SdkDomain(FlagEdgeProvider.builder().client(flags).build());
      try (first;
          second) {
        first.bindAndWait();
        second.bindAndWait();
        BlockingQueue<EventDetails> firstEvents = new LinkedBlockingQueue<>();
        BlockingQueue<EventDetails> secondEvents = new LinkedBlockingQueue<>();
        first.client().onProviderConfigurationChanged(firstEvents::add);
        second.client().onProviderConfigurationChanged(secondEvents::add);

        document.set(changed(TestDocuments.text()));
        flags.refresh();

        assertEquals(List.of("banner_text", "max_cart_items"), next(firstEvents).getFlagsChanged());
        assertEquals(
            List.of("banner_text", "max_cart_items"), next(secondEvents).getFlagsChanged());
        assertEquals(60, second.client().getIntegerValue("max_cart_items", 0));
      }
      BlockingQueue<LoadedEnvironment> heard = new LinkedBlockingQueue<>();
      flags.addListener(
          new SyncListener() {
            @Override
            public void onChange(String clientKey, LoadedEnvironment current) {
              heard.add(current);
            }
          });
      assertEquals(1, heard.size(), "the client serves on after its providers shut down");
    }
  }

  @Test
  void existingClientFailing_staleThenReadyOnRecovery() throws Exception {
    AtomicReference<String> document = new AtomicReference<>(TestDocuments.text());
    try (FlagEdgeClient flags =
            FlagEdgeClient.builder()
                .documentSupplier(() -> document.get().getBytes(StandardCharsets.UTF_8))
                .build();
        SdkDomain sdk = new SdkDomain(FlagEdgeProvider.builder().client(flags).build())) {
      sdk.bindAndWait();
      BlockingQueue<EventDetails> stale = new LinkedBlockingQueue<>();
      BlockingQueue<EventDetails> ready = new LinkedBlockingQueue<>();
      sdk.client().onProviderStale(stale::add);
      sdk.client().onProviderReady(ready::add);
      next(ready); // handlers for the current state run at once

      document.set("[]");
      flags.refresh();
      assertEquals(
          "flags may be out of date: invalid document: expected an object at $, found []",
          next(stale).getMessage());

      document.set(TestDocuments.text());
      flags.refresh();
      assertEquals("flags sync recovered", next(ready).getMessage());
    }
  }

  @Test
  void unreachableUpstream_initializationFailsAndEvaluationsNotReady() {
    FlagEdgeProvider provider =
        FlagEdgeProvider.builder()
            .serverKey(SERVER_KEY)
            .apiUrl(URI.create("http://127.0.0.1:1/api/v1"))
            .startupTimeout(Duration.ofMillis(200))
            .build();
    try (SdkDomain sdk = new SdkDomain(provider)) {
      OpenFeatureError error = assertThrows(OpenFeatureError.class, sdk::bindAndWait);
      assertEquals(ErrorCode.PROVIDER_NOT_READY, error.getErrorCode());
      assertEquals(ProviderState.ERROR, sdk.client().getProviderState());

      FlagEvaluationDetails<Boolean> details =
          sdk.client().getBooleanDetails("banner_text", true, new ImmutableContext("alice"));
      assertEquals(true, details.getValue());
      assertEquals(ErrorCode.PROVIDER_NOT_READY, details.getErrorCode());
    }
  }

  @Test
  void realtimeStream_changeAnnounced_configurationChangedDespiteAnHourlyPoll() throws Exception {
    AtomicReference<String> document = new AtomicReference<>(TestDocuments.text());
    AtomicReference<String> announced = new AtomicReference<>(": ping\n\n");
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              boolean stream = request.getUrl().encodedPath().endsWith("/stream");
              return new MockResponse.Builder()
                  .code(200)
                  .setHeader("Content-Type", stream ? "text/event-stream" : "application/json")
                  .body(stream ? announced.get() : document.get())
                  .build();
            }
          });
      server.start();
      try (SdkDomain sdk =
          new SdkDomain(
                  FlagEdgeProvider.builder()
                      .serverKey(SERVER_KEY)
                      .apiUrl(server.url("/api/v1").uri())
                      .realtimeUrl(server.url("/").uri())
                      .pollInterval(Duration.ofHours(1))
                      .build())
              .bindAndWait()) {
        BlockingQueue<EventDetails> changes = new LinkedBlockingQueue<>();
        sdk.client().onProviderConfigurationChanged(changes::add);
        document.set(
            changed(TestDocuments.text())
                .replace("2026-11-25T00:00:00.000000Z", "2026-11-26T00:00:00.000000Z"));
        announced.set("event: environment_updated\ndata: {\"updated_at\": 1795651200.0}\n\n");
        assertEquals(List.of("banner_text", "max_cart_items"), next(changes).getFlagsChanged());
        assertEquals("Welcome to FlagEdge, again", sdk.client().getStringValue("banner_text", "x"));
      }
    }
  }

  @Test
  void upstreamLate_readyWhenTheFirstDocumentArrives() throws Exception {
    LateDispatcher dispatcher = new LateDispatcher();
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(dispatcher);
      server.start();
      FlagEdgeProvider provider =
          FlagEdgeProvider.builder()
              .serverKey(SERVER_KEY)
              .apiUrl(server.url("/api/v1").uri())
              .pollInterval(FAST)
              .startupTimeout(Duration.ofMillis(100))
              .build();
      try (SdkDomain sdk = new SdkDomain(provider)) {
        assertThrows(OpenFeatureError.class, sdk::bindAndWait);
        BlockingQueue<EventDetails> ready = new LinkedBlockingQueue<>();
        sdk.client().onProviderReady(ready::add);

        dispatcher.available = true;

        assertEquals("flags document loaded", next(ready).getMessage());
        assertEquals(ProviderState.READY, sdk.client().getProviderState());
        assertEquals("Welcome to FlagEdge", sdk.client().getStringValue("banner_text", "x"));
      }
    }
  }

  @Test
  void initialize_afterShutdown_throwsIllegalState() throws IOException {
    FlagEdgeProvider provider =
        FlagEdgeProvider.builder().documentFile(TestDocuments.file(directory)).build();
    provider.shutdown();
    assertThrows(IllegalStateException.class, () -> provider.initialize(new ImmutableContext()));
    provider.shutdown(); // idempotent
  }

  @Test
  void evaluate_beforeInitialize_providerNotReady() throws IOException {
    FlagEdgeProvider provider =
        FlagEdgeProvider.builder().documentFile(TestDocuments.file(directory)).build();
    try {
      assertEquals(
          ErrorCode.PROVIDER_NOT_READY,
          provider.getStringEvaluation("banner_text", "x", null).getErrorCode());
    } finally {
      provider.shutdown();
    }
  }

  /** Answers 503 until {@link #available}, then the test document. */
  private static final class LateDispatcher extends Dispatcher {
    volatile boolean available;

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      return available
          ? new MockResponse.Builder().code(200).body(TestDocuments.text()).build()
          : new MockResponse.Builder().code(503).build();
    }
  }
}
