package dev.flagedge.sync;

import static dev.flagedge.sync.TestDocuments.CLIENT_KEY;
import static dev.flagedge.sync.TestDocuments.SERVER_KEY;
import static dev.flagedge.sync.TestDocuments.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlagEdgeClientTest {
  @TempDir Path directory;

  private Path documentFile() throws IOException {
    Path file = directory.resolve("environment.json");
    Files.writeString(file, TestDocuments.text("page-1.json"));
    return file;
  }

  @Test
  void documentFile_flagsEvaluatedLocally() throws IOException {
    try (FlagEdgeClient client = FlagEdgeClient.builder().documentFile(documentFile()).build()) {
      Flags flags = client.environmentFlags();
      assertEquals(2, flags.all().size());
      assertSame(flags, client.environmentFlags(), "environment flags are computed once");
      assertEquals("v1", flags.value("banner", "default"));
      assertEquals(1.1, flags.value("ratio", 0.0));
      assertTrue(client.isEnabled("banner"));
      assertFalse(client.isEnabled("missing"));
      assertEquals("page-1", client.identityFlags("user-1", Map.of()).value("banner", ""));
      assertEquals("v1", client.identityFlags("user-9", Map.of("plan", "pro")).value("banner", ""));
      SyncStatus status = client.status();
      assertEquals(CLIENT_KEY, status.clientKey());
      assertTrue(status.hasDocument());
    }
  }

  @Test
  void serverKey_documentFetchedBeforeBuildReturns() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(ok(TestDocuments.minimal()));
      server.start();
      try (FlagEdgeClient client =
          FlagEdgeClient.builder()
              .serverKey(SERVER_KEY)
              .apiUrl(server.url("/api/v1/").uri())
              .snapshotDirectory(directory)
              .startupTimeout(Duration.ofSeconds(10))
              .build()) {
        assertTrue(client.isEnabled("banner"));
        assertEquals(CLIENT_KEY, client.status().clientKey());
        assertEquals(SERVER_KEY, server.takeRequest().getHeaders().get("X-Environment-Key"));
      }
    }
  }

  @Test
  void proxyKey_environmentFromTheInventory_fetchedWithItsServerKey() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(
          ok(
              "[{\"client_side_key\": \""
                  + CLIENT_KEY
                  + "\", \"server_side_keys\": "
                  + "[{\"key\": \""
                  + SERVER_KEY
                  + "\", \"active\": true, \"expires_at\": null}]}]"));
      server.enqueue(ok(TestDocuments.minimal()));
      server.start();
      try (FlagEdgeClient client =
          FlagEdgeClient.builder()
              .proxyKey("proxy-1", CLIENT_KEY)
              .apiUrl(server.url("/api/v1/").uri())
              .startupTimeout(Duration.ofSeconds(10))
              .build()) {
        assertTrue(client.isEnabled("banner"));
        assertEquals("/api/v1/proxy/config/", server.takeRequest().getUrl().encodedPath());
        RecordedRequest fetch = server.takeRequest();
        assertEquals(SERVER_KEY, fetch.getHeaders().get("X-Environment-Key"));
        assertEquals("proxy-1", fetch.getHeaders().get("X-Proxy-Key"));
      }
    }
  }

  @Test
  void build_serverKeyAndProxyKey_refused() {
    assertThrows(
        IllegalStateException.class,
        () ->
            FlagEdgeClient.builder().serverKey(SERVER_KEY).proxyKey("proxy-1", CLIENT_KEY).build());
  }

  @Test
  void serverKey_upstreamDown_emptyFlagsNotFailures() throws IOException {
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(new StickyDispatcher(TestDocuments.status(503)));
      server.start();
      try (FlagEdgeClient client =
          FlagEdgeClient.builder()
              .serverKey(SERVER_KEY)
              .apiUrl(server.url("/api/v1").uri())
              .startupTimeout(Duration.ofMillis(100))
              .build()) {
        assertTrue(client.environmentFlags().all().isEmpty());
        assertTrue(client.identityFlags("u", Map.of()).all().isEmpty());
        assertFalse(client.isEnabled("banner"));
        assertEquals("fallback", client.environmentFlags().value("banner", "fallback"));
        assertFalse(client.status().hasDocument());
        assertFalse(client.status().clientKey().contains(SERVER_KEY.substring(4)));
      }
    }
  }

  /** A client serving the supplied document, which the test replaces. */
  private static FlagEdgeClient supplied(AtomicReference<String> document) {
    return FlagEdgeClient.builder()
        .documentSupplier(() -> document.get().getBytes(StandardCharsets.UTF_8))
        .build();
  }

  @Test
  void documentSupplier_refresh_changeServedAndToldBeforeReturning() {
    AtomicReference<String> document = new AtomicReference<>(TestDocuments.version(1));
    RecordingListener listener = new RecordingListener();
    try (FlagEdgeClient client = supplied(document)) {
      assertEquals("v1", client.environmentFlags().value("banner", ""));
      assertEquals(
          LoadedEnvironment.Source.SUPPLIED,
          client.sync().current(CLIENT_KEY).orElseThrow().source());
      client.addListener(listener);

      document.set(TestDocuments.version(2));
      client.refresh();

      assertEquals("v2", client.environmentFlags().value("banner", ""));
      assertEquals(List.of("change client-key v1", "change client-key v2"), listener.events);
    }
  }

  @Test
  void documentSupplier_sameDocumentAgain_noChangeEvent() {
    AtomicReference<String> document = new AtomicReference<>(TestDocuments.version(1));
    RecordingListener listener = new RecordingListener();
    try (FlagEdgeClient client = supplied(document)) {
      client.addListener(listener);
      client.refresh();
      client.refresh();
      assertEquals(List.of("change client-key v1"), listener.events);
    }
  }

  @Test
  void documentSupplier_invalidDocumentLater_invalidDocumentFailureAndLastGoodServed() {
    AtomicReference<String> document = new AtomicReference<>(TestDocuments.version(1));
    RecordingListener listener = new RecordingListener();
    try (FlagEdgeClient client = supplied(document)) {
      client.addListener(listener);
      document.set("{ not json");
      client.refresh();
      assertEquals("v1", client.environmentFlags().value("banner", ""));
      assertEquals(SyncFailure.Kind.INVALID_DOCUMENT, listener.failures.get(0).kind());
      assertEquals(1, client.status().consecutiveFailures());
    }
  }

  @Test
  void documentSupplier_invalidAtBuild_throwsIllegalArgument() {
    FlagEdgeClient.Builder builder = FlagEdgeClient.builder();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> builder.documentSupplier(() -> "[]".getBytes(StandardCharsets.UTF_8)));
    assertTrue(
        e.getMessage().startsWith("documentSupplier gave no valid document"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> builder.documentSupplier(() -> null));
  }

  @Test
  void addListener_afterDocumentLoaded_toldTheDocumentAtOnce() throws IOException {
    try (FlagEdgeClient client = FlagEdgeClient.builder().documentFile(documentFile()).build()) {
      RecordingListener late = new RecordingListener();
      client.addListener(late);
      assertEquals(List.of("change client-key v1"), late.events);
      assertSame(client.sync().current(CLIENT_KEY).orElseThrow(), late.changes.get(0));
    }
  }

  @Test
  void addListener_duringFailureStreak_toldDocumentThenStreak() {
    AtomicReference<String> document = new AtomicReference<>(TestDocuments.version(1));
    try (FlagEdgeClient client = supplied(document)) {
      document.set("[]");
      client.refresh();
      client.refresh();
      RecordingListener late = new RecordingListener();
      client.addListener(late);
      assertEquals(
          List.of(
              "change client-key v1",
              "failure client-key 2 invalid document: expected an object at $, found []"),
          late.events);

      document.set(TestDocuments.version(1));
      client.refresh();
      RecordingListener afterRecovery = new RecordingListener();
      client.addListener(afterRecovery);
      assertEquals(List.of("change client-key v1"), afterRecovery.events);
    }
  }

  @Test
  void addListener_twice_toldOnce() {
    AtomicReference<String> document = new AtomicReference<>(TestDocuments.version(1));
    RecordingListener listener = new RecordingListener();
    try (FlagEdgeClient client = supplied(document)) {
      client.addListener(listener);
      client.addListener(listener);
      document.set(TestDocuments.version(2));
      client.refresh();
      assertEquals(List.of("change client-key v1", "change client-key v2"), listener.events);
    }
  }

  @Test
  void removeListener_noFurtherEvents() {
    AtomicReference<String> document = new AtomicReference<>(TestDocuments.version(1));
    RecordingListener listener = new RecordingListener();
    try (FlagEdgeClient client = supplied(document)) {
      client.addListener(listener);
      assertTrue(client.removeListener(listener));
      assertFalse(client.removeListener(listener));
      document.set(TestDocuments.version(2));
      client.refresh();
      assertEquals(List.of("change client-key v1"), listener.events);
    }
  }

  @Test
  void listener_throws_othersStillTold() {
    AtomicReference<String> document = new AtomicReference<>(TestDocuments.version(1));
    RecordingListener after = new RecordingListener();
    try (FlagEdgeClient client = supplied(document)) {
      client.addListener(
          new SyncListener() {
            @Override
            public void onChange(String clientKey, LoadedEnvironment current) {
              throw new IllegalStateException("listener bug");
            }
          });
      client.addListener(after);
      document.set(TestDocuments.version(2));
      client.refresh();
      assertEquals(List.of("change client-key v1", "change client-key v2"), after.events);
    }
  }

  @Test
  void builderListener_firstDocumentToldOnce() {
    RecordingListener listener = new RecordingListener();
    try (FlagEdgeClient client =
        FlagEdgeClient.builder()
            .documentSupplier(() -> TestDocuments.version(1).getBytes(StandardCharsets.UTF_8))
            .listener(listener)
            .build()) {
      assertEquals(List.of("change client-key v1"), listener.events);
      client.refresh();
      assertEquals(1, listener.events.size(), "the same document is no change");
    }
  }

  @Test
  void refresh_afterClose_nothingHappens() {
    AtomicReference<String> document = new AtomicReference<>(TestDocuments.version(1));
    FlagEdgeClient client = supplied(document);
    client.close();
    document.set(TestDocuments.version(2));
    client.refresh();
    assertEquals("v1", client.environmentFlags().value("banner", ""));
  }

  @Test
  void build_neitherOrBothSources_illegalState() throws IOException {
    assertThrows(IllegalStateException.class, () -> FlagEdgeClient.builder().build());
    FlagEdgeClient.Builder both =
        FlagEdgeClient.builder().serverKey(SERVER_KEY).documentFile(documentFile());
    assertThrows(IllegalStateException.class, both::build);
  }

  @Test
  void builder_invalidSettings_rejectedAtOnce() {
    assertThrows(
        IllegalArgumentException.class, () -> FlagEdgeClient.builder().serverKey("client-key"));
    assertThrows(
        IllegalArgumentException.class,
        () -> FlagEdgeClient.builder().startupTimeout(Duration.ofSeconds(-1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> FlagEdgeClient.builder().documentFile(directory.resolve("absent.json")));
  }
}
