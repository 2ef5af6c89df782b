package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one settings model: the README's table, {@code --help}, the builder and the loader all say
 * what {@link Settings} says.
 */
class SettingsTest {
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  @TempDir Path dir;

  /** One row of the README's configuration table. */
  private record Row(
      String name, List<String> aliases, String defaultText, String change, String key) {}

  private static Map<String, Row> readmeTable() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    int header = lines.indexOf("| key | default | change | meaning |");
    assertTrue(header >= 0, "the README's configuration table, with its change column");
    Map<String, Row> rows = new LinkedHashMap<>();
    for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String[] cells = lines.get(i).split("\\s*\\|\\s*");
      // cells[0] is the empty text before the first bar
      String key = cells[1];
      Matcher names = CODE.matcher(key);
      assertTrue(names.find(), "a setting name in " + lines.get(i));
      String name = names.group(1);
      List<String> aliases = new ArrayList<>();
      while (names.find()) {
        aliases.add(names.group(1).toLowerCase(Locale.ROOT));
      }
      Row previous =
          rows.put(name, new Row(name, aliases, cells[2].replace("`", ""), cells[3], key));
      assertEquals(null, previous, "one row per setting: " + name);
    }
    return rows;
  }

  @Test
  void readmeTable_documentsEverySettingWithTheModelsDefaultAndChange_noStaleRows()
      throws IOException {
    Map<String, Row> rows = readmeTable();
    for (Setting<?> setting : Settings.ALL) {
      Row row = rows.remove(setting.path());
      assertTrue(row != null, "README.md documents " + setting.path());
      assertEquals(setting.defaultText(), row.defaultText(), "default of " + setting.path());
      assertEquals(
          setting.change() == Setting.Change.LIVE ? "live" : "restart",
          row.change(),
          "change of " + setting.path());
      assertEquals(setting.aliases(), row.aliases(), "aliases of " + setting.path());
      assertEquals(setting.flagEdge(), row.key().contains("*(FlagEdge)*"), setting.path());
      assertEquals(
          setting.environmentOnly(), row.key().contains("(environment only)"), setting.path());
    }
    assertEquals(Map.of(), rows, "README rows that name no setting of the model");
  }

  @Test
  void help_listsEverySettingWithItsDefault_fromTheRunningJar() throws Exception {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--help")
            .redirectErrorStream(true)
            .start();
    String help = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), help);
    for (Setting<?> setting : Settings.ALL) {
      int at = help.indexOf("  " + setting.path());
      assertTrue(at >= 0, setting.path() + " in --help:\n" + help);
      String entry =
          help.substring(at, Math.min(help.length(), help.indexOf("default: ", at) + 200));
      assertTrue(
          entry.contains("default: " + setting.defaultText()),
          setting.path() + "'s default in:\n" + entry);
    }
    assertTrue(help.contains("logging.log_level"), help);
    assertTrue(help.contains("variable: LOGGING (the whole object, as JSON)"), help);
  }

  @Test
  void defaults_passTheirOwnValidation() {
    for (Setting<?> setting : Settings.ALL) {
      assertValidDefault(setting);
    }
  }

  private static <T> void assertValidDefault(Setting<T> setting) {
    setting
        .defaultValue()
        .ifPresent(value -> assertEquals(value, setting.validate(value), setting.path()));
  }

  @Test
  void builder_pollFrequencyBeyondADay_refusedNamingTheSettingAndTheBound() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ServerConfig.builder().pollInterval(Duration.ofSeconds(100000)));
    assertEquals(
        "api_poll_frequency_seconds must be at most 86400 (a day): 100000", e.getMessage());
  }

  @Test
  void load_boundsOfEveryIntervalSetting_checkedAtLoadNamingThePath() throws IOException {
    Map<String, String> cases =
        Map.of(
            "{\"api_poll_timeout_seconds\": 100000}", "api_poll_timeout_seconds",
            "{\"api_poll_frequency\": 0}", "api_poll_frequency_seconds must be positive",
            "{\"usage_flush_interval_seconds\": 90000}", "usage_flush_interval_seconds",
            "{\"server\": {\"timeout_keep_alive\": -1}}", "server.timeout_keep_alive",
            "{\"server\": {\"port\": 70000}}", "server.port",
            "{\"logging\": {\"log_format\": \"xml\"}}", "logging.log_format",
            "{\"logging\": 3}", "logging must be an object");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Path file = dir.resolve("config.json");
      Files.writeString(file, c.getKey().replaceFirst("\\{", "{\"proxy_key\": \"pk\", "));
      ConfigLoader.ConfigException e =
          assertThrows(
              ConfigLoader.ConfigException.class,
              () -> ConfigLoader.load(Map.of(), Optional.of(file)),
              c.getKey());
      assertTrue(
          e.getMessage().startsWith("invalid configuration: " + c.getValue()), e.getMessage());
    }
  }

  @Test
  void load_unusableKeysInTheFileOrAVariable_errorNamesThePath_neverTheKey() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("config.json"),
            "{\"environment_key_pairs\": [{\"server_side_key\": \"ser.good\", \"client_side_key\":"
                + " \"good\"}, {\"server_side_key\": \"ser.sec ret\", \"client_side_key\":"
                + " \"x\"}]}");
    ConfigLoader.ConfigException e =
        assertThrows(
            ConfigLoader.ConfigException.class,
            () -> ConfigLoader.load(Map.of(), Optional.of(file)));
    assertTrue(e.getMessage().contains("environment_key_pairs[1].server_side_key"), e.getMessage());
    assertFalse(e.getMessage().contains("sec"), e.getMessage());

    ConfigLoader.ConfigException proxy =
        assertThrows(
            ConfigLoader.ConfigException.class,
            () ->
                ConfigLoader.load(
                    Map.of(
                        "PROXY_KEY",
                        "pk secret",
                        "CONFIG_PATH",
                        dir.resolve("absent.json").toString()),
                    Optional.empty()));
    assertTrue(proxy.getMessage().contains("proxy_key"), proxy.getMessage());
    assertFalse(proxy.getMessage().contains("secret"), proxy.getMessage());
  }

  @Test
  void load_nestedSettingFromItsObjectsVariable_replacesTheWholeObject() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("config.json"),
            "{\"proxy_key\": \"pk\", \"logging\": {\"log_level\": \"DEBUG\", \"log_format\":"
                + " \"json\"}}");
    ServerConfig config =
        ConfigLoader.load(Map.of("LOGGING", "{\"enable_access_log\": \"yes\"}"), Optional.of(file))
            .builder()
            .build();
    assertTrue(config.accessLog());
    assertEquals("INFO", config.logLevel(), "the file's logging object replaced");
    assertFalse(config.jsonLogs());
  }

  @Test
  void load_v1KeysWithoutToken_refusedNamingBothVariables() {
    ConfigLoader.Loaded loaded =
        ConfigLoader.load(
            Map.of(
                "ENVIRONMENT_API_KEYS",
                "key1",
                "CONFIG_PATH",
                dir.resolve("absent.json").toString()),
            Optional.empty());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> loaded.builder().build());
    assertEquals("FLAGSMITH_API_TOKEN is required with ENVIRONMENT_API_KEYS", e.getMessage());
  }
}
