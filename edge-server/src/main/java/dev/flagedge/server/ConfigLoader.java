package dev.flagedge.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the configuration the way the reference proxy does: a JSON file ({@code CONFIG_PATH},
 * default {@code ./config.json}) overridden by case-insensitive environment variables, where nested
 * objects are given as JSON. The v1 variables ({@code FLAGSMITH_API_URL}, {@code
 * FLAGSMITH_API_TOKEN}, {@code ENVIRONMENT_API_KEYS}, {@code API_POLL_FREQUENCY}) work too. Every
 * error names the key.
 */
final class ConfigLoader {
  private static final List<String> ENV_KEYS =
      List.of(
          "environment_key_pairs",
          "api_url",
          "api_poll_frequency_seconds",
          "api_poll_frequency",
          "api_poll_timeout_seconds",
          "api_poll_timeout",
          "endpoint_caches",
          "allow_origins",
          "logging",
          "server",
          "health_check",
          "snapshot_dir",
          "environment_files",
          "response_cache_bytes",
          "proxy_key",
          "usage_flush_interval_seconds",
          "sse_max_stream_age_seconds",
          "sse_authentication_token",
          "realtime_upstream_url");
  private static final List<String> JSON_VALUED =
      List.of(
          "environment_key_pairs",
          "endpoint_caches",
          "allow_origins",
          "logging",
          "server",
          "health_check",
          "environment_files");

