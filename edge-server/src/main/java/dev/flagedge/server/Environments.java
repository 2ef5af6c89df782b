package dev.flagedge.server;

import dev.flagedge.sync.EnvironmentSync;
import java.util.Optional;

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
  private final ServedEnvironments served;

  Environments(EnvironmentSync sync, ServedEnvironments served) {
    this.sync = sync;
    this.served = served;
  }

  Access resolve(HttpCall call) {
    return resolve(call, call.header(KEY_HEADER));
  }

  /** Resolves a key the caller found in a header of its protocol's choosing (null: none). */
  Access resolve(HttpCall call, String key) {
    if (key == null || key.isEmpty()) {
      throw ApiException.missingKey();
    }
    String clientKey;
    boolean serverKey;
    if (!key.startsWith("ser.") && sync.clientKeys().contains(key)) {
      // A client key, which is public: no need to hash it as a server key is, in constant time.
      clientKey = key;
      serverKey = false;
    } else {
      clientKey = sync.clientKeyOf(key).orElse(null);
      serverKey = clientKey != null;
      if (!serverKey) {
        throw ApiException.unknownKey(key);
      }
    }
    ServedEnvironment environment = served.get(clientKey).orElse(null);
    if (environment == null) {
      if (!sync.clientKeys().contains(clientKey)) {
        throw ApiException.unknownKey(key); // removed from the proxy inventory meanwhile
      }
      throw ApiException.notLoaded();
    }
    // Lets the JS SDK skip refetching when a realtime event carries the value it already has.
    environment.updatedAt().ifPresent(at -> call.setHeader(UPDATED_AT_HEADER, at.text()));
    Access access = new Access(environment, serverKey, clientKey);
    call.access(access);
    return access;
  }

  /** The document served for a client key, if there is one. */
  Optional<ServedEnvironment> served(String clientKey) {
    return served.get(clientKey);
  }
}
