package dev.flagedge.sync;

import dev.flagedge.sync.internal.Keys;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.HttpUrl;

/**
 * The environments served, by client key, and what changes them: a changed configuration ({@link
 * #configure}) and the proxy's inventory ({@link #reconcile}). Configured environments come first,
 * and the inventory never replaces or removes one.
 *
 * <p>The map is replaced as a whole, so readers take no lock. A change is computed under the
 * caller's lock (the sync's lifecycle, which knows whether it is still running); the slots it adds
 * and removes are started and stopped after that lock is released, by {@link #apply}, because
 * listeners and snapshot loads must not run under it.
 */
final class SlotSet {
  // The sync's logger, which operators filter on.
  private static final System.Logger logger = System.getLogger(EnvironmentSync.class.getName());

  /**
   * The slots one change adds and removes, why (for the log), and how many environments its source
   * gives.
   */
  record Change(
      List<EnvironmentSlot> added,
      String whyAdded,
      List<EnvironmentSlot> removed,
      String whyRemoved,
      int given) {
    static final Change NONE = new Change(List.of(), "", List.of(), "", 0);
  }

  private final Sources sources;
  private final SnapshotStore snapshots; // null without a snapshot directory
  private final List<SyncListener> listeners;
  private final InstantSource clock;
  private final Poller poller;
  private volatile RealtimeSubscriber realtime; // null without a realtime URL
  private volatile URI realtimeUrl; // null: none
  private volatile boolean started;
  private final Map<String, String> offlineServerKeys; // server key -> client key, files
  private final Set<String> collisionsLogged = ConcurrentHashMap.newKeySet();

  private volatile Map<String, EnvironmentSlot> slots;
  // Changed only by configure.
  private volatile Set<String> configuredKeys;
  private volatile ServerKeyIndex configuredServerKeys;
  private volatile Map<String, String> configuredServerKeyOf; // client key -> server key, upstream
  private volatile ServerKeyIndex discoveredKeys = ServerKeyIndex.NONE;

  SlotSet(
      Collection<EnvironmentSpec> specs,
      Sources sources,
      SnapshotStore snapshots,
      List<SyncListener> listeners,
      InstantSource clock,
      Poller poller,
      URI realtimeUrl) {
    this.sources = sources;
    this.snapshots = snapshots;
    this.listeners = List.copyOf(listeners);
    this.clock = clock;
    this.poller = poller;
    this.realtimeUrl = realtimeUrl;
    this.realtime = realtimeUrl == null ? null : subscriber(realtimeUrl);
    Map<String, EnvironmentSlot> byClientKey = new LinkedHashMap<>();
    Map<String, String> upstreamKeys = new LinkedHashMap<>(); // client key -> server key
    Map<String, String> fileKeys = new LinkedHashMap<>(); // server key -> client key
    for (EnvironmentSpec spec : specs) {
      byClientKey.put(spec.clientKey(), newSlot(spec.clientKey(), sources.of(spec)));
      if (spec instanceof EnvironmentSpec.Upstream upstream) {
        upstreamKeys.put(upstream.clientKey(), upstream.serverKey());
      } else if (spec instanceof EnvironmentSpec.Offline offline && offline.serverKey() != null) {
        fileKeys.put(offline.serverKey(), offline.clientKey());
      }
    }
    this.slots = Collections.unmodifiableMap(byClientKey);
    this.configuredKeys = Set.copyOf(byClientKey.keySet());
    this.offlineServerKeys = Map.copyOf(fileKeys);
    this.configuredServerKeyOf = Map.copyOf(upstreamKeys);
    this.configuredServerKeys = serverKeyIndex(upstreamKeys);
  }

  private RealtimeSubscriber subscriber(URI realtimeUrl) {
    return new RealtimeSubscriber(
        HttpUrl.get(realtimeUrl), sources.http(), poller.executor(), clock);
  }

  /**
   * Follows the streams of another realtime service from now on, or none (a reloaded {@code
   * realtime_upstream_url}): the old streams are closed, and once started every upstream
   * environment follows the new service. The same URL changes nothing. Call under the lifecycle
   * lock.
   */
  void realtime(URI realtimeUrl) {
    if (Objects.equals(realtimeUrl, this.realtimeUrl)) {
      return;
    }
    this.realtimeUrl = realtimeUrl;
    RealtimeSubscriber old = realtime;
    realtime = realtimeUrl == null ? null : subscriber(realtimeUrl);
    if (old != null) {
      old.close();
    }
    if (started) {
      slots.values().forEach(this::follow);
    }
  }

  private EnvironmentSlot newSlot(String clientKey, DocumentSource source) {
    return new EnvironmentSlot(clientKey, source, snapshots, listeners, clock);
  }

