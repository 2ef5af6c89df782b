package dev.flagedge.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagedge.sync.EnvironmentSync;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every setting of the server, each defined once (see {@link Setting}). To add one: a constant
 * here, listed in {@link #ALL}, a field and setter on {@link ServerConfig.Builder} that calls its
 * {@link Setting#validate}, and a row in the README's table (a test compares the two). Errors name
 * the setting's path and never print a key.
 */
final class Settings {
  static final String NONE = "—";

  /** The longest interval a setting takes: the sync's bound, named here so errors can say it. */
  static final Duration MAX_INTERVAL = Duration.ofDays(1);

  private Settings() {}

  // ---- Checks: shared by the builder's setters and the loader ----

  /** Positive and at most a day (the sync's bound), in whole seconds. */
  static Duration interval(Duration value, String path) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(path + " must be positive: " + seconds(value));
    }
    if (value.compareTo(MAX_INTERVAL) > 0) {
      throw new IllegalArgumentException(
          path + " must be at most " + MAX_INTERVAL.toSeconds() + " (a day): " + seconds(value));
    }
    return value;
  }

  static String text(String value, String path) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(path + " must not be empty");
    }
    return value.strip();
  }

  /** Runs the sync's own rule for a value, naming the setting's path in its failure. */
  static <T> T checkedBySync(T value, String path, Consumer<EnvironmentSync.Builder> setting) {
    try {
      setting.accept(EnvironmentSync.builder());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
    }
    return value;
  }

  /** A secret the sync sends as a header: its rule, with a message that never prints it. */
  static String secret(String value, String path, Consumer<EnvironmentSync.Builder> setting) {
    String text = text(value, path);
    try {
      setting.accept(EnvironmentSync.builder());
    } catch (IllegalArgumentException | NullPointerException e) {
      // Not the sync's message, nor as the cause: it shows a part of the key.
      throw new IllegalArgumentException(path + " must be printable ASCII without spaces");
    }
    return text;
  }

  /** One key pair, by its index in {@code environment_key_pairs}; never prints a key. */
  static ServerConfig.KeyPair keyPair(int index, String serverKey, String clientKey) {
    String where = ENVIRONMENT_KEY_PAIRS.path() + "[" + index + "]";
    String server = serverKey == null ? "" : serverKey.strip();
    String client = clientKey == null ? "" : clientKey.strip();
    if (!server.startsWith("ser.") || server.length() == 4) {
      throw new IllegalArgumentException(where + ".server_side_key must start with \"ser.\"");
    }
    if (client.isEmpty()) {
      throw new IllegalArgumentException(where + ".client_side_key must not be empty");
    }
    if (client.startsWith("ser.")) {
      throw new IllegalArgumentException(
          where + ".client_side_key is a server-side key; give the environment's client-side key");
    }
    secret(server, where + ".server_side_key", b -> b.environment(server, "client"));
    secret(client, where + ".client_side_key", b -> b.environment("ser.server", client));
    return new ServerConfig.KeyPair(server, client);
  }

  private static final List<String> LOG_LEVELS =
      List.of("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG", "NOTSET");

  // ---- The settings, in the README's order ----

  static final Setting<List<ServerConfig.KeyPair>> ENVIRONMENT_KEY_PAIRS =
      Setting.of("environment_key_pairs", SettingTypes.KEY_PAIRS)
          .live()
          .meaning("environments fetched from the API: [{server_side_key, client_side_key}]")
          .build(
              (b, pairs) -> pairs.forEach(p -> b.environment(p.serverKey(), p.clientKey())),
              ServerConfig::environments);

  static final Setting<String> PROXY_KEY =
      Setting.of("proxy_key", SettingTypes.TEXT)
          .meaning(
              "learn the environments from the Flagsmith API, and report usage to it; a rotated"
                  + " key applies live, adding or removing one needs a restart")
          .check((key, path) -> secret(key, path, b -> b.proxyKey(key.strip())))
          // Compared for a restart by presence alone: a rotated key is applied live.
          .build(ServerConfig.Builder::proxyKey, config -> config.proxyKey().isPresent());

  static final Setting<Duration> USAGE_FLUSH_INTERVAL =
      Setting.of("usage_flush_interval_seconds", SettingTypes.SECONDS)
          .defaultValue(Duration.ofSeconds(60))
          .live()
          .meaning("with proxy_key: seconds between usage reports")
          .check(Settings::interval)
          .build(ServerConfig.Builder::usageFlushInterval, ServerConfig::usageFlushInterval);

  static final Setting<URI> REALTIME_UPSTREAM_URL =
      Setting.of("realtime_upstream_url", SettingTypes.URL)
          .live()
          .meaning("a realtime stream to follow for faster document changes")
          .check((url, path) -> checkedBySync(url, path, b -> b.realtimeUrl(url)))
          .build(ServerConfig.Builder::realtimeUpstreamUrl, ServerConfig::realtimeUpstreamUrl);

  static final Setting<String> SSE_AUTHENTICATION_TOKEN =
      Setting.of("sse_authentication_token", SettingTypes.TEXT)
          .live()
          .meaning("the token a self-hosted Flagsmith presents to queue a change")
          .check(Settings::text)
          .build(
              ServerConfig.Builder::sseAuthenticationToken, ServerConfig::sseAuthenticationToken);

  static final Setting<Duration> SSE_MAX_STREAM_AGE =
      Setting.of("sse_max_stream_age_seconds", SettingTypes.SECONDS)
          .defaultValue(Duration.ofSeconds(30))
          .flagEdge()
          .live()
          .meaning("seconds a realtime stream stays open; 0: until the client leaves")
          .check(
              (age, path) -> {
                if (age == null) {
                  throw new IllegalArgumentException(path + " must be given");
                }
                return age;
              })
          .build(ServerConfig.Builder::streamMaxAge, ServerConfig::streamMaxAge);

  static final Setting<URI> API_URL =
      Setting.of("api_url", SettingTypes.URL)
          .aliases("flagsmith_api_url")
          .defaultValue(EnvironmentSync.DEFAULT_API_URL)
          .live()
          .meaning("the Flagsmith API base (self-hosted: https://host/api/v1)")
          .check((url, path) -> checkedBySync(url, path, b -> b.apiUrl(url)))
          .build(ServerConfig.Builder::apiUrl, ServerConfig::apiUrl);

  static final Setting<Duration> POLL_FREQUENCY =
      Setting.of("api_poll_frequency_seconds", SettingTypes.SECONDS)
          .aliases("api_poll_frequency")
          .defaultValue(EnvironmentSync.DEFAULT_POLL_INTERVAL)
          .live()
          .meaning("seconds between document fetches")
          .check(
              (interval, path) ->
                  checkedBySync(interval(interval, path), path, b -> b.pollInterval(interval)))
          .build(ServerConfig.Builder::pollInterval, ServerConfig::pollInterval);

  static final Setting<Duration> POLL_TIMEOUT =
      Setting.of("api_poll_timeout_seconds", SettingTypes.SECONDS)
          .aliases("api_poll_timeout")
          .defaultValue(EnvironmentSync.DEFAULT_REQUEST_TIMEOUT)
          .live()
          .meaning("seconds one fetch may take")
          .check(
              (timeout, path) ->
                  checkedBySync(interval(timeout, path), path, b -> b.requestTimeout(timeout)))
          .build(ServerConfig.Builder::pollTimeout, ServerConfig::pollTimeout);

  static final Setting<List<String>> ALLOW_ORIGINS =
      Setting.of("allow_origins", SettingTypes.STRINGS)
          .defaultValue(List.of("*"))
          .defaultText("[\"*\"]")
          .live()
          .meaning("CORS origins; * allows any")
          .check((origins, path) -> List.copyOf(origins))
          .build(ServerConfig.Builder::allowOrigins, ServerConfig::allowOrigins);

  static final Setting<JsonNode> ENDPOINT_CACHES =
      Setting.of("endpoint_caches", SettingTypes.IGNORED)
          .live()
          .meaning("accepted for compatibility; answers are always exact")
          .build((b, ignored) -> {}, config -> List.of());

  static final Setting<String> LOG_LEVEL =
      Setting.of("logging.log_level", SettingTypes.TEXT)
          .defaultValue("INFO")
          .live()
          .meaning(String.join(", ", LOG_LEVELS))
          .check(
              (level, path) -> {
                String upper = level.toUpperCase(Locale.ROOT);
                if (!LOG_LEVELS.contains(upper)) {
                  throw new IllegalArgumentException(
                      path + " must be one of " + String.join(", ", LOG_LEVELS) + ": " + level);
                }
                return upper;
              })
          .build(ServerConfig.Builder::logLevel, ServerConfig::logLevel);

  static final Setting<String> LOG_FORMAT =
      Setting.of("logging.log_format", SettingTypes.TEXT)
          .defaultValue("generic")
          .live()
          .meaning("generic (a line of text) or json (an object per line)")
          .check(
              (format, path) -> {
                if (!format.equals("generic") && !format.equals("json")) {
                  throw new IllegalArgumentException(
                      path + " must be \"generic\" or \"json\": " + format);
                }
                return format;
              })
          .build(
              (b, format) -> b.jsonLogs(Settings.LOG_FORMAT.validate(format).equals("json")),
              ServerConfig::jsonLogs);

  static final Setting<Boolean> ACCESS_LOG =
      Setting.of("logging.enable_access_log", SettingTypes.BOOLEAN)
          .defaultValue(false)
          .live()
          .meaning("log every request")
          .build(ServerConfig.Builder::accessLog, ServerConfig::accessLog);

  static final Setting<String> HOST =
      Setting.of("server.host", SettingTypes.TEXT)
          .defaultValue("0.0.0.0")
          .meaning("the address to listen on")
          .check(Settings::text)
          .build(ServerConfig.Builder::host, ServerConfig::host);

  static final Setting<Integer> PORT =
      Setting.of("server.port", SettingTypes.INTEGER)
          .defaultValue(8000)
          .meaning("the port to listen on; 0 picks a free one")
          .check(
              (port, path) -> {
                if (port < 0 || port > 65535) {
                  throw new IllegalArgumentException(
                      path + " must be between 0 and 65535: " + port);
                }
                return port;
              })
          .build(ServerConfig.Builder::port, ServerConfig::port);

  static final Setting<Boolean> PROXY_HEADERS =
      Setting.of("server.proxy_headers", SettingTypes.BOOLEAN)
          .defaultValue(false)
          .live()
          .meaning("take the client address from X-Forwarded-For in the access log")
          .build(ServerConfig.Builder::proxyHeaders, ServerConfig::proxyHeaders);

  static final Setting<Duration> KEEP_ALIVE =
      Setting.of("server.timeout_keep_alive", SettingTypes.SECONDS)
          .defaultValue(Duration.ofSeconds(5))
          .meaning("seconds an idle keep-alive connection stays open")
          .check(Settings::interval)
          .build(ServerConfig.Builder::keepAlive, ServerConfig::keepAlive);

  static final Setting<Optional<Duration>> UPDATE_GRACE =
      Setting.of(
              "health_check.environment_update_grace_period_seconds", SettingTypes.SECONDS_OR_NULL)
          .defaultValue(Optional.of(Duration.ofSeconds(30)))
          .live()
          .meaning("seconds before health reports an environment stale; null disables")
          .check(
              (grace, path) -> {
                if (grace.isPresent() && grace.get().isNegative()) {
                  throw new IllegalArgumentException(
                      path + " must not be negative: " + seconds(grace.get()));
                }
                return grace;
              })
          .build(
              (b, grace) -> b.environmentUpdateGrace(grace.orElse(null)),
              ServerConfig::environmentUpdateGrace);

  static final Setting<Path> SNAPSHOT_DIR =
      Setting.of("snapshot_dir", SettingTypes.PATH)
          .flagEdge()
          .meaning("keep each environment's last good document here, served after a restart")
          .build(ServerConfig.Builder::snapshotDirectory, ServerConfig::snapshotDirectory);

  static final Setting<List<ServerConfig.OfflineFile>> ENVIRONMENT_FILES =
      Setting.of("environment_files", SettingTypes.FILES)
          .flagEdge()
          .meaning("offline environments: [\"doc.json\"] or [{path, server_side_key}]")
          .build(
              (b, files) -> files.forEach(f -> b.environmentFile(f.path(), f.serverKey())),
              ServerConfig::environmentFiles);

  static final Setting<Long> RESPONSE_CACHE_BYTES =
      Setting.of("response_cache_bytes", SettingTypes.WHOLE_NUMBER)
          .defaultText("32 MiB or ⅛ of the max heap, whichever is smaller")
          .flagEdge()
          .live()
          .meaning("the identity response cache's budget in bytes; 0 turns it off")
          .check(
              (bytes, path) -> {
                if (bytes < 0) {
                  throw new IllegalArgumentException(path + " must not be negative: " + bytes);
                }
                return bytes;
              })
          .build(ServerConfig.Builder::responseCacheBytes, ServerConfig::responseCacheBytes);

  static final Setting<List<String>> LEGACY_ENVIRONMENTS =
      Setting.of("ENVIRONMENT_API_KEYS", SettingTypes.COMMA_LIST)
          .environmentOnly()
          .meaning("v1: comma-separated client keys, fetched with FLAGSMITH_API_TOKEN")
          .check(
              (keys, path) -> {
                keys.forEach(key -> text(key, path));
                return List.copyOf(keys);
              })
          .build(ServerConfig.Builder::legacyEnvironments, ServerConfig::legacyEnvironments);

  static final Setting<String> LEGACY_API_TOKEN =
      Setting.of("FLAGSMITH_API_TOKEN", SettingTypes.TEXT)
          .environmentOnly()
          .meaning("v1: the admin token for ENVIRONMENT_API_KEYS")
          .check(Settings::text)
          .build(ServerConfig.Builder::legacyApiToken, ServerConfig::legacyApiToken);

  static final Setting<Map<String, String>> OPEN_TELEMETRY =
      Setting.of("OTEL_*", SettingTypes.OTEL_PROPERTIES)
          .environmentOnly()
          .defaultValue(Map.of())
          .defaultText(NONE)
          .meaning("OpenTelemetry's standard variables; off without an OTLP endpoint")
          .check(
              (properties, path) -> {
                for (String name : properties.keySet()) {
                  if (!name.startsWith("otel.")) {
                    throw new IllegalArgumentException(
                        "OpenTelemetry settings must be otel.* properties: " + name);
                  }
                }
                return Map.copyOf(properties);
              })
          .build(ServerConfig.Builder::openTelemetry, ServerConfig::openTelemetry);

  /** Every setting, in the README's order. */
  static final List<Setting<?>> ALL =
      List.of(
          ENVIRONMENT_KEY_PAIRS,
          PROXY_KEY,
          USAGE_FLUSH_INTERVAL,
          REALTIME_UPSTREAM_URL,
          SSE_AUTHENTICATION_TOKEN,
          SSE_MAX_STREAM_AGE,
          API_URL,
          POLL_FREQUENCY,
          POLL_TIMEOUT,
          ALLOW_ORIGINS,
          ENDPOINT_CACHES,
          LOG_LEVEL,
          LOG_FORMAT,
          ACCESS_LOG,
          HOST,
          PORT,
          PROXY_HEADERS,
          KEEP_ALIVE,
          UPDATE_GRACE,
          SNAPSHOT_DIR,
          ENVIRONMENT_FILES,
          RESPONSE_CACHE_BYTES,
          LEGACY_ENVIRONMENTS,
          LEGACY_API_TOKEN,
          OPEN_TELEMETRY);

  /** The settings of {@code config.json}: every one but those only the environment gives. */
  static List<Setting<?>> fileSettings() {
    return ALL.stream().filter(s -> !s.environmentOnly()).toList();
  }

  /**
   * The top-level names the environment may override ({@code api_url}, {@code logging}, an alias),
   * in order; a nested setting's object is given whole, as JSON.
   */
  static Set<String> topLevelNames() {
    Set<String> names = new LinkedHashSet<>();
    for (Setting<?> setting : fileSettings()) {
      names.add(setting.topLevel());
      names.addAll(setting.aliases());
    }
    return names;
  }

  /** Whether the environment variable of a top-level name holds JSON. */
  static boolean jsonValued(String topLevel) {
    return fileSettings().stream()
        .anyMatch(s -> s.topLevel().equals(topLevel) && (s.nested() || s.type().json()));
  }

  /** The settings a running server applies only at its next start. */
  static List<Setting<?>> restartOnly() {
    return ALL.stream().filter(s -> s.change() == Setting.Change.RESTART).toList();
  }

  /** The {@code --help} list: every setting, its variable, its default and when it applies. */
  static String help() {
    StringBuilder out = new StringBuilder();
    for (Setting<?> setting : ALL) {
      String name = setting.path();
      if (!setting.aliases().isEmpty()) {
        name += " (alias " + String.join(", ", setting.aliases()) + ")";
      }
      out.append("  ").append(name).append('\n');
      out.append("      ").append(setting.meaning()).append('\n');
      out.append("      default: ").append(setting.defaultText());
      if (!setting.environmentOnly()) {
        out.append("; variable: ")
            .append(setting.environmentVariable())
            .append(setting.nested() ? " (the whole object, as JSON)" : "");
      }
      out.append("; ")
          .append(setting.change() == Setting.Change.LIVE ? "applied live" : "needs a restart")
          .append('\n');
    }
    return out.toString();
  }

  // ---- Helpers ----

  private static String seconds(Duration value) {
    return value == null ? "none" : Long.toString(value.toSeconds());
  }
}
