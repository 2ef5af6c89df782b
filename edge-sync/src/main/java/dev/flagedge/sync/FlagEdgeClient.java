package dev.flagedge.sync;

import dev.flagedge.engine.Environment;
import dev.flagedge.sync.internal.Keys;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Flagsmith flags evaluated in-process: one environment, kept fresh in the background from the
 * Flagsmith API (or read from a local document file), evaluated locally with zero network hops.
 *
 * <pre>{@code
 * try (FlagEdgeClient flags = FlagEdgeClient.builder().serverKey("ser.…").build()) {
 *   if (flags.isEnabled("new_checkout")) { … }
 *   String banner = flags.identityFlags("user-42", Map.of("plan", "pro")).value("banner", "");
 * }
 * }</pre>
 *
 * <p>Thread-safe. Until the first document arrives every flag is absent: lookups return empty
 * {@link Flags}, {@code false} and defaults rather than failing.
 *
 * <p><b>Listeners.</b> {@link #addListener(SyncListener)} subscribes to the client's sync events at
 * any time; a listener added after a document was loaded is first told that document (and a failure
 * streak in progress), so it never misses the current state. Each listener hears the events in
 * order and exactly once.
 */
public final class FlagEdgeClient implements AutoCloseable {
  private static final System.Logger logger = System.getLogger(FlagEdgeClient.class.getName());

  private final EnvironmentSync sync;
  private final String key;
  private final ClientListeners listeners;
  private volatile CachedFlags cached;

  private FlagEdgeClient(EnvironmentSync sync, String key, ClientListeners listeners) {
    this.sync = sync;
    this.key = key;
    this.listeners = listeners;
  }

  /**
   * Starts configuring a client.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The environment's flags, from the current document (evaluated when it was loaded).
   *
   * @return the flags; empty before the first document arrived
   */
  public Flags environmentFlags() {
    Optional<LoadedEnvironment> current = sync.current(key);
    if (current.isEmpty()) {
      return Flags.empty();
    }
    Environment environment = current.get().environment();
    CachedFlags last = cached;
    if (last == null || last.environment() != environment) {
      last = new CachedFlags(environment, Flags.of(environment.environmentFlags()));
      cached = last;
    }
    return last.flags();
  }

  /**
   * The flags of an identity, evaluated now against the current document, with its segment and
   * identity overrides.
   *
   * @param identifier the identity's identifier
   * @param traits trait values: {@link String}, {@link Boolean}, {@link Number} or null (not set)
   * @return the flags; empty before the first document arrived
   */
  public Flags identityFlags(String identifier, Map<String, ?> traits) {
    Objects.requireNonNull(identifier, "identifier");
    Objects.requireNonNull(traits, "traits");
    return sync.current(key)
        .map(loaded -> Flags.of(loaded.environment().identityFlags(identifier, traits)))
        .orElse(Flags.empty());
  }

  /**
   * Whether an environment flag is enabled.
   *
   * @param feature the feature name
   * @return the flag's {@code enabled}; false when the feature is absent or no document is loaded
   */
  public boolean isEnabled(String feature) {
    Objects.requireNonNull(feature, "feature");
    return sync.current(key)
        .flatMap(loaded -> loaded.environment().environmentFlag(feature))
        .map(flag -> flag.enabled())
        .orElse(false);
  }

  /**
   * The sync status. Its client key is the document's {@code api_key} once a document is loaded;
   * before that, for a client built with a server key, it is an opaque label derived from a hash of
   * that key.
   *
   * @return the current status
   */
  public SyncStatus status() {
    SyncStatus status = sync.status(key);
    Optional<String> apiKey = sync.current(key).map(loaded -> loaded.environment().apiKey());
    if (apiKey.isEmpty() || apiKey.get().equals(status.clientKey())) {
      return status;
    }
    return new SyncStatus(
        apiKey.get(),
        status.hasDocument(),
        status.lastAttempt(),
        status.lastSuccess(),
        status.lastChange(),
        status.lastError(),
        status.consecutiveFailures(),
        status.documentUpdatedAt(),
        status.snapshotError());
  }

  /**
   * Subscribes a listener to this client's sync events. When a document is loaded, the listener is
   * first told it with {@link SyncListener#onChange}, then, during a failure streak, that streak
   * with {@link SyncListener#onFailure}: on the calling thread, before this method returns. From
   * then on it hears every event, on the sync's thread (or the caller of {@link #refresh()}), in
   * order and never one older than what it has already heard. Adding a listener already added has
   * no effect. A listener may add or remove listeners while it is being called; it should not
   * block, as events of this client wait for it.
   *
   * @param listener the listener
   */
  public void addListener(SyncListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Unsubscribes a listener. Once this returns, the listener is not called again (unless added
   * again); when an event is being delivered on another thread, this waits for that delivery.
   *
   * @param listener the listener
   * @return whether it was subscribed
   */
  public boolean removeListener(SyncListener listener) {
    return listeners.remove(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Fetches (or re-reads, or takes from the {@linkplain Builder#documentSupplier supplier}) the
   * document now, on the calling thread, besides the background polling. When this returns, a
   * changed document is being served and the listeners have been told; a failure is reported to the
   * listeners and the {@linkplain #status() status}, never thrown. Does nothing once closed, or for
   * a {@linkplain Builder#proxyKey proxy-key} client whose environment the inventory does not give.
   */
  public void refresh() {
    if (sync.clientKeys().contains(key)) {
      try {
        sync.refresh(key);
      } catch (IllegalArgumentException e) {
        // The proxy's inventory removed the environment meanwhile: nothing to refresh.
      }
    }
  }

  /** The underlying sync, for tests. */
  EnvironmentSync sync() {
    return sync;
  }

  /** Stops background syncing; the last document stays readable. Idempotent. */
  @Override
  public void close() {
    sync.close();
  }

  private record CachedFlags(Environment environment, Flags flags) {}

  /**
   * Configures a {@link FlagEdgeClient}: one of {@link #serverKey(String)} (polled from the API),
   * {@link #proxyKey(String, String)} (learnt from a proxy's inventory), {@link
   * #documentFile(Path)} (offline) and {@link #documentSupplier(Supplier)} (given by the
   * application). Setters validate at once and throw {@link IllegalArgumentException} naming the
   * setting. Not thread-safe.
   */
  public static final class Builder {
    private final EnvironmentSync.Builder sync = EnvironmentSync.builder();
    private final List<SyncListener> listeners = new ArrayList<>();
    private String serverKey;
    private String proxyClientKey;
    private Path documentFile;
    private Supplier<byte[]> documentSupplier;
    private String documentKey;
    private Duration startupTimeout = Duration.ofSeconds(5);
    private boolean built;

    private Builder() {}

    /**
     * Polls the environment of this server-side key from the API.
     *
     * @param serverKey a server-side key, starting with {@code ser.}
     * @return this builder
     * @throws IllegalArgumentException if the key is malformed
     */
    public Builder serverKey(String serverKey) {
      Settings.serverKey(serverKey);
      this.serverKey = serverKey;
      return this;
    }

    /**
     * Opens an environment a proxy's inventory gives, by its client key: the environment and its
     * current server key are learnt from {@code GET {apiUrl}/proxy/config/} with the proxy key (see
     * {@link EnvironmentSync.Builder#proxyKey(String)}); rotated keys are followed.
     *
     * @param proxyKey the proxy key
     * @param clientKey the environment's client-side key
     * @return this builder
     * @throws IllegalArgumentException if a key is empty or not printable ASCII without spaces
     */
    public Builder proxyKey(String proxyKey, String clientKey) {
      sync.proxyKey(proxyKey);
      Settings.clientKey(clientKey);
      this.proxyClientKey = clientKey;
      return this;
    }

    /**
     * Also follows a realtime stream (Flagsmith's {@code https://realtime.flagsmith.com/}, or a
     * FlagEdge server) and fetches a new document as soon as it is announced, telling the listeners
     * at once; polling goes on as the fallback. See {@link
     * EnvironmentSync.Builder#realtimeUrl(URI)}.
     *
     * @param url the realtime service's base URL
     * @return this builder
     * @throws IllegalArgumentException if it is not an absolute http(s) URL
     */
    public Builder realtimeUrl(URI url) {
      sync.realtimeUrl(url);
      return this;
    }

    /**
     * The Flagsmith API base URL; see {@link EnvironmentSync.Builder#apiUrl(URI)}.
     *
     * @param apiUrl an absolute http or https URL without query or fragment
     * @return this builder
     * @throws IllegalArgumentException if the URL is not such a URL
     */
    public Builder apiUrl(URI apiUrl) {
      sync.apiUrl(apiUrl);
      return this;
    }

    /**
     * How often to poll; see {@link EnvironmentSync.Builder#pollInterval(Duration)}.
     *
     * @param pollInterval positive, at most one day
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder pollInterval(Duration pollInterval) {
      sync.pollInterval(pollInterval);
      return this;
    }

    /**
     * The deadline per fetch; see {@link EnvironmentSync.Builder#requestTimeout(Duration)}.
     *
     * @param requestTimeout positive, at most one day
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder requestTimeout(Duration requestTimeout) {
      sync.requestTimeout(requestTimeout);
      return this;
    }

    /**
     * Persists the last good document here and serves it at the next start until the API answers.
     *
     * @param directory a directory, created when missing
     * @return this builder
     */
    public Builder snapshotDirectory(Path directory) {
      sync.snapshotDirectory(directory);
      return this;
    }

    /**
     * Serves a local document file instead of polling the API, re-reading it when it changes.
     *
     * @param documentFile an environment document
     * @return this builder
     * @throws IllegalArgumentException if the file cannot be read or is not a valid document
     */
    public Builder documentFile(Path documentFile) {
      this.documentKey = Settings.documentKey(documentFile);
      this.documentFile = documentFile;
      return this;
    }

    /**
     * Serves the document the application supplies, without network or file: the supplier is called
     * now (to learn the document's {@code api_key}), when the client starts, and on every {@link
     * FlagEdgeClient#refresh()}, never in the background. A changed document replaces the served
     * one and is told to the listeners before {@code refresh()} returns; one that does not compile
     * is a {@link SyncFailure.Kind#INVALID_DOCUMENT} failure and the last good one keeps serving.
     * This is how tests drive a client (see the {@code edge-testing} module).
     *
     * @param documentSupplier gives the current document's JSON bytes; may return the same array
     *     again, which is copied
     * @return this builder
     * @throws IllegalArgumentException if the supplier gives no valid document now
     */
    public Builder documentSupplier(Supplier<byte[]> documentSupplier) {
      this.documentKey = Settings.suppliedKey(documentSupplier);
      this.documentSupplier = documentSupplier;
      return this;
    }

    /**
     * How long {@link #build()} waits for the first document. Default 5 seconds; zero does not
     * wait.
     *
     * @param startupTimeout zero or positive, at most one day
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder startupTimeout(Duration startupTimeout) {
      Objects.requireNonNull(startupTimeout, "startupTimeout");
      this.startupTimeout =
          startupTimeout.isZero()
              ? startupTimeout
              : Settings.duration("startupTimeout", startupTimeout, Duration.ofDays(1));
      return this;
    }

    /**
     * Adds a sync listener from the start, the first document included; see {@link SyncListener}
     * and {@link FlagEdgeClient#addListener(SyncListener)}. For a client built with a server key,
     * the listener's {@code clientKey} argument is the opaque label described at {@link
     * FlagEdgeClient#status()}.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(SyncListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Access to the underlying builder, for tests. */
    EnvironmentSync.Builder syncBuilder() {
      return sync;
    }

    /**
     * Creates the client, starts syncing and waits up to the startup timeout for the first
     * document. When none arrives in time the client still starts, with no flags until one does.
     *
     * @return a running client
     * @throws IllegalStateException unless exactly one of a server key, a proxy key, a document
     *     file and a document supplier is set, or if this builder already built a client
     */
    public FlagEdgeClient build() {
      int sources =
          (serverKey == null ? 0 : 1)
              + (documentFile == null ? 0 : 1)
              + (proxyClientKey == null ? 0 : 1)
              + (documentSupplier == null ? 0 : 1);
      if (sources != 1) {
        throw new IllegalStateException(
            "set exactly one of serverKey, proxyKey, documentFile and documentSupplier");
      }
      if (built) {
        throw new IllegalStateException("this builder already built a client");
      }
      built = true;
      String key =
          proxyClientKey != null
              ? proxyClientKey
              : serverKey == null
                  ? documentKey
                  : "env-"
                      + Keys.sha256Hex(serverKey.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
      if (serverKey != null) {
        sync.environment(serverKey, key);
      } else if (documentFile != null) {
        sync.offlineEnvironment(documentFile, key);
      } else if (documentSupplier != null) {
        sync.suppliedEnvironment(documentSupplier, key);
      }
      ClientListeners clientListeners = new ClientListeners(key);
      listeners.forEach(clientListeners::add);
      sync.listener(clientListeners);
      EnvironmentSync built = sync.build();
      built.start();
      if (!startupTimeout.isZero() && !built.awaitFirstSync(startupTimeout)) {
        logger.log(
            Level.WARNING,
            "no flags document within {0}; flags are empty until one arrives",
            startupTimeout);
      }
      return new FlagEdgeClient(built, key, clientListeners);
    }
  }
}
