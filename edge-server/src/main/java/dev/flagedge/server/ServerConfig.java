package dev.flagedge.server;

import dev.flagedge.sync.EnvironmentSync;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Everything the server needs to run, as the reference Edge Proxy's {@code config.json} describes
 * it, plus FlagEdge's additions (snapshots, offline environment files). {@code Main} fills it from
 * {@code config.json} and environment variables.
 *
 * <p>Build with {@link #builder()}: the builder validates each setting as it is given, naming the
 * configuration key in its message, and starts from the reference proxy's defaults.
 */
public final class ServerConfig {
  private final List<KeyPair> environments;
  private final List<String> legacyEnvironments;
  private final Optional<String> legacyApiToken;
  private final List<OfflineFile> environmentFiles;
  private final URI apiUrl;
  private final Duration pollInterval;
  private final Duration pollTimeout;
  private final List<String> allowOrigins;
  private final String logLevel;
  private final boolean jsonLogs;
  private final boolean accessLog;
  private final String host;
  private final int port;
  private final boolean proxyHeaders;
  private final Duration keepAlive;
  private final Optional<Duration> environmentUpdateGrace;
  private final Optional<Path> snapshotDirectory;
  private final OptionalLong responseCacheBytes;
  private final Optional<String> proxyKey;
  private final Duration usageFlushInterval;
  private final Duration streamMaxAge;
  private final Optional<String> sseAuthenticationToken;
  private final Optional<URI> realtimeUpstreamUrl;
  private final Map<String, String> openTelemetry;

  /** Validates and copies. */
  private ServerConfig(
      List<KeyPair> environments,
      List<String> legacyEnvironments,
      Optional<String> legacyApiToken,
      List<OfflineFile> environmentFiles,
      URI apiUrl,
      Duration pollInterval,
      Duration pollTimeout,
      List<String> allowOrigins,
      String logLevel,
      boolean jsonLogs,
      boolean accessLog,
      String host,
      int port,
      boolean proxyHeaders,
      Duration keepAlive,
      Optional<Duration> environmentUpdateGrace,
      Optional<Path> snapshotDirectory,
      OptionalLong responseCacheBytes,
      Optional<String> proxyKey,
      Duration usageFlushInterval,
      Duration streamMaxAge,
      Optional<String> sseAuthenticationToken,
      Optional<URI> realtimeUpstreamUrl,
      Map<String, String> openTelemetry) {
    environments = List.copyOf(environments);
    legacyEnvironments = List.copyOf(legacyEnvironments);
    Objects.requireNonNull(legacyApiToken, "legacyApiToken");
    environmentFiles = List.copyOf(environmentFiles);
    Objects.requireNonNull(apiUrl, "apiUrl");
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(pollTimeout, "pollTimeout");
    allowOrigins = List.copyOf(allowOrigins);
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(keepAlive, "keepAlive");
    Objects.requireNonNull(environmentUpdateGrace, "environmentUpdateGrace");
    Objects.requireNonNull(snapshotDirectory, "snapshotDirectory");
    Objects.requireNonNull(responseCacheBytes, "responseCacheBytes");
    Objects.requireNonNull(proxyKey, "proxyKey");
    Objects.requireNonNull(usageFlushInterval, "usageFlushInterval");
    Objects.requireNonNull(streamMaxAge, "streamMaxAge");
    Objects.requireNonNull(sseAuthenticationToken, "sseAuthenticationToken");
    Objects.requireNonNull(realtimeUpstreamUrl, "realtimeUpstreamUrl");
    if (environments.isEmpty()
        && legacyEnvironments.isEmpty()
        && environmentFiles.isEmpty()
        && proxyKey.isEmpty()) {
      throw new IllegalArgumentException(
          "environment_key_pairs or proxy_key: configure at least "
              + "one environment, or a proxy key to learn them from the Flagsmith API");
    }
    this.environments = environments;
    this.legacyEnvironments = legacyEnvironments;
    this.legacyApiToken = legacyApiToken;
    this.environmentFiles = environmentFiles;
    this.apiUrl = apiUrl;
    this.pollInterval = pollInterval;
    this.pollTimeout = pollTimeout;
    this.allowOrigins = allowOrigins;
    this.logLevel = logLevel;
    this.jsonLogs = jsonLogs;
    this.accessLog = accessLog;
    this.host = host;
    this.port = port;
    this.proxyHeaders = proxyHeaders;
    this.keepAlive = keepAlive;
    this.environmentUpdateGrace = environmentUpdateGrace;
    this.snapshotDirectory = snapshotDirectory;
    this.responseCacheBytes = responseCacheBytes;
    this.proxyKey = proxyKey;
    this.usageFlushInterval = usageFlushInterval;
    this.streamMaxAge = streamMaxAge;
    this.sseAuthenticationToken = sseAuthenticationToken;
    this.realtimeUpstreamUrl = realtimeUpstreamUrl;
    this.openTelemetry = Map.copyOf(openTelemetry);
  }

  /** Upstream environments: server-side key and client-side key. */
  List<KeyPair> environments() {
    return environments;
  }

  /** V1 environments: client keys fetched with an admin token. */
  List<String> legacyEnvironments() {
    return legacyEnvironments;
  }

  /** The v1 admin token, when there are legacy environments. */
  Optional<String> legacyApiToken() {
    return legacyApiToken;
  }

  /** Offline environments: one document file each. */
  List<OfflineFile> environmentFiles() {
    return environmentFiles;
  }

  /** The Flagsmith API base, for example {@code https://edge.api.flagsmith.com/api/v1}. */
  URI apiUrl() {
    return apiUrl;
  }

  /** How often each environment document is fetched. */
  Duration pollInterval() {
    return pollInterval;
  }

  /** How long one fetch may take. */
  Duration pollTimeout() {
    return pollTimeout;
  }

  /** CORS origins; {@code *} allows any. */
  List<String> allowOrigins() {
    return allowOrigins;
  }

  /**
   * {@code CRITICAL}, {@code ERROR}, {@code WARNING}, {@code INFO}, {@code DEBUG} or {@code
   * NOTSET}.
   */
  String logLevel() {
    return logLevel;
  }

  /** Whether log lines are JSON objects (the {@code json} log format). */
  boolean jsonLogs() {
    return jsonLogs;
  }

  /** Whether every request is logged. */
  boolean accessLog() {
    return accessLog;
  }

  /** The address to bind. */
  String host() {
    return host;
  }

  /** The port to bind; 0 picks a free one. */
  int port() {
    return port;
  }

  /** Whether {@code X-Forwarded-For} names the client in the access log. */
  boolean proxyHeaders() {
    return proxyHeaders;
  }

  /** How long an idle keep-alive connection stays open. */
  Duration keepAlive() {
    return keepAlive;
  }

  /** Per-environment grace before health reports staleness; empty disables staleness. */
  Optional<Duration> environmentUpdateGrace() {
    return environmentUpdateGrace;
  }

  /** Where the last good documents are kept across restarts. */
  Optional<Path> snapshotDirectory() {
    return snapshotDirectory;
  }

  /**
   * The identity response cache's budget in bytes (0: off); empty: the default, 32 MiB or an eighth
   * of the maximum heap, whichever is smaller.
   */
  OptionalLong responseCacheBytes() {
    return responseCacheBytes;
  }

  /** A proxy key: environments are learnt from the Flagsmith API and usage reported to it. */
  Optional<String> proxyKey() {
    return proxyKey;
  }

  /** How often usage counts are sent (with a proxy key). */
  Duration usageFlushInterval() {
    return usageFlushInterval;
  }

  /** How long a realtime stream stays open (zero or negative: until the client leaves). */
  Duration streamMaxAge() {
    return streamMaxAge;
  }

  /** The token a Flagsmith API presents to queue a change; none: refused. */
  Optional<String> sseAuthenticationToken() {
    return sseAuthenticationToken;
  }

  /** A realtime service to follow for faster document changes; none: poll only. */
  Optional<URI> realtimeUpstreamUrl() {
    return realtimeUpstreamUrl;
  }

  /** OpenTelemetry's settings, as {@code otel.*} properties; empty: off. */
  Map<String, String> openTelemetry() {
    return openTelemetry;
  }

  /** How many environments are served. */
  int environmentCount() {
    return environments.size() + legacyEnvironments.size() + environmentFiles.size();
  }

  /** A new builder with the reference proxy's defaults. */
  /**
   * The settings a running server applies only at its next start, by name as the configuration file
   * writes them, with how to read each. The others change live: {@code environment_key_pairs},
   * {@code allow_origins} and {@code logging}.
   */
  static Map<String, Function<ServerConfig, Object>> restartOnly() {
    Map<String, Function<ServerConfig, Object>> settings = new LinkedHashMap<>();
    settings.put("api_url", ServerConfig::apiUrl);
    settings.put("api_poll_frequency_seconds", ServerConfig::pollInterval);
    settings.put("api_poll_timeout_seconds", ServerConfig::pollTimeout);
    settings.put("environment_files", ServerConfig::environmentFiles);
    settings.put("ENVIRONMENT_API_KEYS", ServerConfig::legacyEnvironments);
    settings.put("FLAGSMITH_API_TOKEN", ServerConfig::legacyApiToken);
    settings.put("server.host", ServerConfig::host);
    settings.put("server.port", ServerConfig::port);
    settings.put("server.proxy_headers", ServerConfig::proxyHeaders);
    settings.put("server.timeout_keep_alive", ServerConfig::keepAlive);
    settings.put(
        "health_check.environment_update_grace_period_seconds",
        ServerConfig::environmentUpdateGrace);
    settings.put("snapshot_dir", ServerConfig::snapshotDirectory);
    settings.put("response_cache_bytes", ServerConfig::responseCacheBytes);
    settings.put("proxy_key", ServerConfig::proxyKey);
    settings.put("usage_flush_interval_seconds", ServerConfig::usageFlushInterval);
    settings.put("sse_max_stream_age_seconds", ServerConfig::streamMaxAge);
    settings.put("sse_authentication_token", ServerConfig::sseAuthenticationToken);
    settings.put("realtime_upstream_url", ServerConfig::realtimeUpstreamUrl);
    settings.put("OTEL_* (OpenTelemetry)", ServerConfig::openTelemetry);
    return settings;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * One upstream environment.
   *
   * @param serverKey the server-side key ({@code ser.…}) used to fetch the document
   * @param clientKey the client-side key SDKs send
   */
  record KeyPair(String serverKey, String clientKey) {
    /** Validates both keys. */
    public KeyPair {
      if (serverKey == null || !serverKey.startsWith("ser.") || serverKey.length() == 4) {
        throw new IllegalArgumentException(
            "environment_key_pairs: server_side_key must start with \"ser.\"");
      }
      if (clientKey == null || clientKey.isBlank()) {
        throw new IllegalArgumentException(
            "environment_key_pairs: client_side_key must not be empty");
      }
    }
  }

  /**
   * An environment served from a local document file, without an upstream.
   *
   * @param path the document file
   * @param serverKey an optional server-side key that maps to this environment
   */
  record OfflineFile(Path path, Optional<String> serverKey) {
    /** Validates. */
    public OfflineFile {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(serverKey, "serverKey");
    }
  }

  /** Builds a {@link ServerConfig}; defaults are the reference proxy's. */
  public static final class Builder {
    private final List<KeyPair> environments = new ArrayList<>();
    private final List<String> legacyEnvironments = new ArrayList<>();
    private String legacyApiToken;
    private final List<OfflineFile> environmentFiles = new ArrayList<>();
    private URI apiUrl = EnvironmentSync.DEFAULT_API_URL;
    private Duration pollInterval = EnvironmentSync.DEFAULT_POLL_INTERVAL;
    private Duration pollTimeout = EnvironmentSync.DEFAULT_REQUEST_TIMEOUT;
    private List<String> allowOrigins = List.of("*");
    private String logLevel = "INFO";
    private boolean jsonLogs;
    private boolean accessLog;
    private String proxyKey;
    private Duration usageFlushInterval = Duration.ofSeconds(60);
    private Duration streamMaxAge = Duration.ofSeconds(30);
    private String sseAuthenticationToken;
    private URI realtimeUpstreamUrl;
    private String host = "0.0.0.0";
    private int port = 8000;
    private boolean proxyHeaders;
    private Duration keepAlive = Duration.ofSeconds(5);
    private Duration environmentUpdateGrace = Duration.ofSeconds(30);
    private Path snapshotDirectory;
    private Long responseCacheBytes;
    private Map<String, String> openTelemetry = Map.of();

    private Builder() {}

    /** Adds an upstream environment. */
    public Builder environment(String serverKey, String clientKey) {
      environments.add(new KeyPair(serverKey, clientKey));
      return this;
    }

    /** Adds a v1 environment (client key) fetched with the admin token. */
    public Builder legacyEnvironment(String clientKey, String apiToken) {
      legacyEnvironments.add(requireText(clientKey, "ENVIRONMENT_API_KEYS"));
      legacyApiToken = requireText(apiToken, "FLAGSMITH_API_TOKEN");
      return this;
    }

    /** Adds an offline environment read from a document file. */
    public Builder environmentFile(Path path, Optional<String> serverKey) {
      environmentFiles.add(new OfflineFile(path, serverKey));
      return this;
    }

    /** The Flagsmith API base URL. */
    public Builder apiUrl(URI apiUrl) {
      // The sync's rule, checked here so that Main reports it as a configuration error.
      checkedBySync("api_url", () -> EnvironmentSync.builder().apiUrl(apiUrl));
      this.apiUrl = apiUrl;
      return this;
    }

    /** Seconds between document fetches, at least 1, within the sync's bound. */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = requirePositive(pollInterval, "api_poll_frequency_seconds");
      // The sync's bound, checked here so that the message names the setting at load time.
      checkedBySync(
          "api_poll_frequency_seconds", () -> EnvironmentSync.builder().pollInterval(pollInterval));
      return this;
    }

    /** Seconds one fetch may take, at least 1, within the sync's bound. */
    public Builder pollTimeout(Duration pollTimeout) {
      this.pollTimeout = requirePositive(pollTimeout, "api_poll_timeout_seconds");
      checkedBySync(
          "api_poll_timeout_seconds", () -> EnvironmentSync.builder().requestTimeout(pollTimeout));
      return this;
    }

    /** CORS origins. */
    public Builder allowOrigins(List<String> allowOrigins) {
      this.allowOrigins = List.copyOf(allowOrigins);
      return this;
    }

    /** Log level name. */
    public Builder logLevel(String logLevel) {
      String level = logLevel.toUpperCase(java.util.Locale.ROOT);
      if (!List.of("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG", "NOTSET").contains(level)) {
        throw new IllegalArgumentException(
            "logging.log_level must be one of CRITICAL, ERROR, "
                + "WARNING, INFO, DEBUG, NOTSET: "
                + logLevel);
      }
      this.logLevel = level;
      return this;
    }

    /** JSON log lines instead of plain text. */
    public Builder jsonLogs(boolean jsonLogs) {
      this.jsonLogs = jsonLogs;
      return this;
    }

    /** Log every request. */
    public Builder accessLog(boolean accessLog) {
      this.accessLog = accessLog;
      return this;
    }

    /** Address to bind. */
    public Builder host(String host) {
      this.host = requireText(host, "server.host");
      return this;
    }

    /** Port to bind, 0–65535. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("server.port must be between 0 and 65535: " + port);
      }
      this.port = port;
      return this;
    }

    /** Trust {@code X-Forwarded-For} for the client address in logs. */
    public Builder proxyHeaders(boolean proxyHeaders) {
      this.proxyHeaders = proxyHeaders;
      return this;
    }

    /** Idle keep-alive timeout, positive. */
    public Builder keepAlive(Duration keepAlive) {
      this.keepAlive = requirePositive(keepAlive, "server.timeout_keep_alive");
      return this;
    }

    /** Health grace per environment; null disables staleness checks. */
    public Builder environmentUpdateGrace(Duration grace) {
      if (grace != null && grace.isNegative()) {
        throw new IllegalArgumentException(
            "health_check.environment_update_grace_period_seconds must not be negative: " + grace);
      }
      this.environmentUpdateGrace = grace;
      return this;
    }

    /** Directory for snapshots of the last good documents. */
    public Builder snapshotDirectory(Path snapshotDirectory) {
      this.snapshotDirectory = snapshotDirectory;
      return this;
    }

    /** The identity response cache's budget in bytes; 0 turns the cache off. */
    public Builder responseCacheBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("response_cache_bytes must not be negative: " + bytes);
      }
      this.responseCacheBytes = bytes;
      return this;
    }

    /**
     * A proxy key: environments and their server keys are learnt from the Flagsmith API ({@code GET
     * /proxy/config/}), and usage is reported to it ({@code POST /proxy/usage/}).
     */
    public Builder proxyKey(String proxyKey) {
      this.proxyKey = requireText(proxyKey, "proxy_key");
      return this;
    }

    /** How often usage counts are sent with a proxy key; default 60 s. */
    public Builder usageFlushInterval(Duration interval) {
      this.usageFlushInterval = requirePositive(interval, "usage_flush_interval_seconds");
      return this;
    }

    /**
     * How long a realtime stream stays open before it is closed cleanly (clients reconnect); zero
     * or negative: until the client leaves. Default 30 s, as Flagsmith's realtime service.
     */
    public Builder streamMaxAge(Duration maxAge) {
      this.streamMaxAge = Objects.requireNonNull(maxAge, "sse_max_stream_age_seconds");
      return this;
    }

    /**
     * The token a self-hosted Flagsmith API presents on {@code POST
     * /sse/environments/{key}/queue-change} ({@code SSE_AUTHENTICATION_TOKEN} there).
     */
    public Builder sseAuthenticationToken(String token) {
      this.sseAuthenticationToken = requireText(token, "sse_authentication_token");
      return this;
    }

    /**
     * A realtime service to follow per environment (Flagsmith SaaS: {@code
     * https://realtime.flagsmith.com/}; or the first tier's FlagEdge): documents are fetched as
     * soon as it announces a newer one, polling stays the fallback.
     */
    public Builder realtimeUpstreamUrl(URI url) {
      checkedBySync("realtime_upstream_url", () -> EnvironmentSync.builder().realtimeUrl(url));
      this.realtimeUpstreamUrl = url;
      return this;
    }

    /**
     * OpenTelemetry's settings, in the SDK's property form: {@code otel.exporter.otlp.endpoint},
     * {@code otel.service.name}, {@code otel.traces.sampler} and the rest (what {@code OTEL_*}
     * environment variables give, with {@code _} as {@code .} and in lower case). Nothing is
     * exported, and the SDK not even built, unless an OTLP endpoint is among them. Default: none.
     *
     * @param properties property names to values; names must start with {@code otel.}
     * @return this builder
     * @throws IllegalArgumentException if a name does not start with {@code otel.}
     */
    public Builder openTelemetry(Map<String, String> properties) {
      for (String name : properties.keySet()) {
        if (!name.startsWith("otel.")) {
          throw new IllegalArgumentException(
              "OpenTelemetry settings must be otel.* properties: " + name);
        }
      }
      this.openTelemetry = Map.copyOf(properties);
      return this;
    }

    /** The configuration. */
    public ServerConfig build() {
      return new ServerConfig(
          environments,
          legacyEnvironments,
          Optional.ofNullable(legacyApiToken),
          environmentFiles,
          apiUrl,
          pollInterval,
          pollTimeout,
          allowOrigins,
          logLevel,
          jsonLogs,
          accessLog,
          host,
          port,
          proxyHeaders,
          keepAlive,
          Optional.ofNullable(environmentUpdateGrace),
          Optional.ofNullable(snapshotDirectory),
          responseCacheBytes == null ? OptionalLong.empty() : OptionalLong.of(responseCacheBytes),
          Optional.ofNullable(proxyKey),
          usageFlushInterval,
          streamMaxAge,
          Optional.ofNullable(sseAuthenticationToken),
          Optional.ofNullable(realtimeUpstreamUrl),
          openTelemetry);
    }

    /** Runs a sync builder setting, naming the configuration key in its failure. */
    private static void checkedBySync(String key, Runnable setting) {
      try {
        setting.run();
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
      }
    }

    private static Duration requirePositive(Duration value, String key) {
      if (value == null || value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException(key + " must be positive: " + value);
      }
      return value;
    }

    private static String requireText(String value, String key) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(key + " must not be empty");
      }
      return value.strip();
    }
  }
}
