package dev.flagedge.server;

import dev.flagedge.sync.EnvironmentSync;
import dev.flagedge.sync.LoadedEnvironment;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns an {@code X-Environment-Key} into the environment it may read. Server-side keys must be
 * configured ones, or ones a proxy's inventory gives that are valid now; any other key is a
 * client-side key. A configured environment whose document has not loaded yet answers 503 rather
 * than the reference's misleading 401.
 */
final class Environments {
  static final String KEY_HEADER = "X-Environment-Key";
  static final String UPDATED_AT_HEADER = "X-Flagsmith-Document-Updated-At";

  /** What a request may read, and with which key type. */
  record Access(ServedEnvironment environment, boolean serverKey, String clientKey) {}

  private final EnvironmentSync sync;
  private final ResponseCache responses;
  private final Map<String, ServedEnvironment> served = new ConcurrentHashMap<>();

  Environments(EnvironmentSync sync, ResponseCache responses) {
    this.sync = sync;
    this.responses = responses;
  }

  Access resolve(HttpCall call) {
    String key = call.header(KEY_HEADER);
    if (key == null || key.isEmpty()) {
      throw ApiException.missingKey();
    }
    String clientKey = sync.clientKeyOf(key).orElse(null);
    boolean serverKey = clientKey != null;
    if (!serverKey) {
      if (key.startsWith("ser.") || !sync.clientKeys().contains(key)) {
        throw ApiException.unknownKey(key);
      }
      clientKey = key;
    }
    Optional<LoadedEnvironment> loaded = sync.current(clientKey);
    if (loaded.isEmpty()) {
      if (!sync.clientKeys().contains(clientKey)) {
        throw ApiException.unknownKey(key); // removed from the proxy inventory meanwhile
      }
      throw ApiException.notLoaded();
    }
    call.clientKey(clientKey);
    ServedEnvironment environment = served(clientKey, loaded.get());
    // Lets the JS SDK skip refetching when a realtime event carries the value it already has.
    environment.updatedAt().ifPresent(at -> call.setHeader(UPDATED_AT_HEADER, at.text()));
    return new Access(environment, serverKey, clientKey);
  }

  /** The {@code updated_at} of the document served for a client key, if there is one. */
  Optional<UpdatedAt> updatedAt(String clientKey) {
    return sync.current(clientKey).flatMap(loaded -> served(clientKey, loaded).updatedAt());
  }

  /** Forgets an environment no longer served, and its cached responses. */
  void remove(String clientKey) {
    ServedEnvironment removed = served.remove(clientKey);
    if (removed != null) {
      responses.invalidate(removed.generation());
    }
  }

  /** The served form of the current document, rebuilt when the document changed. */
  ServedEnvironment served(String clientKey, LoadedEnvironment loaded) {
    ServedEnvironment current = served.get(clientKey);
    if (current != null && current.loaded() == loaded) {
      return current;
    }
    ServedEnvironment fresh = new ServedEnvironment(loaded, responses);
    if (!sync.clientKeys().contains(clientKey)) {
      return fresh; // removed meanwhile (a proxy inventory): answered once, never kept
    }
    ServedEnvironment[] replaced = new ServedEnvironment[1];
    ServedEnvironment kept =
        served.merge(
            clientKey,
            fresh,
            (old, candidate) -> {
              if (old.loaded() == sync.current(clientKey).orElse(null)) {
                return old;
              }
              replaced[0] = old;
              return candidate;
            });
    if (replaced[0] != null) {
      responses.invalidate(replaced[0].generation());
    }
    return kept;
  }
}
