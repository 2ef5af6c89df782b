package dev.flagedge.sync;

import static dev.flagedge.sync.TestDocuments.CLIENT_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The slot survives anything a source or a listener throws. */
class EnvironmentSlotTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));

  /** A source that runs the given action on each fetch. */
  private static DocumentSource source(ThrowingFetch fetch) {
    return new DocumentSource() {
      @Override
      public Fetch fetch(Conditions conditions) throws java.io.IOException {
        return fetch.fetch();
      }

      @Override
      public LoadedEnvironment.Source kind() {
        return LoadedEnvironment.Source.UPSTREAM;
      }

      @Override
      public void cancel() {}
    };
  }

  interface ThrowingFetch {
    DocumentSource.Fetch fetch() throws java.io.IOException;
  }

  private static DocumentSource.Fetched minimal() {
    return new DocumentSource.Fetched(
        TestDocuments.minimal().getBytes(StandardCharsets.UTF_8), Optional.empty());
  }

  @Test
  void sync_sourceThrowsRuntimeException_recordedAsInternalFailure() {
    RecordingListener listener = new RecordingListener();
    EnvironmentSlot slot =
        new EnvironmentSlot(
            CLIENT_KEY,
            source(
                () -> {
                  throw new IllegalStateException("boom");
                }),
            null,
            List.of(listener),
            clock);
    assertFalse(slot.sync());
    assertEquals(
        "unexpected java.lang.IllegalStateException: boom",
        slot.status().lastError().orElseThrow());
    SyncFailure failure = listener.failures.get(0);
    assertEquals(SyncFailure.Kind.INTERNAL, failure.kind());
    assertEquals("boom", failure.cause().orElseThrow().getMessage());
  }

  @Test
  void sync_sourceThrowsOutOfMemoryError_recordedThenRethrown() {
    EnvironmentSlot slot =
        new EnvironmentSlot(
            CLIENT_KEY,
            source(
                () -> {
                  throw new OutOfMemoryError("document too large");
                }),
            null,
            List.of(),
            clock);
    assertThrows(OutOfMemoryError.class, slot::sync);
    assertThrows(OutOfMemoryError.class, slot::sync);
    assertEquals(2, slot.status().consecutiveFailures());
    assertEquals(
        "unexpected java.lang.OutOfMemoryError: document too large",
        slot.status().lastError().orElseThrow());
  }

  @Test
  void sync_sourceOverflowsStack_recordedAsFailure() {
    EnvironmentSlot slot =
        new EnvironmentSlot(
            CLIENT_KEY,
            source(
                () -> {
                  throw new StackOverflowError("deeply nested");
                }),
            null,
            List.of(),
            clock);
    assertFalse(slot.sync());
    assertEquals(
        "unexpected java.lang.StackOverflowError: deeply nested",
        slot.status().lastError().orElseThrow());
  }

  @Test
  void sync_listenerThrows_documentStillInstalled() {
    SyncListener failing =
        new SyncListener() {
          @Override
          public void onChange(String clientKey, LoadedEnvironment current) {
            throw new IllegalArgumentException("listener bug");
          }
        };
    RecordingListener after = new RecordingListener();
    EnvironmentSlot slot =
        new EnvironmentSlot(
            CLIENT_KEY, source(EnvironmentSlotTest::minimal), null, List.of(failing, after), clock);
    assertTrue(slot.sync());
    assertTrue(slot.current().isPresent());
    assertEquals(0, slot.status().consecutiveFailures());
    assertEquals(List.of("change client-key v1"), after.events);
    assertTrue(slot.firstDocument().isDone());
  }

  @Test
  void sync_afterClose_nothingRecorded() {
    EnvironmentSlot slot =
        new EnvironmentSlot(
            CLIENT_KEY, source(EnvironmentSlotTest::minimal), null, List.of(), clock);
    slot.close();
    assertFalse(slot.sync());
    assertTrue(slot.status().lastAttempt().isEmpty());
    assertTrue(slot.current().isEmpty());
  }
}