  /** The configuration could not be used; the message names the key and the value. */
  static final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConfigException(String message) {
      super(message);
    }
  }

  /** The settings' names, as the file and the environment variables write them. */
  static List<String> keys() {
    return ENV_KEYS;
  }

  /** The loaded settings, and whether they name any environment at all. */
  record Loaded(ServerConfig.Builder builder, boolean hasEnvironments, Optional<Path> file) {}

  private ConfigLoader() {}

  /**
   * @param environment the process environment
   * @param explicitPath a path given with {@code --config}; it must exist
   */
  static Loaded load(Map<String, String> environment, Optional<Path> explicitPath) {
    Map<String, String> env = lowerCaseKeys(environment);
    Path path = path(environment, explicitPath);
    ObjectNode settings = readFile(path, explicitPath.isPresent());
    boolean fileRead = settings.size() > 0 || Files.isRegularFile(path);
    for (String key : ENV_KEYS) {
      String value = env.get(key);
      if (value != null) {
        settings.set(key, JSON_VALUED.contains(key) ? parseJson(key, value) : textNode(value));
      }
    }
    try {
      return apply(settings, env, fileRead ? Optional.of(path) : Optional.empty());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid configuration: " + e.getMessage());
    }
  }

  /**
   * The configuration file's path: {@code --config}, else {@code CONFIG_PATH}, else ./config.json.
   */
  static Path path(Map<String, String> environment, Optional<Path> explicitPath) {
    return explicitPath.orElseGet(
        () -> Path.of(lowerCaseKeys(environment).getOrDefault("config_path", "config.json")));
  }

  private static Map<String, String> lowerCaseKeys(Map<String, String> environment) {
    Map<String, String> env = new HashMap<>();
    environment.forEach((k, v) -> env.put(k.toLowerCase(Locale.ROOT), v));
    return env;
  }

  private static ObjectNode readFile(Path path, boolean mustExist) {
    if (!Files.isRegularFile(path)) {
      if (mustExist) {
        throw new ConfigException("configuration file not found: " + path);
      }
      return Json.MAPPER.createObjectNode();
    }
    try {
      JsonNode node = Json.MAPPER.readTree(Files.readString(path));
      if (node == null || !node.isObject()) {
        throw new ConfigException("configuration file " + path + " must hold a JSON object");
      }
      return (ObjectNode) node;
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          "configuration file " + path + " is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException("configuration file " + path + " cannot be read: " + e);
    }
  }

  private static JsonNode parseJson(String key, String value) {
    try {
      return Json.MAPPER.readTree(value);
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          "invalid configuration: environment variable "
              + key.toUpperCase(Locale.ROOT)
              + " must be JSON: "
              + e.getOriginalMessage());
    }
  }

  private static JsonNode textNode(String value) {
    return Json.MAPPER.getNodeFactory().textNode(value);
  }

  private static Loaded apply(ObjectNode s, Map<String, String> env, Optional<Path> file) {
    ServerConfig.Builder b = ServerConfig.builder();
    int count = keyPairs(s.get("environment_key_pairs"), b);
    count += legacy(env, b);
    count += environmentFiles(s.get("environment_files"), b);
    String apiUrl =
        env.containsKey("flagsmith_api_url") && !s.has("api_url")
            ? env.get("flagsmith_api_url")
            : text(s, "api_url", null);
    if (apiUrl != null) {
      b.apiUrl(uri("api_url", apiUrl));
    }
    seconds(s, "api_poll_frequency_seconds", "api_poll_frequency", env.get("api_poll_frequency"))
        .ifPresent(b::pollInterval);
    seconds(s, "api_poll_timeout_seconds", "api_poll_timeout", null).ifPresent(b::pollTimeout);
    if (s.hasNonNull("allow_origins")) {
      b.allowOrigins(stringList(s.get("allow_origins"), "allow_origins"));
    }
    logging(object(s, "logging"), b);
    server(object(s, "server"), b);
    healthCheck(s.get("health_check"), b);
    String snapshots = text(s, "snapshot_dir", null);
    if (snapshots != null && !snapshots.isBlank()) {
      b.snapshotDirectory(Path.of(snapshots));
    }
    JsonNode cacheBytes = s.get("response_cache_bytes");
    if (cacheBytes != null && !cacheBytes.isNull()) {
      b.responseCacheBytes(wholeNumber(cacheBytes, "response_cache_bytes"));
    }
    String proxyKey = text(s, "proxy_key", null);
    if (proxyKey != null && !proxyKey.isBlank()) {
      b.proxyKey(proxyKey);
      count++;
    }
    JsonNode flush = s.get("usage_flush_interval_seconds");
    if (flush != null && !flush.isNull()) {
      b.usageFlushInterval(Duration.ofSeconds(integer(flush, "usage_flush_interval_seconds")));
    }
    String realtimeUrl = text(s, "realtime_upstream_url", null);
    if (realtimeUrl != null && !realtimeUrl.isBlank()) {
      b.realtimeUpstreamUrl(uri("realtime_upstream_url", realtimeUrl));
    }
    String sseToken = text(s, "sse_authentication_token", null);
    if (sseToken != null && !sseToken.isBlank()) {
      b.sseAuthenticationToken(sseToken);
    }
    JsonNode maxAge = s.get("sse_max_stream_age_seconds");
    if (maxAge != null && !maxAge.isNull()) {
      b.streamMaxAge(Duration.ofSeconds(integer(maxAge, "sse_max_stream_age_seconds")));
    }
    b.openTelemetry(openTelemetry(env));
    return new Loaded(b, count > 0, file);
  }

  /**
   * The standard {@code OTEL_*} variables as the SDK's properties ({@code OTEL_SERVICE_NAME} →
   * {@code otel.service.name}), the names already in lower case.
   */
  static Map<String, String> openTelemetry(Map<String, String> env) {
    Map<String, String> properties = new HashMap<>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith("otel_") && value != null && !value.isBlank()) {
            properties.put(name.replace('_', '.'), value.strip());
          }
        });
    return properties;
  }

  private static int keyPairs(JsonNode pairs, ServerConfig.Builder b) {
    if (pairs == null || pairs.isNull()) {
      return 0;
    }
    // Messages name the setting's path, never the value: it holds keys.
    if (!pairs.isArray()) {
      throw new IllegalArgumentException(
          "environment_key_pairs must be a list of "
              + "{\"server_side_key\", \"client_side_key\"} objects, got a "
              + pairs.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    for (int i = 0; i < pairs.size(); i++) {
      JsonNode pair = pairs.get(i);
      String where = "environment_key_pairs[" + i + "]";
      if (!pair.isObject()) {
        throw new IllegalArgumentException(where + " must be an object");
      }
      String serverKey = keyText(pair, "server_side_key", where);
      String clientKey = keyText(pair, "client_side_key", where);
      if (!serverKey.startsWith("ser.") || serverKey.length() == 4) {
        throw new IllegalArgumentException(where + ".server_side_key must start with \"ser.\"");
      }
      if (clientKey.isEmpty()) {
        throw new IllegalArgumentException(where + ".client_side_key must not be empty");
      }
      if (clientKey.startsWith("ser.")) {
        throw new IllegalArgumentException(
            where
                + ".client_side_key is a server-side key; give the environment's client-side key");
      }
      b.environment(serverKey, clientKey);
    }
    return pairs.size();
  }

  /** A key member's text, stripped; a wrong type is reported by path alone. */
  private static String keyText(JsonNode pair, String name, String where) {
    JsonNode value = pair.get(name);
    if (value == null || value.isNull()) {
      return "";
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(where + "." + name + " must be a string");
    }
    return value.textValue().strip();
  }

  private static int legacy(Map<String, String> env, ServerConfig.Builder b) {
    String keys = env.get("environment_api_keys");
    if (keys == null || keys.isBlank()) {
      return 0;
    }
    String token = env.get("flagsmith_api_token");
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException(
          "FLAGSMITH_API_TOKEN is required with ENVIRONMENT_API_KEYS");
    }
    int count = 0;
    for (String key : keys.split(",")) {
      if (!key.isBlank()) {
        b.legacyEnvironment(key.strip(), token);
        count++;
      }
    }
    return count;
  }

  private static int environmentFiles(JsonNode files, ServerConfig.Builder b) {
    if (files == null || files.isNull()) {
      return 0;
    }
    if (!files.isArray()) {
      throw new IllegalArgumentException("environment_files must be a list, got " + files);
    }
    for (int i = 0; i < files.size(); i++) {
      JsonNode file = files.get(i);
      if (file.isTextual()) {
        b.environmentFile(Path.of(file.textValue()), Optional.empty());
      } else if (file.isObject() && file.hasNonNull("path")) {
        String serverKey = text(file, "server_side_key", null);
        b.environmentFile(Path.of(text(file, "path", "")), Optional.ofNullable(serverKey));
      } else {
        throw new IllegalArgumentException(
            "environment_files["
                + i
                + "] must be a path or {\"path\", \"server_side_key\"}, got "
                + file);
      }
    }
    return files.size();
  }

  private static void logging(JsonNode logging, ServerConfig.Builder b) {
    String level = text(logging, "log_level", null);
    if (level != null) {
      b.logLevel(level);
    }
    String format = text(logging, "log_format", "generic");
    if (!format.equals("generic") && !format.equals("json")) {
      throw new IllegalArgumentException(
          "logging.log_format must be \"generic\" or \"json\": " + format);
    }
    b.jsonLogs(format.equals("json"));
    b.accessLog(bool(logging, "enable_access_log", "logging.enable_access_log"));
  }

  private static void server(JsonNode server, ServerConfig.Builder b) {
    String host = text(server, "host", null);
    if (host != null) {
      b.host(host);
    }
    JsonNode port = server.get("port");
    if (port != null && !port.isNull()) {
      b.port(integer(port, "server.port"));
    }
    b.proxyHeaders(bool(server, "proxy_headers", "server.proxy_headers"));
    JsonNode keepAlive = server.get("timeout_keep_alive");
    if (keepAlive != null && !keepAlive.isNull()) {
      b.keepAlive(Duration.ofSeconds(integer(keepAlive, "server.timeout_keep_alive")));
    }
  }

  private static void healthCheck(JsonNode health, ServerConfig.Builder b) {
    if (health == null
        || health.isNull()
        || !health.has("environment_update_grace_period_seconds")) {
      return;
    }
    JsonNode grace = health.get("environment_update_grace_period_seconds");
    b.environmentUpdateGrace(
        grace.isNull()
            ? null
            : Duration.ofSeconds(
                integer(grace, "health_check.environment_update_grace_period_seconds")));
  }

  private static Optional<Duration> seconds(JsonNode s, String key, String alias, String legacy) {
    JsonNode value = s.hasNonNull(key) ? s.get(key) : s.get(alias);
    if (value == null || value.isNull()) {
      return Optional.ofNullable(legacy)
          .map(v -> Duration.ofSeconds(integer(textNode(v), "API_POLL_FREQUENCY")));
    }
    return Optional.of(Duration.ofSeconds(integer(value, s.hasNonNull(key) ? key : alias)));
  }

  private static int integer(JsonNode value, String key) {
    long number = wholeNumber(value, key);
    if (number != (int) number) {
      throw new IllegalArgumentException(key + " must be an integer, got " + value);
    }
    return (int) number;
  }

  private static long wholeNumber(JsonNode value, String key) {
    if (value.canConvertToLong() && value.isIntegralNumber()) {
      return value.longValue();
    }
    if (value.isTextual()) {
      try {
        return Long.parseLong(value.textValue().strip());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException(key + " must be an integer, got " + value);
  }

  private static boolean bool(JsonNode parent, String name, String key) {
    JsonNode value = parent.get(name);
    if (value == null || value.isNull()) {
      return false;
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    String text = value.asText().strip().toLowerCase(Locale.ROOT);
    if (List.of("true", "1", "yes", "on").contains(text)) {
      return true;
    }
    if (List.of("false", "0", "no", "off").contains(text)) {
      return false;
    }
    throw new IllegalArgumentException(key + " must be a boolean, got " + value);
  }

  private static JsonNode object(JsonNode s, String key) {
    JsonNode value = s.get(key);
    if (value == null || value.isNull()) {
      return Json.MAPPER.createObjectNode();
    }
    if (!value.isObject()) {
      throw new IllegalArgumentException(key + " must be an object, got " + value);
    }
    return value;
  }

  private static String text(JsonNode parent, String name, String absent) {
    JsonNode value = parent.get(name);
    if (value == null || value.isNull()) {
      return absent;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(name + " must be a string, got " + value);
    }
    return value.textValue();
  }

  private static List<String> stringList(JsonNode value, String key) {
    if (!value.isArray()) {
      throw new IllegalArgumentException(key + " must be a list of strings, got " + value);
    }
    List<String> result = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw new IllegalArgumentException(key + " must be a list of strings, got " + value);
      }
      result.add(item.textValue());
    }
    return result;
  }

  private static URI uri(String key, String value) {
    try {
      return new URI(value.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(key + " must be a URL, got \"" + value + "\"");
    }
  }
}
