package dev.flagedge.server;

import dev.flagedge.sync.EnvironmentSync;
import dev.flagedge.sync.SyncListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eclipse.jetty.server.Server;

/**
 * The FlagEdge HTTP server: the Flagsmith Edge Proxy API on Jetty's core HTTP server, answering
 * from compiled documents that {@link EnvironmentSync} keeps fresh. Start it with {@link
 * #start(ServerConfig)}; {@link #close()} stops it gracefully. Thread-safe.
 */
public final class EdgeServer implements AutoCloseable {
  private static final System.Logger logger = System.getLogger(EdgeServer.class.getName());
  private static final Duration ANALYTICS_INTERVAL = Duration.ofSeconds(10);

  /** OFREP's routes answer every method, so that a wrong one gets OFREP's error body. */
  private static final Set<String> ANY_METHOD =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

  private final Server server;
  private final InetSocketAddress address;
  private final EnvironmentSync sync;
  private final Analytics analytics;
  private final Usage usage;
  private final Streams streams;
  private final QueueChangeRoute queueChange;
  private final Thread compactor;
  private final Live live;
  private final Telemetry telemetry;

  /** What a reloaded configuration changes while the server runs. */
  private record Live(
      Router router,
      AccessLog accessLog,
      Reloads reloads,
      ResponseCache responses,
      Diagnostics diagnostics,
      OfrepRoute ofrep) {}

  /** The configuration the server started with: restart-only settings are compared with it. */
  private final ServerConfig started;

  private volatile ServerConfig config;

  private EdgeServer(
      ServerConfig config,
      Server server,
      InetSocketAddress address,
      EnvironmentSync sync,
      Analytics analytics,
      Usage usage,
      Streams streams,
      QueueChangeRoute queueChange,
      Thread compactor,
      Live live,
      Telemetry telemetry) {
    this.started = config;
    this.config = config;
    this.server = server;
    this.address = address;
    this.sync = sync;
    this.analytics = analytics;
    this.usage = usage;
    this.streams = streams;
    this.queueChange = queueChange;
    this.compactor = compactor;
    this.live = live;
    this.telemetry = telemetry;
  }

  /**
   * Starts serving: binds the port, loads snapshots and offline documents, and waits up to the poll
   * timeout for the first fetch of every environment; environments still loading answer 503, and
   * liveness answers meanwhile. A fatal JVM error (an {@link OutOfMemoryError}) in the server's
   * threads is logged and left to the application: only the standalone server ({@link Main}) ends
   * the process on one.
   *
   * @param config the configuration
   * @return the running server
   * @throws IOException if the port cannot be bound
   * @throws IllegalArgumentException if an environment file cannot be read or is not a valid
   *     document
   */
  public static EdgeServer start(ServerConfig config) throws IOException {
    return start(config, FatalErrors.EMBEDDED);
  }

