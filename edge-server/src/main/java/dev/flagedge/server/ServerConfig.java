package dev.flagedge.server;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

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

  /** Copies the builder's settings, each already validated by its setter. */
  private ServerConfig(Builder b) {
    this.environments = List.copyOf(b.environments);
    this.legacyEnvironments = List.copyOf(b.legacyEnvironments);
    this.legacyApiToken = Optional.ofNullable(b.legacyApiToken);
    this.environmentFiles = List.copyOf(b.environmentFiles);
    this.apiUrl = b.apiUrl;
    this.pollInterval = b.pollInterval;
    this.pollTimeout = b.pollTimeout;
    this.allowOrigins = List.copyOf(b.allowOrigins);
    this.logLevel = b.logLevel;
    this.jsonLogs = b.jsonLogs;
    this.accessLog = b.accessLog;
    this.host = b.host;
    this.port = b.port;
    this.proxyHeaders = b.proxyHeaders;
    this.keepAlive = b.keepAlive;
    this.environmentUpdateGrace = Optional.ofNullable(b.environmentUpdateGrace);
    this.snapshotDirectory = Optional.ofNullable(b.snapshotDirectory);
    this.responseCacheBytes =
        b.responseCacheBytes == null ? OptionalLong.empty() : OptionalLong.of(b.responseCacheBytes);
    this.proxyKey = Optional.ofNullable(b.proxyKey);
    this.usageFlushInterval = b.usageFlushInterval;
    this.streamMaxAge = b.streamMaxAge;
    this.sseAuthenticationToken = Optional.ofNullable(b.sseAuthenticationToken);
    this.realtimeUpstreamUrl = Optional.ofNullable(b.realtimeUpstreamUrl);
    this.openTelemetry = Map.copyOf(b.openTelemetry);
    if (!legacyEnvironments.isEmpty() && legacyApiToken.isEmpty()) {
      throw new IllegalArgumentException(
          Settings.LEGACY_API_TOKEN.path()
              + " is required with "
              + Settings.LEGACY_ENVIRONMENTS.path());
    }
    if (environments.isEmpty()
        && legacyEnvironments.isEmpty()
        && environmentFiles.isEmpty()
        && proxyKey.isEmpty()) {
      throw new IllegalArgumentException(
          "environment_key_pairs or proxy_key: configure at least "
              + "one environment, or a proxy key to learn them from the Flagsmith API");
    }
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
    /** Both present; {@link Settings#keyPair} validates them, by their index. */
    public KeyPair {
      Objects.requireNonNull(serverKey, "serverKey");
      Objects.requireNonNull(clientKey, "clientKey");
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

  /**
   * Builds a {@link ServerConfig}. Each setter validates at once with the setting's rule from
   * {@link Settings}, naming the configuration key in its message; defaults are the reference
   * proxy's, from the same place.
   */
  public static final class Builder {
    private final List<KeyPair> environments = new ArrayList<>();
    private final List<String> legacyEnvironments = new ArrayList<>();
    private String legacyApiToken;
    private final List<OfflineFile> environmentFiles = new ArrayList<>();
    private URI apiUrl = Settings.API_URL.initial();
    private Duration pollInterval = Settings.POLL_FREQUENCY.initial();
    private Duration pollTimeout = Settings.POLL_TIMEOUT.initial();
    private List<String> allowOrigins = Settings.ALLOW_ORIGINS.initial();
    private String logLevel = Settings.LOG_LEVEL.initial();
    private boolean jsonLogs = Settings.LOG_FORMAT.initial().equals("json");
    private boolean accessLog = Settings.ACCESS_LOG.initial();
    private String proxyKey;
    private Duration usageFlushInterval = Settings.USAGE_FLUSH_INTERVAL.initial();
    private Duration streamMaxAge = Settings.SSE_MAX_STREAM_AGE.initial();
    private String sseAuthenticationToken;
    private URI realtimeUpstreamUrl;
    private String host = Settings.HOST.initial();
    private int port = Settings.PORT.initial();
    private boolean proxyHeaders = Settings.PROXY_HEADERS.initial();
    private Duration keepAlive = Settings.KEEP_ALIVE.initial();
    private Duration environmentUpdateGrace = Settings.UPDATE_GRACE.initial().orElse(null);
    private Path snapshotDirectory;
    private Long responseCacheBytes;
    private Map<String, String> openTelemetry = Settings.OPEN_TELEMETRY.initial();

    private Builder() {}

    /** Adds an upstream environment. */
    public Builder environment(String serverKey, String clientKey) {
      environments.add(Settings.keyPair(environments.size(), serverKey, clientKey));
      return this;
    }

    /** Adds a v1 environment (client key) fetched with the admin token. */
    public Builder legacyEnvironment(String clientKey, String apiToken) {
      legacyEnvironments.addAll(Settings.LEGACY_ENVIRONMENTS.validate(List.of(clientKey)));
      return legacyApiToken(apiToken);
    }

    /** v1 environments (client keys), fetched with {@link #legacyApiToken}. */
    Builder legacyEnvironments(List<String> clientKeys) {
      legacyEnvironments.addAll(Settings.LEGACY_ENVIRONMENTS.validate(clientKeys));
      return this;
    }

    /** The v1 admin token. */
    Builder legacyApiToken(String apiToken) {
      legacyApiToken = Settings.LEGACY_API_TOKEN.validate(apiToken);
      return this;
    }

    /** Adds an offline environment read from a document file. */
    public Builder environmentFile(Path path, Optional<String> serverKey) {
      environmentFiles.add(new OfflineFile(path, serverKey));
      return this;
    }

    /** The Flagsmith API base URL. */
    public Builder apiUrl(URI apiUrl) {
      this.apiUrl = Settings.API_URL.validate(apiUrl);
      return this;
    }

    /** Seconds between document fetches: positive, at most a day. */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = Settings.POLL_FREQUENCY.validate(pollInterval);
      return this;
    }

    /** Seconds one fetch may take: positive, at most a day. */
    public Builder pollTimeout(Duration pollTimeout) {
      this.pollTimeout = Settings.POLL_TIMEOUT.validate(pollTimeout);
      return this;
    }

    /** CORS origins. */
    public Builder allowOrigins(List<String> allowOrigins) {
      this.allowOrigins = Settings.ALLOW_ORIGINS.validate(allowOrigins);
      return this;
    }

    /** Log level name. */
    public Builder logLevel(String logLevel) {
      this.logLevel = Settings.LOG_LEVEL.validate(logLevel);
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
      this.host = Settings.HOST.validate(host);
      return this;
    }

    /** Port to bind, 0–65535. */
    public Builder port(int port) {
      this.port = Settings.PORT.validate(port);
      return this;
    }

    /** Trust {@code X-Forwarded-For} for the client address in logs. */
    public Builder proxyHeaders(boolean proxyHeaders) {
      this.proxyHeaders = proxyHeaders;
      return this;
    }

    /** Idle keep-alive timeout, positive. */
    public Builder keepAlive(Duration keepAlive) {
      this.keepAlive = Settings.KEEP_ALIVE.validate(keepAlive);
      return this;
    }

    /** Health grace per environment; null disables staleness checks. */
    public Builder environmentUpdateGrace(Duration grace) {
      this.environmentUpdateGrace =
          Settings.UPDATE_GRACE.validate(Optional.ofNullable(grace)).orElse(null);
      return this;
    }

    /** Directory for snapshots of the last good documents. */
    public Builder snapshotDirectory(Path snapshotDirectory) {
      this.snapshotDirectory = Settings.SNAPSHOT_DIR.validate(snapshotDirectory);
      return this;
    }

    /** The identity response cache's budget in bytes; 0 turns the cache off. */
    public Builder responseCacheBytes(long bytes) {
      this.responseCacheBytes = Settings.RESPONSE_CACHE_BYTES.validate(bytes);
      return this;
    }

    /**
     * A proxy key: environments and their server keys are learnt from the Flagsmith API ({@code GET
     * /proxy/config/}), and usage is reported to it ({@code POST /proxy/usage/}).
     */
    public Builder proxyKey(String proxyKey) {
      this.proxyKey = Settings.PROXY_KEY.validate(proxyKey);
      return this;
    }

    /** How often usage counts are sent with a proxy key; default 60 s. */
    public Builder usageFlushInterval(Duration interval) {
      this.usageFlushInterval = Settings.USAGE_FLUSH_INTERVAL.validate(interval);
      return this;
    }

    /**
     * How long a realtime stream stays open before it is closed cleanly (clients reconnect); zero
     * or negative: until the client leaves. Default 30 s, as Flagsmith's realtime service.
     */
    public Builder streamMaxAge(Duration maxAge) {
      this.streamMaxAge = Settings.SSE_MAX_STREAM_AGE.validate(maxAge);
      return this;
    }

    /**
     * The token a self-hosted Flagsmith API presents on {@code POST
     * /sse/environments/{key}/queue-change} ({@code SSE_AUTHENTICATION_TOKEN} there).
     */
    public Builder sseAuthenticationToken(String token) {
      this.sseAuthenticationToken = Settings.SSE_AUTHENTICATION_TOKEN.validate(token);
      return this;
    }

    /**
     * A realtime service to follow per environment (Flagsmith SaaS: {@code
     * https://realtime.flagsmith.com/}; or the first tier's FlagEdge): documents are fetched as
     * soon as it announces a newer one, polling stays the fallback.
     */
    public Builder realtimeUpstreamUrl(URI url) {
      this.realtimeUpstreamUrl = Settings.REALTIME_UPSTREAM_URL.validate(url);
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
      this.openTelemetry = Settings.OPEN_TELEMETRY.validate(properties);
      return this;
    }

    /** Whether any environment, or a proxy key to learn them, is configured. */
    boolean hasEnvironments() {
      return !environments.isEmpty()
          || !legacyEnvironments.isEmpty()
          || !environmentFiles.isEmpty()
          || proxyKey != null;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException if no environment is configured, or v1 environments lack
     *     their token
     */
    public ServerConfig build() {
      return new ServerConfig(this);
    }
  }
}
