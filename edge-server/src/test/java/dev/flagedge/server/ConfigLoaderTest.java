package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration sources, precedence, aliases, legacy variables and error messages. */
class ConfigLoaderTest {
  private static final String PAIRS =
      "[{\"server_side_key\": \"ser.abc123\", \"client_side_key\": \"def456\"}]";

  @TempDir Path dir;

  @Test
  void load_fileOnly_readsEveryKeyWithDefaults() throws IOException {
    Path file =
        write(
            "{\"environment_key_pairs\": "
                + PAIRS
                + ", \"api_url\": "
                + "\"https://flags.example/api/v1\", \"api_poll_frequency_seconds\": 30}");
    ServerConfig config =
        ConfigLoader.load(Map.of("CONFIG_PATH", file.toString()), Optional.empty())
            .builder()
            .build();
    assertEquals(List.of(new ServerConfig.KeyPair("ser.abc123", "def456")), config.environments());
    assertEquals(URI.create("https://flags.example/api/v1"), config.apiUrl());
    assertEquals(Duration.ofSeconds(30), config.pollInterval());
    assertEquals(Duration.ofSeconds(5), config.pollTimeout());
    assertEquals(List.of("*"), config.allowOrigins());
    assertEquals(8000, config.port());
    assertEquals(Optional.of(Duration.ofSeconds(30)), config.environmentUpdateGrace());
  }

  @Test
  void load_environmentVariables_overrideFileCaseInsensitively() throws IOException {
    Path file =
        write(
            "{\"environment_key_pairs\": "
                + PAIRS
                + ", \"api_poll_frequency\": 30, "
                + "\"server\": {\"port\": 9000, \"host\": \"127.0.0.1\"}}");
    ServerConfig config =
        ConfigLoader.load(
                Map.of(
                    "CONFIG_PATH",
                    file.toString(),
                    "Api_Poll_Frequency_Seconds",
                    "7",
                    "SERVER",
                    "{\"port\": 9100}"),
                Optional.empty())
            .builder()
            .build();
    assertEquals(Duration.ofSeconds(7), config.pollInterval());
    assertEquals(9100, config.port());
    assertEquals("0.0.0.0", config.host(), "a nested variable replaces the whole object");
  }

  @Test
  void load_aliasesAndNestedObjects_accepted() throws IOException {
    Path file =
        write(
            "{\"environment_key_pairs\": "
                + PAIRS
                + ", \"api_poll_timeout\": 2, "
                + "\"logging\": {\"log_level\": \"debug\", \"log_format\": \"json\", "
                + "\"enable_access_log\": true}, \"health_check\": "
                + "{\"environment_update_grace_period_seconds\": null}, \"endpoint_caches\": "
                + "{\"flags\": {\"use_cache\": true}}, \"allow_origins\": [\"https://a.example\"]}");
    ServerConfig config = ConfigLoader.load(Map.of(), Optional.of(file)).builder().build();
    assertEquals(Duration.ofSeconds(2), config.pollTimeout());
    assertEquals("DEBUG", config.logLevel());
    assertTrue(config.jsonLogs());
    assertTrue(config.accessLog());
    assertEquals(Optional.empty(), config.environmentUpdateGrace());
    assertEquals(List.of("https://a.example"), config.allowOrigins());
  }

  @Test
  void load_responseCacheBytes_fromFileOrEnvironment_absentMeansDefault() throws IOException {
    Path file = write("{\"environment_key_pairs\": " + PAIRS + ", \"response_cache_bytes\": 0}");
    assertEquals(
        OptionalLong.of(0),
        ConfigLoader.load(Map.of(), Optional.of(file)).builder().build().responseCacheBytes());
    assertEquals(
        OptionalLong.of(8L << 30),
        ConfigLoader.load(
                Map.of("RESPONSE_CACHE_BYTES", Long.toString(8L << 30)), Optional.of(file))
            .builder()
            .build()
            .responseCacheBytes());
    Path plain = write("{\"environment_key_pairs\": " + PAIRS + "}");
    assertEquals(
        OptionalLong.empty(),
        ConfigLoader.load(Map.of(), Optional.of(plain)).builder().build().responseCacheBytes());
  }

