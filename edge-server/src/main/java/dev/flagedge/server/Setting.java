package dev.flagedge.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One setting of the server, defined once: its name (the {@code config.json} path), its type, its
 * default, how it is validated and set on {@link ServerConfig.Builder}, how it is read back from a
 * {@link ServerConfig}, and whether a running server applies a change. {@link Settings} holds them
 * all; the loader, the builder, live reload, {@code --help} and the README's table (checked by a
 * test) follow from it.
 *
 * @param path the {@code config.json} path ({@code logging.log_level}); for a setting given only by
 *     the environment, the variable's name ({@code ENVIRONMENT_API_KEYS})
 * @param aliases other names the file or the environment may use, weaker than {@code path}
 * @param environmentOnly whether only an environment variable gives it
 * @param type reads a JSON value, reporting a wrong type by path
 * @param defaultValue the builder's starting value; empty: unset
 * @param defaultText the default as the documentation writes it
 * @param change whether a running server applies a change
 * @param flagEdge whether the Python proxy lacks it (marked in the README)
 * @param meaning one line for {@code --help}
 * @param apply sets a read value on a builder, which validates it ({@link #check})
 * @param value reads the setting back, for comparing two configurations
 */
record Setting<T>(
    String path,
    List<String> aliases,
    boolean environmentOnly,
    Type<T> type,
    Optional<T> defaultValue,
    String defaultText,
    Change change,
    boolean flagEdge,
    String meaning,
    Check<T> check,
    BiConsumer<ServerConfig.Builder, T> apply,
    Function<ServerConfig, ?> value) {

  /** Whether a running server applies a change of the setting. */
  enum Change {
    /** Applied by {@link EdgeServer#reconfigure}. */
    LIVE,
    /** Applied at the next start; a reload that changes it says so. */
    RESTART
  }

  /** Reads a setting's JSON value (never {@code null} JSON unless {@link #nullable}). */
  interface Type<T> {
    T read(JsonNode value, String path);

    /** How a value is written in the documentation. */
    default String format(T value) {
      return String.valueOf(value);
    }

    /** Whether the environment variable holds JSON rather than plain text. */
    default boolean json() {
      return false;
    }

    /** Whether JSON {@code null} is a value rather than "unset". */
    default boolean nullable() {
      return false;
    }
  }

  /** Validates a value, naming {@code path} in its error and never printing a key. */
  @FunctionalInterface
  interface Check<T> {
    T check(T value, String path);
  }

  Setting {
    aliases = List.copyOf(aliases);
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(check, "check");
  }

  /** Validates a value given to the builder. */
  T validate(T value) {
    return check.check(value, path);
  }

  /** The builder's starting value, {@code null} when unset (builder fields only). */
  T initial() {
    return defaultValue.orElse(null);
  }

  /** The first part of the path: the file's top-level key, and its environment variable. */
  String topLevel() {
    int dot = path.indexOf('.');
    return dot < 0 ? path : path.substring(0, dot);
  }

  /** The environment variable that gives it (for a nested setting, its object's as JSON). */
  String environmentVariable() {
    return topLevel().toUpperCase(Locale.ROOT);
  }

  /** Whether the setting lives inside an object ({@code server.port}). */
  boolean nested() {
    return path.indexOf('.') >= 0;
  }

  /** Reads the value from a file's JSON, under {@code name} (the path or an alias). */
  void applyJson(ServerConfig.Builder builder, JsonNode json, String name) {
    apply.accept(builder, type.read(json, name));
  }

  static <T> Builder<T> of(String path, Type<T> type) {
    return new Builder<>(path, type);
  }

  /** Builds a {@link Setting}; the table in {@link Settings} reads as one chain per setting. */
  static final class Builder<T> {
    private final String path;
    private final Type<T> type;
    private List<String> aliases = List.of();
    private boolean environmentOnly;
    private T defaultValue;
    private String defaultText;
    private Change change = Change.RESTART;
    private boolean flagEdge;
    private String meaning = "";
    private Check<T> check = (value, path) -> value;

    private Builder(String path, Type<T> type) {
      this.path = path;
      this.type = type;
    }

    Builder<T> aliases(String... names) {
      this.aliases = List.of(names);
      return this;
    }

    Builder<T> environmentOnly() {
      this.environmentOnly = true;
      return this;
    }

    Builder<T> defaultValue(T value) {
      this.defaultValue = value;
      return this;
    }

    /** The default as documented when it is not a value ({@code 32 MiB or …}). */
    Builder<T> defaultText(String text) {
      this.defaultText = text;
      return this;
    }

    Builder<T> live() {
      this.change = Change.LIVE;
      return this;
    }

    Builder<T> flagEdge() {
      this.flagEdge = true;
      return this;
    }

    Builder<T> meaning(String meaning) {
      this.meaning = meaning;
      return this;
    }

    Builder<T> check(Check<T> check) {
      this.check = check;
      return this;
    }

    Setting<T> build(
        BiConsumer<ServerConfig.Builder, T> apply, Function<ServerConfig, ?> valueOfConfig) {
      Optional<T> value = Optional.ofNullable(defaultValue);
      String text =
          defaultText != null ? defaultText : value.map(type::format).orElse(Settings.NONE);
      return new Setting<>(
          path,
          aliases,
          environmentOnly,
          type,
          value,
          text,
          change,
          flagEdge,
          meaning,
          check,
          apply,
          valueOfConfig);
    }
  }
}