  /**
   * Starts serving with a policy for fatal JVM errors: the standalone server ends the process on
   * one ({@link FatalErrors#PROCESS}); an embedded server never does.
   */
  static EdgeServer start(ServerConfig config, FatalErrors fatalErrors) throws IOException {
    Objects.requireNonNull(config, "config");
    Clock clock = Clock.systemDefaultZone();
    Set<String> upstreamKeys = new HashSet<>();
    Metrics metrics = new Metrics(clock);
    Telemetry telemetry = Telemetry.create(config.openTelemetry());
    ResponseCache responses =
        ResponseCache.ofBytes(config.responseCacheBytes().orElseGet(ResponseCache::defaultBudget));
    Streams streams = new Streams(config.streamMaxAge());
    DocumentCompression documents = new DocumentCompression();
    ServedEnvironments served = new ServedEnvironments(responses, streams, documents);
    Diagnostics diagnostics =
        new Diagnostics(config.pollInterval(), config.environmentUpdateGrace(), clock);
    EnvironmentSync sync;
    try {
      sync = syncFor(config, upstreamKeys, telemetry, metrics, served, diagnostics);
    } catch (RuntimeException e) {
      streams.close();
      telemetry.close();
      throw e;
    }
    diagnostics.attach(sync);
    Set<String> configured = Set.copyOf(sync.clientKeys()); // before any proxy inventory is read
    Environments environments = new Environments(sync, served);
    metrics.watch(sync);
    metrics.watchInventory(sync);
    metrics.watch(responses);
    telemetry.export(metrics);

    Analytics analytics =
        new Analytics(
            config.apiUrl(),
            upstreamKeys,
            ANALYTICS_INTERVAL,
            config.pollTimeout(),
            telemetry.upstream());
    Reloads reloads = new Reloads(metrics);
    Health health =
        new Health(
            sync, configured, key -> served.get(key).isPresent(), diagnostics, reloads, clock);
    QueueChangeRoute queueChange =
        new QueueChangeRoute(sync, config.sseAuthenticationToken(), telemetry);
    Usage usage =
        config
            .proxyKey()
            .map(
                key ->
                    new Usage(
                        config.apiUrl(),
                        key,
                        config.usageFlushInterval(),
                        config.pollTimeout(),
                        telemetry.upstream()))
            .orElse(Usage.OFF);
    OfrepRoute ofrep = new OfrepRoute(environments, metrics, config.proxyHeaders());
    AccessLog accessLog = new AccessLog(config.accessLog(), config.proxyHeaders());
    Router router =
        routes(
                new Router(
                    new Cors(config.allowOrigins()),
                    metrics,
                    accessLog,
                    fatalErrors,
                    usage,
                    telemetry),
                environments,
                metrics,
                analytics,
                health)
            .routeMatching(
                StreamRoute::matches,
                "/sse/environments/{client_key}/stream",
                "stream",
                Set.of("GET"),
                new StreamRoute(environments, streams, EventStream.Format.FLAGSMITH))
            .routeMatching(
                StreamRoute::matchesOfrep,
                OfrepRoute.EVENTS_PREFIX + "{client_key}",
                "ofrep-stream",
                Set.of("GET"),
                new StreamRoute(environments, streams, EventStream.Format.OFREP))
            .route(OfrepRoute.FLAGS, "ofrep-bulk", ANY_METHOD, ofrep)
            .routeMatching(
                OfrepRoute::matchesFlag,
                OfrepRoute.FLAGS + "/{key}",
                "ofrep-flag",
                ANY_METHOD,
                ofrep)
            .routeMatching(
                QueueChangeRoute::matches,
                "/sse/environments/{client_key}/queue-change",
                "queue-change",
                Set.of("POST"),
                queueChange);
    Server server =
        JettyServer.create(config.host(), config.port(), config.keepAlive(), router, fatalErrors);
    try {
      JettyServer.start(server);
    } catch (IOException e) {
      queueChange.close();
      streams.close();
      usage.close();
      analytics.close();
      sync.close();
      telemetry.close();
      throw e;
    }
    // The port is open before the first documents load (snapshots and files included): liveness
    // answers at once, readiness says 503 and the SDK endpoints 503 per environment until loaded,
    // so an orchestrator never restarts a pod that is still starting.
    sync.start();
    sync.awaitFirstSync(config.pollTimeout());
    InetSocketAddress address = new InetSocketAddress(config.host(), JettyServer.port(server));
    Thread compactor = StartupCompaction.start(sync, documents);
    logger.log(
        System.Logger.Level.INFO,
        "serving {0} environment(s){1} on {2}; {3} selector threads run the routes; identity"
            + " response cache: {4}",
        sync.clientKeys().size(),
        config.proxyKey().isPresent() ? " (and those of the proxy inventory)" : "",
        address,
        JettyServer.selectors(),
        responses.maxBytes() == 0 ? "off" : (responses.maxBytes() >> 10) + " KiB");
    return new EdgeServer(
        config,
        server,
        address,
        sync,
        analytics,
        usage,
        streams,
        queueChange,
        compactor,
        new Live(router, accessLog, reloads, responses, diagnostics, ofrep),
        telemetry);
  }

  private static Router routes(
      Router router,
      Environments environments,
      Metrics metrics,
      Analytics analytics,
      Health health) {
    Set<String> get = Set.of("GET");
    Route healthRoute =
        call -> {
          Health.ApiAnswer answer = health.check();
          call.respond(answer.status(), answer.body());
        };
    Route readinessRoute =
        call -> {
          Health.ApiAnswer answer = health.readiness();
          call.respond(answer.status(), answer.body());
        };
    Body empty = Body.json(new byte[0]);
    return router
        .route("/api/v1/flags/", "flags", get, new FlagsRoute(environments, metrics))
        .route(
            "/api/v1/identities/",
            "identities",
            Set.of("GET", "POST"),
            new IdentitiesRoute(environments, metrics))
        .route(
            "/api/v1/environment-document/",
            "environment-document",
            get,
            new EnvironmentDocumentRoute(environments))
        .route(
            "/api/v1/analytics/flags/",
            "analytics",
            Set.of("POST"),
            new AnalyticsRoute(environments, analytics))
        .route("/proxy/health", "health", get, healthRoute)
        .route("/proxy/health/readiness", "readiness", get, readinessRoute)
        .route("/health", "health", get, healthRoute)
        .route("/proxy/health/liveness", "liveness", get, call -> call.respond(200, empty))
        .route("/metrics", "metrics", get, call -> call.respond(200, metrics.scrape()));
  }

  /**
   * The sync's settings that a running sync can change too ({@link EnvironmentSync#reconfigure}):
   * set here alone, for the start and for every reload.
   */
  private static EnvironmentSync.Builder upstreamSettings(ServerConfig config) {
    EnvironmentSync.Builder builder =
        EnvironmentSync.builder()
            .apiUrl(config.apiUrl())
            .pollInterval(config.pollInterval())
            .requestTimeout(config.pollTimeout());
    config.realtimeUpstreamUrl().ifPresent(builder::realtimeUrl);
    config.proxyKey().ifPresent(builder::proxyKey);
    return builder;
  }