  /** The configured server keys: the files' and these upstream ones (client key -> server key). */
  private ServerKeyIndex serverKeyIndex(Map<String, String> upstreamKeys) {
    Map<String, String> clientKeyByServerKey = new LinkedHashMap<>(offlineServerKeys);
    upstreamKeys.forEach((clientKey, serverKey) -> clientKeyByServerKey.put(serverKey, clientKey));
    return ServerKeyIndex.ofConfigured(clientKeyByServerKey);
  }

  /**
   * Loads snapshots, files and supplied documents (in parallel), then schedules every fetch at
   * once, each watched file's next check, and the realtime streams. Call once, under the lifecycle
   * lock.
   */
  void start(boolean watchOfflineFiles, Backoff backoff) {
    Map<String, EnvironmentSlot> all = slots;
    List<Runnable> localLoads = new ArrayList<>(all.size());
    for (EnvironmentSlot slot : all.values()) {
      localLoads.add(isLocal(slot) ? () -> poller.runNow(slot) : slot::loadSnapshot);
    }
    StartupLoads.run(localLoads);
    for (EnvironmentSlot slot : all.values()) {
      if (!isLocal(slot)) {
        poller.schedule(slot, Duration.ZERO);
      } else if (watchOfflineFiles && slot.source() instanceof OfflineFileSource) {
        poller.schedule(slot, backoff.delay(0));
      }
    }
    started = true;
    all.values().forEach(this::follow);
  }

  /** Whether the document is read locally (a file or a supplier), not fetched. */
  private static boolean isLocal(EnvironmentSlot slot) {
    return slot.source() instanceof OfflineFileSource || slot.source() instanceof SuppliedSource;
  }