  @Test
  void load_responseCacheBytesNegativeOrText_refusedNamingTheKey() throws IOException {
    for (String value : List.of("-1", "\"lots\"")) {
      Path file =
          write(
              "{\"environment_key_pairs\": "
                  + PAIRS
                  + ", \"response_cache_bytes\": "
                  + value
                  + "}");
      ConfigLoader.ConfigException e =
          assertThrows(
              ConfigLoader.ConfigException.class,
              () -> ConfigLoader.load(Map.of(), Optional.of(file)));
      assertTrue(e.getMessage().contains("response_cache_bytes"), e.getMessage());
    }
  }

  @Test
  void load_proxyKeyAlone_enoughToStart_flushIntervalDefaultsTo60Seconds() {
    ConfigLoader.Loaded loaded =
        ConfigLoader.load(
            Map.of("PROXY_KEY", "pk_123", "CONFIG_PATH", dir.resolve("absent.json").toString()),
            Optional.empty());
    assertTrue(loaded.hasEnvironments(), "a proxy key means no demo environment");
    ServerConfig config = loaded.builder().build();
    assertEquals(Optional.of("pk_123"), config.proxyKey());
    assertEquals(Duration.ofSeconds(60), config.usageFlushInterval());
    assertEquals(List.of(), config.environments());
  }

  @Test
  void load_usageFlushInterval_fromFile_nonPositiveRefusedNamingTheKey() throws IOException {
    Path file = write("{\"proxy_key\": \"pk\", \"usage_flush_interval_seconds\": 1}");
    assertEquals(
        Duration.ofSeconds(1),
        ConfigLoader.load(Map.of(), Optional.of(file)).builder().build().usageFlushInterval());
    Path zero = write("{\"proxy_key\": \"pk\", \"usage_flush_interval_seconds\": 0}");
    ConfigLoader.ConfigException e =
        assertThrows(
            ConfigLoader.ConfigException.class,
            () -> ConfigLoader.load(Map.of(), Optional.of(zero)));
    assertTrue(e.getMessage().contains("usage_flush_interval_seconds"), e.getMessage());
  }