  private static EnvironmentSync syncFor(
      ServerConfig config,
      Set<String> upstreamKeys,
      Telemetry telemetry,
      SyncListener... listeners) {
    EnvironmentSync.Builder builder =
        upstreamSettings(config).upstreamObserver(telemetry.upstream());
    for (SyncListener listener : listeners) {
      builder.listener(listener);
    }
    config.snapshotDirectory().ifPresent(builder::snapshotDirectory);
    for (ServerConfig.KeyPair pair : config.environments()) {
      builder.environment(pair.serverKey(), pair.clientKey());
      upstreamKeys.add(pair.clientKey());
    }
    for (String clientKey : config.legacyEnvironments()) {
      builder.legacyEnvironment(clientKey, config.legacyApiToken().orElseThrow());
      upstreamKeys.add(clientKey);
    }
    for (ServerConfig.OfflineFile file : config.environmentFiles()) {
      try {
        if (file.serverKey().isPresent()) {
          builder.offlineEnvironmentWithServerKey(file.path(), file.serverKey().get());
        } else {
          builder.offlineEnvironment(file.path());
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("environment_files: " + e.getMessage(), e);
      }
    }
    return builder.build();
  }

  /**
   * Applies a changed configuration without a restart: the environments of {@code
   * environment_key_pairs} (added ones fetched, removed ones answering 401 and their streams ended,
   * a new server key used from the next fetch) and every other setting {@link Settings} marks live:
   * CORS, the access log and proxy headers, the API URL and timeout, the poll interval, the
   * realtime service, the response cache's budget, the health grace period, the streams' maximum
   * age, the queue-change token and the usage interval; logging levels are the process's (see
   * {@link Main}). The settings that apply only at the next start ({@link Settings#restartOnly()})
   * and differ from those the server started with are returned, by path, and shown by {@code
   * /proxy/health} until they are back or the server restarts.
   *
   * @param next the new configuration
   * @return the settings that differ from the started configuration and need a restart
   * @throws IllegalArgumentException if the new environments cannot be served (the running ones
   *     stay)
   */
  List<String> reconfigure(ServerConfig next) {
    synchronized (live) {
      ServerConfig before = config;
      if (!next.environments().equals(before.environments())) {
        Map<String, String> pairs = new LinkedHashMap<>();
        next.environments().forEach(pair -> pairs.put(pair.serverKey(), pair.clientKey()));
        sync.updateEnvironments(pairs);
      }
      if (!next.allowOrigins().equals(before.allowOrigins())) {
        live.router().cors(new Cors(next.allowOrigins()));
      }
      live.accessLog().enabled(next.accessLog());
      live.accessLog().proxyHeaders(next.proxyHeaders());
      live.ofrep().proxyHeaders(next.proxyHeaders());
      if (!next.responseCacheBytes().equals(before.responseCacheBytes())) {
        live.responses().resize(next.responseCacheBytes().orElseGet(ResponseCache::defaultBudget));
      }
      if (!next.apiUrl().equals(before.apiUrl())
          || !next.pollTimeout().equals(before.pollTimeout())) {
        analytics.upstream(next.apiUrl(), next.pollTimeout());
        usage.upstream(next.apiUrl(), next.pollTimeout());
      }
      sync.reconfigure(upstreamSettings(next));
      next.proxyKey().ifPresent(usage::proxyKey);
      usage.flushInterval(next.usageFlushInterval());
      live.diagnostics().staleness(next.pollInterval(), next.environmentUpdateGrace());
      streams.maxAge(next.streamMaxAge());
      queueChange.token(next.sseAuthenticationToken());
      config = next;
      // Against the start, not the last reload: a setting changed and changed back needs nothing.
      List<String> awaiting =
          Settings.restartOnly().stream()
              .filter(s -> !Objects.equals(s.value().apply(started), s.value().apply(next)))
              .map(Setting::path)
              .toList();
      live.reloads().awaitingRestart(awaiting);
      return awaiting;
    }
  }

  /** Where configuration reloads report, for health and metrics. */
  Reloads reloads() {
    return live.reloads();
  }

  /** The configuration in effect. */
  ServerConfig config() {
    return config;
  }

  /** The document sync, for tests that drive fetches themselves. */
  EnvironmentSync sync() {
    return sync;
  }

  /** The bound address (useful with port 0). */
  public InetSocketAddress address() {
    return address;
  }

  /** The bound port. */
  public int port() {
    return address.getPort();
  }

  /** Stops accepting, lets requests in flight finish (up to a second), then stops syncing. */
  @Override
  public void close() {
    compactor.interrupt();
    streams.close();
    JettyServer.stopQuietly(server);
    queueChange.close();
    usage.close();
    analytics.close();
    sync.close();
    telemetry.close(); // last: the spans of the final usage report and fetches are exported
  }
}
