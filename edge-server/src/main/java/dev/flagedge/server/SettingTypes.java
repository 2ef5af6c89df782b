package dev.flagedge.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The types of {@link Settings}: each reads a JSON value (or an environment variable's text) into a
 * value, and reports a wrong type by the setting's path, never repeating a value that may be a key.
 */
final class SettingTypes {
  private SettingTypes() {}

  static final Setting.Type<Duration> SECONDS =
      new Setting.Type<>() {
        @Override
        public Duration read(JsonNode value, String path) {
          return Duration.ofSeconds(integer(value, path));
        }

        @Override
        public String format(Duration value) {
          return Long.toString(value.toSeconds());
        }
      };

  /** Seconds where JSON {@code null} turns the feature off. */
  static final Setting.Type<Optional<Duration>> SECONDS_OR_NULL =
      new Setting.Type<>() {
        @Override
        public Optional<Duration> read(JsonNode value, String path) {
          return value.isNull() ? Optional.empty() : Optional.of(SECONDS.read(value, path));
        }

        @Override
        public String format(Optional<Duration> value) {
          return value.map(SECONDS::format).orElse("null");
        }

        @Override
        public boolean nullable() {
          return true;
        }
      };

  static final Setting.Type<Integer> INTEGER = SettingTypes::integer;
  static final Setting.Type<Long> WHOLE_NUMBER = SettingTypes::wholeNumber;

  /** Text; the error never repeats the value, which may be a key. */
  static final Setting.Type<String> TEXT =
      (value, path) -> {
        if (!value.isTextual()) {
          throw new IllegalArgumentException(path + " must be a string, got a " + kind(value));
        }
        return value.textValue().strip();
      };

  static final Setting.Type<URI> URL =
      (value, path) -> {
        String text = TEXT.read(value, path);
        try {
          return new URI(text);
        } catch (URISyntaxException e) {
          throw new IllegalArgumentException(path + " must be a URL, got \"" + text + "\"");
        }
      };

  static final Setting.Type<Path> PATH = (value, path) -> Path.of(TEXT.read(value, path));

  static final Setting.Type<Boolean> BOOLEAN =
      (value, path) -> {
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
        throw new IllegalArgumentException(path + " must be a boolean, got " + value);
      };

  static final Setting.Type<List<String>> STRINGS =
      jsonType(
          (value, path) -> {
            if (!value.isArray()) {
              throw new IllegalArgumentException(path + " must be a list of strings, got " + value);
            }
            List<String> result = new ArrayList<>();
            for (JsonNode item : value) {
              if (!item.isTextual()) {
                throw new IllegalArgumentException(
                    path + " must be a list of strings, got " + value);
              }
              result.add(item.textValue());
            }
            return result;
          });

  /** Comma-separated text (the v1 variables). */
  static final Setting.Type<List<String>> COMMA_LIST =
      (value, path) -> {
        List<String> result = new ArrayList<>();
        for (String item : TEXT.read(value, path).split(",")) {
          if (!item.isBlank()) {
            result.add(item.strip());
          }
        }
        return result;
      };

  /** Accepted and ignored, for compatibility. */
  static final Setting.Type<JsonNode> IGNORED = jsonType((value, path) -> value);

  /** Key pairs, read as they are; the builder validates each by its index. */
  static final Setting.Type<List<ServerConfig.KeyPair>> KEY_PAIRS =
      jsonType(
          (pairs, path) -> {
            // Messages name the setting's path, never the value: it holds keys.
            if (!pairs.isArray()) {
              throw new IllegalArgumentException(
                  path
                      + " must be a list of {\"server_side_key\", \"client_side_key\"} objects,"
                      + " got a "
                      + kind(pairs));
            }
            List<ServerConfig.KeyPair> result = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i++) {
              JsonNode pair = pairs.get(i);
              String where = path + "[" + i + "]";
              if (!pair.isObject()) {
                throw new IllegalArgumentException(where + " must be an object");
              }
              result.add(
                  new ServerConfig.KeyPair(
                      keyText(pair, "server_side_key", where),
                      keyText(pair, "client_side_key", where)));
            }
            return result;
          });

  static final Setting.Type<List<ServerConfig.OfflineFile>> FILES =
      jsonType(
          (files, path) -> {
            if (!files.isArray()) {
              throw new IllegalArgumentException(path + " must be a list, got a " + kind(files));
            }
            List<ServerConfig.OfflineFile> result = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
              JsonNode file = files.get(i);
              String where = path + "[" + i + "]";
              if (file.isTextual()) {
                result.add(
                    new ServerConfig.OfflineFile(Path.of(file.textValue()), Optional.empty()));
              } else if (file.isObject() && file.hasNonNull("path")) {
                JsonNode key = file.get("server_side_key");
                result.add(
                    new ServerConfig.OfflineFile(
                        PATH.read(file.get("path"), where + ".path"),
                        key == null || key.isNull()
                            ? Optional.empty()
                            : Optional.of(TEXT.read(key, where + ".server_side_key"))));
              } else {
                throw new IllegalArgumentException(
                    where + " must be a path or {\"path\", \"server_side_key\"}");
              }
            }
            return result;
          });

  /** The {@code OTEL_*} variables, already as the SDK's {@code otel.*} properties. */
  static final Setting.Type<Map<String, String>> OTEL_PROPERTIES =
      (value, path) -> {
        throw new IllegalArgumentException(path + " is read from the environment only");
      };

  private static <T> Setting.Type<T> jsonType(Setting.Type<T> reader) {
    return new Setting.Type<>() {
      @Override
      public T read(JsonNode value, String path) {
        return reader.read(value, path);
      }

      @Override
      public boolean json() {
        return true;
      }
    };
  }

  static String kind(JsonNode value) {
    return value.getNodeType().name().toLowerCase(Locale.ROOT);
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

  static int integer(JsonNode value, String path) {
    long number = wholeNumber(value, path);
    if (number != (int) number) {
      throw new IllegalArgumentException(path + " must be an integer, got " + value);
    }
    return (int) number;
  }

  static long wholeNumber(JsonNode value, String path) {
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
    throw new IllegalArgumentException(path + " must be an integer, got " + value);
  }
}