  @Test
  void build_neitherEnvironmentsNorProxyKey_refusedNamingBoth() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().build());
    assertTrue(e.getMessage().startsWith("environment_key_pairs or proxy_key"), e.getMessage());
  }

  @Test
  void load_legacyVariables_configureV1Environments() {
    ServerConfig config =
        ConfigLoader.load(
                Map.of(
                    "FLAGSMITH_API_URL",
                    "https://old.example/api/v1",
                    "FLAGSMITH_API_TOKEN",
                    "token",
                    "ENVIRONMENT_API_KEYS",
                    "key1, key2",
                    "API_POLL_FREQUENCY",
                    "20",
                    "CONFIG_PATH",
                    dir.resolve("absent.json").toString()),
                Optional.empty())
            .builder()
            .build();
    assertEquals(List.of("key1", "key2"), config.legacyEnvironments());
    assertEquals(Optional.of("token"), config.legacyApiToken());
    assertEquals(URI.create("https://old.example/api/v1"), config.apiUrl());
    assertEquals(Duration.ofSeconds(20), config.pollInterval());
  }

  @Test
  void load_nothingConfigured_reportsNoEnvironments() {
    ConfigLoader.Loaded loaded =
        ConfigLoader.load(
            Map.of("CONFIG_PATH", dir.resolve("absent.json").toString()), Optional.empty());
    assertFalse(loaded.hasEnvironments());
    assertEquals(Optional.empty(), loaded.file());
  }

  @Test
  void load_serverKeyWithoutPrefix_errorNamesThePath_neverTheKey() throws IOException {
    Path file =
        write(
            "{\"environment_key_pairs\": [{\"server_side_key\": \"ser.a\", \"client_side_key\":"
                + " \"a\"}, {\"server_side_key\": \"xser.abc\", \"client_side_key\": \"def\"}]}");
    ConfigLoader.ConfigException e =
        assertThrows(
            ConfigLoader.ConfigException.class,
            () -> ConfigLoader.load(Map.of(), Optional.of(file)));
    assertEquals(
        "invalid configuration: environment_key_pairs[1].server_side_key must start with "
            + "\"ser.\"",
        e.getMessage());
  }

  @Test
  void load_clientKeyThatIsAServerKey_errorNamesThePath_neverTheKey() throws IOException {
    Path file =
        write(
            "{\"environment_key_pairs\": [{\"server_side_key\": \"ser.abc\", "
                + "\"client_side_key\": \"ser.secret\"}]}");
    ConfigLoader.ConfigException e =
        assertThrows(
            ConfigLoader.ConfigException.class,
            () -> ConfigLoader.load(Map.of(), Optional.of(file)));
    assertTrue(e.getMessage().contains("environment_key_pairs[0].client_side_key"), e.getMessage());
    assertFalse(e.getMessage().contains("secret") || e.getMessage().contains("ser.abc"));
  }

  @Test
  void load_pollFrequencyBeyondTheSyncsBound_refusedAtLoadNamingTheSetting() throws IOException {
    Path file =
        write(
            "{\"api_poll_frequency_seconds\": 100000, \"environment_key_pairs\": "
                + "[{\"server_side_key\": \"ser.abc\", \"client_side_key\": \"abc\"}]}");
    ConfigLoader.ConfigException e =
        assertThrows(
            ConfigLoader.ConfigException.class,
            () -> ConfigLoader.load(Map.of(), Optional.of(file)));
    assertTrue(e.getMessage().contains("api_poll_frequency_seconds"), e.getMessage());
  }

  @Test
  void load_nonNumericPollFrequency_errorNamesKeyAndValue() throws IOException {
    Path file = write("{\"environment_key_pairs\": " + PAIRS + "}");
    ConfigLoader.ConfigException e =
        assertThrows(
            ConfigLoader.ConfigException.class,
            () ->
                ConfigLoader.load(Map.of("API_POLL_FREQUENCY_SECONDS", "soon"), Optional.of(file)));
    assertEquals(
        "invalid configuration: api_poll_frequency_seconds must be an integer, got " + "\"soon\"",
        e.getMessage());
  }

  @Test
  void load_malformedFile_errorNamesFile() throws IOException {
    Path file = write("{\"environment_key_pairs\": ");
    ConfigLoader.ConfigException e =
        assertThrows(
            ConfigLoader.ConfigException.class,
            () -> ConfigLoader.load(Map.of(), Optional.of(file)));
    assertTrue(e.getMessage().startsWith("configuration file " + file + " is not valid JSON"));
  }

  @Test
  void load_explicitMissingFile_error() {
    assertThrows(
        ConfigLoader.ConfigException.class,
        () -> ConfigLoader.load(Map.of(), Optional.of(dir.resolve("nope.json"))));
  }

  @Test
  void load_environmentFiles_pathOrObjectWithServerKey() throws IOException {
    Path file =
        write(
            "{\"environment_files\": [\"/data/a.json\", {\"path\": \"/data/b.json\", "
                + "\"server_side_key\": \"ser.b\"}], \"snapshot_dir\": \"/var/lib/flagedge\"}");
    ServerConfig config = ConfigLoader.load(Map.of(), Optional.of(file)).builder().build();
    assertEquals(
        List.of(
            new ServerConfig.OfflineFile(Path.of("/data/a.json"), Optional.empty()),
            new ServerConfig.OfflineFile(Path.of("/data/b.json"), Optional.of("ser.b"))),
        config.environmentFiles());
    assertEquals(Optional.of(Path.of("/var/lib/flagedge")), config.snapshotDirectory());
  }

  private Path write(String json) throws IOException {
    Path file = dir.resolve("config.json");
    Files.writeString(file, json);
    return file;
  }
}
