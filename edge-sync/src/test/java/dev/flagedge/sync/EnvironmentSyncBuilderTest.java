package dev.flagedge.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentSyncBuilderTest {
  private final EnvironmentSync.Builder builder = EnvironmentSync.builder();

  private static void rejected(String message, Executable setter) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, setter).getMessage());
  }

  @Test
  void pollInterval_zeroNegativeOrHuge_rejected() {
    rejected("pollInterval must be positive: PT0S", () -> builder.pollInterval(Duration.ZERO));
    rejected(
        "pollInterval must be positive: PT-1S", () -> builder.pollInterval(Duration.ofSeconds(-1)));
    rejected(
        "pollInterval must be at most PT24H: PT48H",
        () -> builder.pollInterval(Duration.ofDays(2)));
  }

  @Test
  void requestTimeoutAndMaxBackoff_zero_rejected() {
    rejected("requestTimeout must be positive: PT0S", () -> builder.requestTimeout(Duration.ZERO));
    rejected("maxBackoff must be positive: PT0S", () -> builder.maxBackoff(Duration.ZERO));
  }

  @Test
  void maxConcurrentFetches_outOfRange_rejected() {
    rejected(
        "maxConcurrentFetches must be between 1 and 64: 0", () -> builder.maxConcurrentFetches(0));
    rejected(
        "maxConcurrentFetches must be between 1 and 64: 65",
        () -> builder.maxConcurrentFetches(65));
  }

  @Test
  void apiUrl_notAbsoluteHttp_rejected() {
    for (String url :
        new String[] {
          "ftp://host/api", "/api/v1", "https://host/api?x=1", "https://host/api#top", "mailto:a@b"
        }) {
      rejected(
          "apiUrl must be an absolute http(s) URL without query or fragment: " + url,
          () -> builder.apiUrl(URI.create(url)));
    }
  }

  @Test
  void environment_malformedKeys_rejectedWithMaskedValue() {
    rejected(
        "serverKey must start with ser.: clie…",
        () -> builder.environment("client-key", "client-key"));
    rejected("serverKey must start with ser.: se…", () -> builder.environment("ser.", "c"));
    rejected(
        "clientKey must not be a server-side key: ser.abcd…",
        () -> builder.environment("ser.abcdef", "ser.abcdef"));
    rejected("clientKey must not be empty", () -> builder.environment("ser.abcdef", ""));
    rejected(
        "clientKey must be printable ASCII without spaces: clie…",
        () -> builder.environment("ser.abcdef", "client key"));
    rejected(
        "apiToken must be printable ASCII without spaces: toke…",
        () -> builder.legacyEnvironment("client", "token\nX-Injected: 1"));
  }

  @Test
  void environment_duplicateKeys_rejected() {
    builder.environment("ser.abcdef", "client-a");
    rejected(
        "clientKey already configured: cl…", () -> builder.environment("ser.other", "client-a"));
    rejected(
        "serverKey already configured: ser.abcd…",
        () -> builder.environment("ser.abcdef", "client-b"));
    rejected(
        "clientKey already configured: cl…", () -> builder.legacyEnvironment("client-a", "token"));
  }

  @Test
  void build_noEnvironment_illegalState() {
    assertEquals(
        "no environment configured, and no proxy key",
        assertThrows(IllegalStateException.class, builder::build).getMessage());
  }

  @Test
  void nullArguments_rejected() {
    assertThrows(NullPointerException.class, () -> builder.listener(null));
    assertThrows(NullPointerException.class, () -> builder.clock(null));
    assertThrows(NullPointerException.class, () -> builder.scheduler(null));
    assertThrows(NullPointerException.class, () -> builder.snapshotDirectory(null));
    assertThrows(NullPointerException.class, () -> builder.environment(null, "c"));
  }

  @Test
  void offlineEnvironmentWithServerKey_opensIt_keyCannotBeTakenTwice(@TempDir Path dir)
      throws IOException {
    Path file = Files.writeString(dir.resolve("doc.json"), TestDocuments.minimal());
    builder.environment("ser.upstream-key", "upstream-env");
    assertThrows(
        IllegalArgumentException.class,
        () -> builder.offlineEnvironmentWithServerKey(file, "ser.upstream-key"));
    builder.offlineEnvironmentWithServerKey(file, "ser.offline-key");
    try (EnvironmentSync sync = builder.build()) {
      assertEquals(Optional.of(TestDocuments.CLIENT_KEY), sync.clientKeyOf("ser.offline-key"));
      assertEquals(Optional.of("upstream-env"), sync.clientKeyOf("ser.upstream-key"));
      assertEquals(Optional.empty(), sync.clientKeyOf("ser.offline-ke"));
    }
  }
}
