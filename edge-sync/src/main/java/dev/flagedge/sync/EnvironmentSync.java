package dev.flagedge.sync;

import dev.flagedge.sync.internal.Keys;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Keeps the documents of one or more Flagsmith environments fresh and serves them lock-free.
 *
 * <p>Each environment is polled from the Flagsmith API (or a v1 endpoint), or read from a local
 * file, every {@linkplain Builder#pollInterval(Duration) poll interval}; failures back off
 * exponentially with jitter, and environments never affect each other. Only a document that
 * compiles replaces the one being served, so a failing upstream never takes flags away: {@link
 * #current(String)} keeps returning the last good document. With a {@linkplain
 * Builder#snapshotDirectory(Path) snapshot directory}, every new document is persisted and served
 * again on the next start before the upstream answers.
 *
 * <p>Thread-safe. Create with {@link #builder()}, then {@link #start()}; {@link #close()} stops
 * every thread this instance started.
 */
public final class EnvironmentSync implements AutoCloseable {
  /** The Flagsmith Edge API, the default {@linkplain Builder#apiUrl(URI) API URL}. */
  public static final URI DEFAULT_API_URL = URI.create("https://edge.api.flagsmith.com/api/v1");

  /** The default {@linkplain Builder#pollInterval(Duration) poll interval}: 10 seconds. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);

  /** The default {@linkplain Builder#requestTimeout(Duration) deadline of one fetch}: 5 seconds. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private final Sources upstream;
  private final SlotSet slots;
  private final Poller poller;
  private final Backoff backoff;
  private final boolean watchOfflineFiles;
  private final InstantSource clock;
  private final InventoryReader inventory; // null without a proxy key
  private final Object lifecycle = new Object();
  private boolean started; // guarded by lifecycle
  private volatile boolean closed;

  private EnvironmentSync(Builder builder) {
    this.upstream =
        new Sources(
            builder.apiUrl, builder.proxyKey, builder.requestTimeout, builder.upstreamObserver);
    this.backoff = new Backoff(builder.pollInterval, builder.maxBackoff, builder.jitter);
    this.poller =
        new Poller(builder.scheduler, builder.maxConcurrentFetches, backoff, builder.clock);
    this.watchOfflineFiles = builder.watchOfflineFiles;
    this.clock = builder.clock;
    this.inventory =
        builder.proxyKey == null
            ? null
            : new InventoryReader(upstream.inventory(), clock, this::reconcile);
    this.slots =
        new SlotSet(
            builder.environments.values(),
            upstream,
            builder.snapshotDirectory == null ? null : new SnapshotStore(builder.snapshotDirectory),
            builder.listeners,
            clock,
            poller,
            builder.realtimeUrl);
  }

  /**
   * Starts configuring an instance.
   *
   * @return a builder with every setting at its default
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Loads snapshots, offline files and supplied documents synchronously (in parallel, one thread
   * per core), then starts polling: every upstream environment is fetched at once (in the
   * background), watched offline files are re-checked every poll interval. Returns without waiting
   * for the upstream; see {@link #awaitFirstSync(Duration)}. Calling it again has no effect.
   *
   * @throws IllegalStateException if this instance is closed
   */
  public void start() {
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("environment sync is closed");
      }
      if (started) {
        return;
      }
      started = true;
      slots.start(watchOfflineFiles, backoff);
      if (inventory != null) {
        poller.repeat(inventory::read, backoff::pollInterval);
      }
    }
  }

  /** Reads the proxy's inventory once and serves what it gives (tests call it directly). */
  void readInventory() {
    inventory.read();
  }

  /** Applies an inventory, unless closed; returns how many environments it gives. */
  private int reconcile(List<ProxyInventory.Entry> entries, Instant now) {
    SlotSet.Change change;
    synchronized (lifecycle) {
      change = closed ? SlotSet.Change.NONE : slots.reconcile(entries, now);
    }
    slots.apply(change);
    return change.given();
  }

  /**
   * Serves exactly these environments from {@code {api_url}/environment-document/} from now on, as
   * a changed configuration lists them (server key → client key): new ones are added and fetched at
   * once, after their snapshots; ones no longer listed are removed ({@link SyncListener#onRemoved};
   * their snapshots are left alone); a client key listed with another server key uses it from its
   * next fetch. Environments read from files, legacy and supplied ones, and a proxy inventory's are
   * not affected.
   *
   * @param clientKeysByServerKey the environments, in order
   * @throws IllegalArgumentException if a key is malformed, a key is listed twice, or a client key
   *     is that of an environment of another kind
   * @throws IllegalStateException if this instance is not started or is closed
   */
  public void updateEnvironments(Map<String, String> clientKeysByServerKey) {
    Map<String, String> serverKeyOf = Settings.serverKeyByClientKey(clientKeysByServerKey);
    SlotSet.Change change;
    synchronized (lifecycle) {
      if (closed || !started) {
        throw new IllegalStateException("environment sync is not running");
      }
      change = slots.configure(serverKeyOf);
    }
    slots.apply(change);
  }

  /**
   * Applies what a running sync can change: the builder's API URL, request timeout, poll interval,
   * realtime URL (none: streams stop) and proxy key (only rotated: never added or removed) replace
   * the running ones; its other settings are ignored. Calls in flight finish as they began; the
   * next polls come at most the new interval from now.
   *
   * @param settings a builder holding the new values, each already validated by its setter
   */
  public void reconfigure(Builder settings) {
    synchronized (lifecycle) {
      if (!closed) {
        upstream.change(settings.apiUrl, settings.requestTimeout, settings.proxyKey);
        backoff.pollInterval(settings.pollInterval);
        poller.dueWithin(settings.pollInterval);
        slots.realtime(settings.realtimeUrl);
      }
    }
  }

  /**
   * Waits until every environment has a document (from the upstream, a snapshot or a file); with a
   * proxy key, first until the inventory has been read once (or failed), then for the environments
   * it gave.
   *
   * @param timeout how long to wait at most
   * @return whether every environment has a document; false on timeout or interruption
   */
  public boolean awaitFirstSync(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    // The environments to wait for are known once the inventory has been read.
    return slots.awaitFirstDocuments(
        inventory == null ? CompletableFuture.completedFuture(null) : inventory.firstRead(),
        timeout);
  }

  /**
   * The document being served for an environment.
   *
   * @param clientKey the environment's client-side key
   * @return the document; empty for an unknown key or before the first document arrived
   */
  public Optional<LoadedEnvironment> current(String clientKey) {
    return Optional.ofNullable(slots.all().get(Objects.requireNonNull(clientKey, "clientKey")))
        .flatMap(EnvironmentSlot::current);
  }

  /**
   * The client-side key a server-side key opens: one configured with {@link Builder#environment} or
   * {@link Builder#offlineEnvironmentWithServerKey(Path, String)}, or one a proxy's inventory gives
   * that is active and not expired at this moment. Found by digest and compared in constant time.
   *
   * @param serverKey a server-side key
   * @return its client-side key; empty when the server key opens nothing now
   */
  public Optional<String> clientKeyOf(String serverKey) {
    Objects.requireNonNull(serverKey, "serverKey");
    return slots.clientKeyOf(serverKey, clock.instant());
  }

  /**
   * The state of the proxy's inventory.
   *
   * @return the state; empty without a {@linkplain Builder#proxyKey(String) proxy key}
   */
  public Optional<InventoryStatus> inventoryStatus() {
    return inventory == null ? Optional.empty() : Optional.of(inventory.status());
  }

  /**
   * The client-side keys of every environment served: the configured ones in configuration order,
   * then those of the proxy's inventory.
   *
   * @return the keys at this moment; immutable
   */
  public Set<String> clientKeys() {
    return slots.all().keySet();
  }

  /**
   * The sync status of one environment.
   *
   * @param clientKey the environment's client-side key
   * @return the current status
   * @throws IllegalArgumentException if no environment has this key
   */
  public SyncStatus status(String clientKey) {
    return slots.slot(clientKey).status();
  }

  /**
   * The sync status of every environment.
   *
   * @return the statuses, in configuration order; immutable
   */
  public List<SyncStatus> statuses() {
    return slots.all().values().stream().map(EnvironmentSlot::status).toList();
  }

  /**
   * Fetches (or re-reads) one environment's document now, on the calling thread, within the
   * concurrency bound. Failures are recorded in the {@linkplain #status(String) status} and
   * reported to listeners, never thrown, except a fatal JVM error such as {@link OutOfMemoryError},
   * which is recorded and rethrown. Does nothing once closed.
   *
   * @param clientKey the environment's client-side key
   * @throws IllegalArgumentException if no environment has this key
   */
  public void refresh(String clientKey) {
    EnvironmentSlot slot = slots.slot(clientKey);
    if (!closed) {
      poller.runNow(slot);
    }
  }

  /**
   * Stops polling: cancels scheduled polls and in-flight requests, and stops the threads this
   * instance created (an injected scheduler is left running). Returns within about two seconds.
   * Documents stay readable. Calling it again has no effect.
   */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
    }
    slots.close();
    if (inventory != null) {
      inventory.firstRead().complete(null);
    }
    poller.close();
    upstream.http().connectionPool().evictAll();
  }

  /**
   * Configures an {@link EnvironmentSync}. Every setter validates its argument at once and throws
   * {@link IllegalArgumentException} naming the setting and the value (keys masked); {@link
   * #build()} checks the whole. Not thread-safe.
   */
  public static final class Builder {
    private static final Duration MAX_DURATION = Duration.ofDays(1);

    private URI apiUrl = DEFAULT_API_URL;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration maxBackoff = Duration.ofMinutes(5);
    private int maxConcurrentFetches = 4;
    private final Map<String, EnvironmentSpec> environments = new LinkedHashMap<>();
    private boolean watchOfflineFiles = true;
    private Path snapshotDirectory; // null: no snapshots
    private final List<SyncListener> listeners = new ArrayList<>();
    private InstantSource clock = InstantSource.system();
    private UpstreamObserver upstreamObserver = UpstreamObserver.NONE;
    private ScheduledExecutorService scheduler; // null: own daemon threads
    private DoubleSupplier jitter = () -> ThreadLocalRandom.current().nextDouble();
    private String proxyKey; // null: no inventory
    private URI realtimeUrl; // null: polling only

    private Builder() {}

    /**
     * Also follows a realtime stream per upstream environment ({@code {url}sse/environments/{client
     * key}/stream}: Flagsmith's realtime service, {@code https://realtime.flagsmith.com/}, or
     * another FlagEdge) and fetches a document as soon as an event announces a newer {@code
     * updated_at}; polling goes on as the fallback. Off by default.
     *
     * @param url the realtime service's base URL
     * @return this builder
     * @throws IllegalArgumentException if it is not an absolute http(s) URL without query or
     *     fragment
     */
    public Builder realtimeUrl(URI url) {
      URI checked = Settings.httpUrl("realtimeUrl", url);
      this.realtimeUrl = URI.create(checked + "/");
      return this;
    }

    /**
     * Learns environments from the Flagsmith API instead of (or besides) configuring them: every
     * poll interval, {@code GET {apiUrl}/proxy/config/} with {@code X-Proxy-Key} gives the
     * environments and their server keys; new ones are added, missing ones removed, rotated keys
     * followed. Every document fetch then carries the proxy key too. Configured environments are
     * never removed or replaced by the inventory.
     *
     * @param proxyKey the proxy key
     * @return this builder
     * @throws IllegalArgumentException if the key is empty or not printable ASCII without spaces
     */
    public Builder proxyKey(String proxyKey) {
      this.proxyKey = Settings.proxyKey(proxyKey);
      return this;
    }

    /**
     * The Flagsmith API base URL; trailing slashes are removed. Default {@code
     * https://edge.api.flagsmith.com/api/v1}.
     *
     * @param apiUrl an absolute http or https URL without query or fragment
     * @return this builder
     * @throws IllegalArgumentException if the URL is not such a URL
     */
    public Builder apiUrl(URI apiUrl) {
      this.apiUrl = Settings.apiUrl(apiUrl);
      return this;
    }

    /**
     * How often each environment is polled (and watched files re-checked). Default 10 seconds.
     *
     * @param pollInterval positive, at most one day
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = Settings.duration("pollInterval", pollInterval, MAX_DURATION);
      return this;
    }

    /**
     * The deadline for one whole fetch, redirects and pages included. Default 5 seconds.
     *
     * @param requestTimeout positive, at most one day
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = Settings.duration("requestTimeout", requestTimeout, MAX_DURATION);
      return this;
    }

    /**
     * The longest delay between polls while failing; the poll interval wins when it is longer.
     * Default 5 minutes.
     *
     * @param maxBackoff positive, at most one day
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = Settings.duration("maxBackoff", maxBackoff, MAX_DURATION);
      return this;
    }

    /**
     * How many fetches may run at once, across all environments. Default 4.
     *
     * @param maxConcurrentFetches between 1 and 64
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxConcurrentFetches(int maxConcurrentFetches) {
      this.maxConcurrentFetches =
          Settings.range("maxConcurrentFetches", maxConcurrentFetches, 1, 64);
      return this;
    }

    /**
     * Adds an environment polled from {@code {apiUrl}/environment-document/} with header {@code
     * X-Environment-Key: <serverKey>}.
     *
     * @param serverKey the server-side key, starting with {@code ser.}
     * @param clientKey the environment's client-side key, under which it is served
     * @return this builder
     * @throws IllegalArgumentException if a key is malformed or already configured
     */
    public Builder environment(String serverKey, String clientKey) {
      Settings.serverKey(serverKey);
      Settings.clientKey(clientKey);
      Settings.newServerKey(environments.values(), serverKey);
      return add(new EnvironmentSpec.Upstream(serverKey, clientKey));
    }

    /**
     * Adds an environment polled from the v1 Edge Proxy's endpoint {@code
     * {apiUrl}/environments/{clientKey}/document/} with {@code Authorization: Token <token>}.
     *
     * @param clientKey the environment's client-side key
     * @param apiToken an API token allowed to read the environment
     * @return this builder
     * @throws IllegalArgumentException if an argument is malformed or the key already configured
     */
    public Builder legacyEnvironment(String clientKey, String apiToken) {
      Settings.clientKey(clientKey);
      Settings.token(apiToken);
      return add(new EnvironmentSpec.Legacy(clientKey, apiToken));
    }

    /**
     * Adds an environment read from a local document file, served under the document's {@code
     * api_key}; the file is read now to learn that key.
     *
     * @param documentFile an environment document
     * @return this builder
     * @throws IllegalArgumentException if the file cannot be read or is not a valid document, or
     *     its key is already configured
     */
    public Builder offlineEnvironment(Path documentFile) {
      return offlineEnvironment(documentFile, Settings.documentKey(documentFile));
    }

    /**
     * Adds an environment read from a local document file, served under the given client key. The
     * file is first read on {@link EnvironmentSync#start()}.
     *
     * @param documentFile an environment document
     * @param clientKey the key to serve it under
     * @return this builder
     * @throws IllegalArgumentException if the key is malformed or already configured
     */
    public Builder offlineEnvironment(Path documentFile, String clientKey) {
      Objects.requireNonNull(documentFile, "documentFile");
      Settings.clientKey(clientKey);
      return add(new EnvironmentSpec.Offline(documentFile, clientKey, null));
    }

    /**
     * Adds an environment read from a local document file, served under the document's {@code
     * api_key} and opened by the given server key too ({@link
     * EnvironmentSync#clientKeyOf(String)}); the file is read now to learn that key.
     *
     * @param documentFile an environment document
     * @param serverKey a server-side key ({@code ser.…}) that opens it
     * @return this builder
     * @throws IllegalArgumentException if the file cannot be read or is not a valid document, or a
     *     key is malformed or already configured
     */
    public Builder offlineEnvironmentWithServerKey(Path documentFile, String serverKey) {
      Settings.serverKey(serverKey);
      Settings.newServerKey(environments.values(), serverKey);
      String clientKey = Settings.documentKey(documentFile);
      return add(new EnvironmentSpec.Offline(documentFile, clientKey, serverKey));
    }

    /**
     * Adds an environment whose document the application supplies, served under the given client
     * key: read at {@link EnvironmentSync#start()} and on every {@link EnvironmentSync#refresh}.
     */
    Builder suppliedEnvironment(Supplier<byte[]> supplier, String clientKey) {
      Objects.requireNonNull(supplier, "supplier");
      Settings.clientKey(clientKey);
      return add(new EnvironmentSpec.Supplied(supplier, clientKey));
    }

    private Builder add(EnvironmentSpec spec) {
      if (environments.containsKey(spec.clientKey())) {
        throw new IllegalArgumentException(
            "clientKey already configured: " + Keys.mask(spec.clientKey()));
      }
      environments.put(spec.clientKey(), spec);
      return this;
    }

    /**
     * Whether offline document files are re-read when their modification time or size changes,
     * checked every poll interval (without backoff: a fixed file is picked up at the next check).
     * Default true.
     *
     * @param watch whether to watch
     * @return this builder
     */
    public Builder watchOfflineFiles(boolean watch) {
      this.watchOfflineFiles = watch;
      return this;
    }

    /**
     * Where to persist the last good document of each polled environment; created when missing.
     * Default: no snapshots.
     *
     * @param directory a directory
     * @return this builder
     */
    public Builder snapshotDirectory(Path directory) {
      this.snapshotDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * Adds a listener; may be called several times. Listeners are called in the order added.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(SyncListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Observes every HTTP call to the upstream (for tracing: a client span per call, its context
     * sent upstream in the headers the observer adds). Default {@link UpstreamObserver#NONE}.
     *
     * @param observer the observer
     * @return this builder
     */
    public Builder upstreamObserver(UpstreamObserver observer) {
      this.upstreamObserver = Objects.requireNonNull(observer, "observer");
      return this;
    }

    /**
     * The clock for status times and for scheduling decisions (a poll is due a delay after the
     * start of the previous one; an ended realtime stream is reopened a second after it opened, at
     * the earliest). Default {@link InstantSource#system()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Schedules polls on the given executor, which the instance neither owns nor shuts down.
     * Default: own daemon threads named {@code edge-sync-…}, stopped by {@link
     * EnvironmentSync#close()}.
     *
     * @param scheduler the executor
     * @return this builder
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Jitter source for tests: uniform values in {@code [0, 1)}. */
    Builder jitter(DoubleSupplier jitter) {
      this.jitter = Objects.requireNonNull(jitter, "jitter");
      return this;
    }

    /**
     * Creates the instance; nothing runs until {@link EnvironmentSync#start()}.
     *
     * @return a new, unstarted instance
     * @throws IllegalStateException if no environment is configured
     */
    public EnvironmentSync build() {
      if (environments.isEmpty() && proxyKey == null) {
        throw new IllegalStateException("no environment configured, and no proxy key");
      }
      return new EnvironmentSync(this);
    }
  }
}
