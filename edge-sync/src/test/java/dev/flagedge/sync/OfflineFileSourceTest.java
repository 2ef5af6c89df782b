package dev.flagedge.sync;

import static dev.flagedge.sync.TestDocuments.CLIENT_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offline mode: documents from local files, optionally re-read when they change. */
class OfflineFileSourceTest {
  @TempDir Path directory;
  private Path file;
  private final RecordingListener listener = new RecordingListener();

  @BeforeEach
  void writeDocument() throws IOException {
    file = directory.resolve("environment.json");
    Files.writeString(file, TestDocuments.minimal());
  }

  /** Rewrites the file with a modification time that certainly differs from the last one. */
  private void rewrite(String content) throws IOException {
    FileTime before = Files.getLastModifiedTime(file);
    Files.writeString(file, content);
    Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 2_000));
  }

  private String banner(EnvironmentSync sync) {
    return sync.current(CLIENT_KEY)
        .orElseThrow()
        .environment()
        .environmentFlag("banner")
        .orElseThrow()
        .valueJson();
  }

  private EnvironmentSync.Builder builder() {
    return EnvironmentSync.builder()
        .scheduler(new ManualScheduler())
        .listener(listener)
        .offlineEnvironment(file);
  }

  @Test
  void start_offlineFile_servedUnderDocumentApiKey() {
    try (EnvironmentSync sync = builder().build()) {
      assertEquals(java.util.Set.of(CLIENT_KEY), sync.clientKeys());
      sync.start();
      LoadedEnvironment loaded = sync.current(CLIENT_KEY).orElseThrow();
      assertEquals(LoadedEnvironment.Source.FILE, loaded.source());
      assertTrue(sync.status(CLIENT_KEY).lastSuccess().isPresent());
      assertTrue(sync.awaitFirstSync(Duration.ZERO));
    }
  }

  @Test
  void refresh_changedFile_pickedUp() throws IOException {
    try (EnvironmentSync sync = builder().build()) {
      sync.start();
      rewrite(TestDocuments.version(2));
      sync.refresh(CLIENT_KEY);
      assertEquals("\"v2\"", banner(sync));
      assertEquals(List.of("change client-key v1", "change client-key v2"), listener.events);
    }
  }

  @Test
  void refresh_unchangedFile_notReread() {
    try (EnvironmentSync sync = builder().build()) {
      sync.start();
      LoadedEnvironment first = sync.current(CLIENT_KEY).orElseThrow();
      sync.refresh(CLIENT_KEY);
      assertSame(first, sync.current(CLIENT_KEY).orElseThrow());
      assertEquals(1, listener.count("change"));
    }
  }

  @Test
  void refresh_badNewFile_oldDocumentKeptAndErrorReported() throws IOException {
    try (EnvironmentSync sync = builder().build()) {
      sync.start();
      rewrite(TestDocuments.text("invalid-json.json"));
      sync.refresh(CLIENT_KEY);
      assertEquals("\"v1\"", banner(sync));
      assertTrue(sync.status(CLIENT_KEY).lastError().orElseThrow().startsWith("invalid document"));

      rewrite(TestDocuments.version(3));
      sync.refresh(CLIENT_KEY);
      assertEquals("\"v3\"", banner(sync));
      assertEquals(1, listener.count("recovery"));
    }
  }

  @Test
  void refresh_deletedFile_oldDocumentKeptAndErrorReported() throws IOException {
    try (EnvironmentSync sync = builder().build()) {
      sync.start();
      Files.delete(file);
      sync.refresh(CLIENT_KEY);
      assertEquals("\"v1\"", banner(sync));
      assertEquals(
          "cannot read document file " + file + ": NoSuchFileException",
          sync.status(CLIENT_KEY).lastError().orElseThrow());
      assertEquals(SyncFailure.Kind.FILE, listener.failures.get(0).kind());
    }
  }

  @Test
  void start_explicitKeyAndMissingFile_reportedNotThrown() {
    try (EnvironmentSync sync =
        EnvironmentSync.builder()
            .scheduler(new ManualScheduler())
            .offlineEnvironment(directory.resolve("absent.json"), "other-key")
            .build()) {
      sync.start();
      assertTrue(sync.current("other-key").isEmpty());
      assertEquals(1, sync.status("other-key").consecutiveFailures());
    }
  }

  @Test
  void offlineEnvironment_invalidFile_rejectedAtOnce() throws IOException {
    Files.writeString(file, "{}");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> EnvironmentSync.builder().offlineEnvironment(file));
    assertEquals(
        "documentFile is unusable: "
            + file
            + ": expected a string at $.api_key, found "
            + "nothing",
        e.getMessage());
  }

  @Test
  void watch_changedFile_pickedUpByPoller() throws Exception {
    CountDownLatch secondVersion = new CountDownLatch(1);
    SyncListener awaitV2 =
        new SyncListener() {
          @Override
          public void onChange(String clientKey, LoadedEnvironment current) {
            if (current.environment().updatedAt().orElseThrow().contains("10:00:02")) {
              secondVersion.countDown();
            }
          }
        };
    try (EnvironmentSync sync =
        EnvironmentSync.builder()
            .pollInterval(Duration.ofMillis(20))
            .listener(awaitV2)
            .offlineEnvironment(file)
            .build()) {
      sync.start();
      rewrite(TestDocuments.version(2));
      assertTrue(secondVersion.await(10, TimeUnit.SECONDS), "change not picked up");
      assertEquals("\"v2\"", banner(sync));
    }
  }

  @Test
  void watchOfflineFiles_false_noPollsScheduled() {
    ManualScheduler scheduler = new ManualScheduler();
    try (EnvironmentSync sync =
        EnvironmentSync.builder()
            .scheduler(scheduler)
            .watchOfflineFiles(false)
            .offlineEnvironment(file)
            .build()) {
      sync.start();
      assertTrue(sync.current(CLIENT_KEY).isPresent());
      assertEquals(List.of(), scheduler.pendingDelays());
    }
  }
}