  /**
   * Waits up to the timeout for {@code before} (the inventory's first read), then for every slot's
   * first document; false on timeout or interruption.
   */
  boolean awaitFirstDocuments(CompletableFuture<?> before, Duration timeout) {
    try {
      before
          .thenCompose(ignored -> firstDocuments())
          .get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (TimeoutException | ExecutionException e) {
      return false;
    }
  }

  /** Completes when every slot served now has its first document. */
  CompletableFuture<Void> firstDocuments() {
    return CompletableFuture.allOf(
        slots.values().stream()
            .map(EnvironmentSlot::firstDocument)
            .toArray(CompletableFuture<?>[]::new));
  }

  /** Every slot, configured ones first, then the inventory's; immutable. */
  Map<String, EnvironmentSlot> all() {
    return slots;
  }

  /**
   * The slot of an environment served.
   *
   * @throws IllegalArgumentException if no environment has this key
   */
  EnvironmentSlot slot(String clientKey) {
    EnvironmentSlot slot = slots.get(Objects.requireNonNull(clientKey, "clientKey"));
    if (slot == null) {
      throw new IllegalArgumentException("unknown client key: " + Keys.mask(clientKey));
    }
    return slot;
  }

  /** The client key a server key opens now: a configured one, else the inventory's. */
  Optional<String> clientKeyOf(String serverKey, Instant now) {
    return configuredServerKeys
        .clientKeyOf(serverKey, now)
        .or(() -> discoveredKeys.clientKeyOf(serverKey, now));
  }

  /**
   * Serves what an inventory gives: new environments added, missing ones (or ones without a valid
   * server key) removed, rotated server keys used from now on. Call under the lifecycle lock.
   */
  Change reconcile(List<ProxyInventory.Entry> entries, Instant now) {
    Map<String, EnvironmentSlot> before = slots;
    Map<String, EnvironmentSlot> next = new LinkedHashMap<>();
    before.forEach(
        (key, slot) -> {
          if (configuredKeys.contains(key)) {
            next.put(key, slot);
          }
        });
    List<EnvironmentSlot> added = new ArrayList<>();
    List<ProxyInventory.Entry> given = new ArrayList<>();
    for (ProxyInventory.Entry entry : entries) {
      String clientKey = entry.clientKey();
      if (configuredKeys.contains(clientKey)) {
        logCollision(clientKey);
        continue;
      }
      Optional<ProxyInventory.ServerKey> key = entry.firstValidKey(now);
      if (key.isEmpty() || next.containsKey(clientKey)) {
        continue; // no usable server key: not served; or listed twice: the first one counts
      }
      EnvironmentSlot slot = before.get(clientKey);
      if (slot == null) {
        slot = newSlot(clientKey, sources.upstream(key.get().key()));
        added.add(slot);
      } else {
        ((DocumentFetcher) slot.source()).useAuthValue(key.get().key());
      }
      next.put(clientKey, slot);
      given.add(entry);
    }
    List<EnvironmentSlot> removed = new ArrayList<>();
    before.forEach(
        (key, slot) -> {
          if (!next.containsKey(key)) {
            removed.add(slot);
          }
        });
    discoveredKeys = ServerKeyIndex.of(given);
    slots = Collections.unmodifiableMap(next);
    return new Change(
        added,
        "added from the proxy inventory",
        removed,
        "removed: no longer in the proxy inventory, or no valid server key",
        given.size());
  }

  private void logCollision(String clientKey) {
    if (collisionsLogged.add(clientKey)) {
      logger.log(
          System.Logger.Level.WARNING,
          "proxy inventory gives {0}, which is "
              + "configured in environment_key_pairs; the configured one is kept",
          Keys.mask(clientKey));
    }
  }

  /**
   * Serves exactly these upstream environments (client key -> server key, validated) from now on;
   * see {@link EnvironmentSync#updateEnvironments}. Call under the lifecycle lock.
   *
   * @throws IllegalArgumentException if a client key is that of an environment of another kind
   */
  Change configure(Map<String, String> serverKeyOf) {
    Map<String, String> before = configuredServerKeyOf;
    for (String clientKey : serverKeyOf.keySet()) {
      if (configuredKeys.contains(clientKey) && !before.containsKey(clientKey)) {
        throw new IllegalArgumentException(
            "client key " + Keys.mask(clientKey) + " is configured as another kind");
      }
    }
    List<EnvironmentSlot> added = new ArrayList<>();
    List<EnvironmentSlot> removed = new ArrayList<>();
    Map<String, EnvironmentSlot> next = new LinkedHashMap<>();
    slots.forEach(
        (clientKey, slot) -> {
          if (!before.containsKey(clientKey)) {
            next.put(clientKey, slot); // files, legacy, supplied, inventory: kept
          } else if (serverKeyOf.containsKey(clientKey)) {
            String serverKey = serverKeyOf.get(clientKey);
            if (!serverKey.equals(before.get(clientKey))) {
              ((DocumentFetcher) slot.source()).useAuthValue(serverKey);
            }
            next.put(clientKey, slot);
          } else {
            removed.add(slot);
          }
        });
    Set<String> keys = new HashSet<>(configuredKeys);
    keys.removeAll(before.keySet());
    for (Map.Entry<String, String> entry : serverKeyOf.entrySet()) {
      String clientKey = entry.getKey();
      keys.add(clientKey);
      if (!next.containsKey(clientKey)) {
        EnvironmentSlot inventorySlot = slots.get(clientKey);
        if (inventorySlot != null) {
          removed.add(inventorySlot); // configured from now on: the configured key is used
        }
        EnvironmentSlot slot = newSlot(clientKey, sources.upstream(entry.getValue()));
        next.put(clientKey, slot);
        added.add(slot);
      }
    }
    configuredServerKeys = serverKeyIndex(serverKeyOf);
    configuredServerKeyOf = Map.copyOf(serverKeyOf);
    configuredKeys = Set.copyOf(keys);
    slots = Collections.unmodifiableMap(next);
    return new Change(
        added,
        "added by the configuration",
        removed,
        "removed from the configuration",
        serverKeyOf.size());
  }

  /** Stops the removed slots, telling the listeners, then starts the added ones. */
  void apply(Change change) {
    for (EnvironmentSlot slot : change.removed()) {
      retire(slot, change.whyRemoved());
    }
    for (EnvironmentSlot slot : change.added()) {
      logger.log(
          System.Logger.Level.INFO,
          "environment {0} " + change.whyAdded(),
          Keys.mask(slot.clientKey()));
      slot.loadSnapshot();
      poller.schedule(slot, Duration.ZERO);
      follow(slot);
    }
  }

  private void retire(EnvironmentSlot slot, String why) {
    RealtimeSubscriber realtime = this.realtime;
    if (realtime != null) {
      realtime.unfollow(slot.clientKey());
    }
    slot.close(); // before cancel: a poll finishing in between then does not reschedule it
    poller.cancel(slot);
    logger.log(System.Logger.Level.INFO, "environment {0} " + why, Keys.mask(slot.clientKey()));
    for (SyncListener listener : listeners) {
      try {
        listener.onRemoved(slot.clientKey());
      } catch (RuntimeException e) {
        logger.log(System.Logger.Level.WARNING, "sync listener failed", e);
      }
    }
  }

  /** Stops following realtime streams and closes every slot; their documents stay readable. */
  void close() {
    RealtimeSubscriber realtime = this.realtime;
    if (realtime != null) {
      realtime.close();
    }
    slots.values().forEach(EnvironmentSlot::close);
  }

  /** With a realtime URL, follows the environment's stream (upstream environments only). */
  private void follow(EnvironmentSlot slot) {
    RealtimeSubscriber realtime = this.realtime;
    if (realtime != null && slot.source() instanceof DocumentFetcher) {
      realtime.follow(slot.clientKey(), slot, poller::fetchSoon);
    }
  }
}
