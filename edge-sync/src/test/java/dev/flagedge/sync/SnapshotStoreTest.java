package dev.flagedge.sync;

import static dev.flagedge.sync.TestDocuments.CLIENT_KEY;
import static dev.flagedge.sync.TestDocuments.SERVER_KEY;
import static dev.flagedge.sync.TestDocuments.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flagedge.sync.internal.Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  @TempDir Path directory;

  private static LoadedEnvironment loaded(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return LoadedEnvironment.compile(
        bytes, Keys.sha256Hex(bytes), NOW, LoadedEnvironment.Source.UPSTREAM);
  }

  private List<String> files() throws IOException {
    try (Stream<Path> list = Files.list(directory)) {
      return list.map(path -> path.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void save_thenLoad_roundTrips() throws IOException {
    SnapshotStore store = new SnapshotStore(directory);
    LoadedEnvironment original = loaded(TestDocuments.minimal());
    store.save(CLIENT_KEY, original);
    LoadedEnvironment restored = store.load(CLIENT_KEY, NOW).orElseThrow();
    assertArrayEquals(original.documentJson(), restored.documentJson());
    assertEquals(original.contentHash(), restored.contentHash());
    assertEquals(LoadedEnvironment.Source.SNAPSHOT, restored.source());
    assertEquals(List.of("client-key.snapshot"), files());
  }

  @Test
  void save_documentKeptInAnotherForm_sameSnapshot() throws IOException {
    SnapshotStore store = new SnapshotStore(directory);
    LoadedEnvironment original = loaded(TestDocuments.minimal());
    store.save(CLIENT_KEY, original);
    byte[] asArrived = Files.readAllBytes(store.fileFor(CLIENT_KEY));
    byte[] json = original.documentJson();
    assertTrue(original.keepDocumentIn(out -> out.write(json)));

    store.save(CLIENT_KEY, original);

    assertArrayEquals(asArrived, Files.readAllBytes(store.fileFor(CLIENT_KEY)));
    assertArrayEquals(json, store.load(CLIENT_KEY, NOW).orElseThrow().documentJson());
  }

  @Test
  void save_twice_replacesAtomicallyWithoutTemporaryFiles() throws IOException {
    SnapshotStore store = new SnapshotStore(directory.resolve("nested"));
    store.save(CLIENT_KEY, loaded(TestDocuments.version(1)));
    store.save(CLIENT_KEY, loaded(TestDocuments.version(2)));
    assertEquals(
        "\"v2\"",
        store
            .load(CLIENT_KEY, NOW)
            .orElseThrow()
            .environment()
            .environmentFlag("banner")
            .orElseThrow()
            .valueJson());
    try (Stream<Path> list = Files.list(directory.resolve("nested"))) {
      assertEquals(1, list.count());
    }
  }

  @Test
  void load_missing_empty() {
    assertTrue(new SnapshotStore(directory).load(CLIENT_KEY, NOW).isEmpty());
  }

  @Test
  void load_truncated_rejected() throws IOException {
    SnapshotStore store = new SnapshotStore(directory);
    store.save(CLIENT_KEY, loaded(TestDocuments.minimal()));
    Path file = store.fileFor(CLIENT_KEY);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 20));
    assertTrue(store.load(CLIENT_KEY, NOW).isEmpty());
  }

  @Test
  void load_flippedByte_rejectedByChecksum() throws IOException {
    SnapshotStore store = new SnapshotStore(directory);
    store.save(CLIENT_KEY, loaded(TestDocuments.minimal()));
    Path file = store.fileFor(CLIENT_KEY);
    String text = Files.readString(file);
    Files.writeString(file, text.replace("\"v1\"", "\"v9\""));
    assertTrue(store.load(CLIENT_KEY, NOW).isEmpty());
  }

  @Test
  void load_missingHeaderOrGarbage_rejected() throws IOException {
    SnapshotStore store = new SnapshotStore(directory);
    Files.writeString(store.fileFor(CLIENT_KEY), TestDocuments.minimal());
    assertTrue(store.load(CLIENT_KEY, NOW).isEmpty());
    Files.write(store.fileFor(CLIENT_KEY), new byte[0]);
    assertTrue(store.load(CLIENT_KEY, NOW).isEmpty());
  }

  @Test
  void load_checksumValidButDocumentInvalid_rejected() throws IOException {
    SnapshotStore store = new SnapshotStore(directory);
    byte[] bad = TestDocuments.text("does-not-compile.json").getBytes(StandardCharsets.UTF_8);
    Files.write(
        store.fileFor(CLIENT_KEY),
        ("flagedge-snapshot/1 sha256="
                + Keys.sha256Hex(bad)
                + " length="
                + bad.length
                + "\n"
                + new String(bad, StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8));
    assertTrue(store.load(CLIENT_KEY, NOW).isEmpty());
  }

  @Test
  void restart_upstreamDown_lastGoodServedFromSnapshotAtOnce() throws IOException {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      server.enqueue(ok(TestDocuments.minimal()));
      try (EnvironmentSync first = syncTo(server)) {
        first.refresh(CLIENT_KEY);
      }
      assertEquals(1, files().size());
      assertFalse(files().get(0).contains(SERVER_KEY.substring(4)), files().toString());

      StickyDispatcher down = new StickyDispatcher(TestDocuments.status(503));
      server.setDispatcher(down);
      RecordingListener listener = new RecordingListener();
      ManualScheduler scheduler = new ManualScheduler();
      try (EnvironmentSync second =
          EnvironmentSync.builder()
              .apiUrl(server.url("/").uri())
              .snapshotDirectory(directory)
              .scheduler(scheduler)
              .listener(listener)
              .environment(SERVER_KEY, CLIENT_KEY)
              .build()) {
        second.start();
        LoadedEnvironment restored = second.current(CLIENT_KEY).orElseThrow();
        assertEquals(LoadedEnvironment.Source.SNAPSHOT, restored.source());
        assertTrue(second.awaitFirstSync(java.time.Duration.ZERO));
        assertTrue(second.status(CLIENT_KEY).lastSuccess().isEmpty());
        assertEquals(List.of("change client-key v1"), listener.events);

        scheduler.runNext(); // upstream down: the snapshot keeps serving
        assertEquals(restored, second.current(CLIENT_KEY).orElseThrow());
        assertEquals(1, second.status(CLIENT_KEY).consecutiveFailures());

        down.answer(new MockResponse.Builder().code(304).build()); // upstream confirms it
        scheduler.runNext();
        assertEquals(
            LoadedEnvironment.Source.UPSTREAM, second.current(CLIENT_KEY).orElseThrow().source());
        assertEquals(1, listener.count("change"));
      }
    }
  }

  @Test
  void start_corruptSnapshot_ignoredNotServed() throws IOException {
    Files.writeString(
        new SnapshotStore(directory).fileFor(CLIENT_KEY),
        "flagedge-snapshot/1 " + "sha256=00 length=2\n{}");
    try (EnvironmentSync sync =
        EnvironmentSync.builder()
            .apiUrl(java.net.URI.create("http://127.0.0.1:9"))
            .snapshotDirectory(directory)
            .scheduler(new ManualScheduler())
            .environment(SERVER_KEY, CLIENT_KEY)
            .build()) {
      sync.start();
      assertTrue(sync.current(CLIENT_KEY).isEmpty());
      assertFalse(sync.status(CLIENT_KEY).hasDocument());
    }
  }

  private EnvironmentSync syncTo(MockWebServer server) {
    return EnvironmentSync.builder()
        .apiUrl(server.url("/").uri())
        .snapshotDirectory(directory)
        .environment(SERVER_KEY, CLIENT_KEY)
        .build();
  }
}
