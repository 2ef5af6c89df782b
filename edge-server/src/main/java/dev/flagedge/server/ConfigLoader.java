package dev.flagedge.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * FLAGSMITH_API_TOKEN}, {@code ENVIRONMENT_API_KEYS}, {@code API_POLL_FREQUENCY}) work too. Which
 * settings there are, their names, types and rules are {@link Settings}'; this class only finds
 * each one's value. Every error names the setting's path.
 */
final class ConfigLoader {
  /** The configuration could not be used; the message names the key and the value. */
  static final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConfigException(String message) {
      super(message);
    }
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
    for (String key : Settings.topLevelNames()) {
      String value = env.get(key);
      if (value != null) {
        settings.set(key, Settings.jsonValued(key) ? parseJson(key, value) : textNode(value));
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

  /** Sets every setting the file (or a variable) gives on a new builder. */
  private static Loaded apply(ObjectNode s, Map<String, String> env, Optional<Path> file) {
    ServerConfig.Builder b = ServerConfig.builder();
    for (String parent :
        Settings.fileSettings().stream()
            .filter(Setting::nested)
            .map(Setting::topLevel)
            .distinct()
            .toList()) {
      JsonNode value = s.get(parent);
      if (value != null && !value.isNull() && !value.isObject()) {
        throw new IllegalArgumentException(parent + " must be an object, got " + value);
      }
    }
    for (Setting<?> setting : Settings.fileSettings()) {
      given(s, setting).ifPresent(name -> setting.applyJson(b, at(s, name), name));
    }
    for (Setting<?> setting : List.of(Settings.LEGACY_ENVIRONMENTS, Settings.LEGACY_API_TOKEN)) {
      String value = env.get(setting.path().toLowerCase(Locale.ROOT));
      if (value != null && !value.isBlank()) {
        setting.applyJson(b, textNode(value), setting.path());
      }
    }
    Settings.OPEN_TELEMETRY.apply().accept(b, openTelemetry(env));
    return new Loaded(b, b.hasEnvironments(), file);
  }

  /**
   * The name under which a setting is given (its path, else an alias), if it is: JSON {@code null}
   * and blank text mean "not given", unless the type takes {@code null} as a value.
   */
  private static Optional<String> given(ObjectNode s, Setting<?> setting) {
    List<String> names = new ArrayList<>();
    names.add(setting.path());
    names.addAll(setting.aliases());
    for (String name : names) {
      JsonNode value = at(s, name);
      if (value == null || (value.isNull() && !setting.type().nullable())) {
        continue;
      }
      if (value.isTextual() && value.textValue().isBlank()) {
        continue;
      }
      return Optional.of(name);
    }
    return Optional.empty();
  }

  /** The value at a dotted path; {@code null} when absent. */
  private static JsonNode at(JsonNode s, String path) {
    JsonNode node = s;
    for (String part : path.split("\\.")) {
      node = node == null || !node.isObject() ? null : node.get(part);
    }
    return node;
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
}
