package dev.flagedge.server;

import dev.flagedge.sync.LoadedEnvironment;
import dev.flagedge.sync.SyncListener;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The served form of every environment, kept by listening to the sync: built on the sync's thread
 * when a document changes (so no request pays for it), kept with its cached responses while the
 * content is the same, dropped with them when the environment is removed. Realtime streams hear of
 * each change from here.
 */
final class ServedEnvironments implements SyncListener {
  private final Map<String, ServedEnvironment> served = new ConcurrentHashMap<>();
  private final ResponseCache responses;
  private final Streams streams;
  private final DocumentCompression documents;

  ServedEnvironments(ResponseCache responses, Streams streams, DocumentCompression documents) {
    this.responses = responses;
    this.streams = streams;
    this.documents = documents;
  }

  /** The served form of a client key's current document, once one is loaded. */
  Optional<ServedEnvironment> get(String clientKey) {
    return Optional.ofNullable(served.get(clientKey));
  }

  // The sync calls these one at a time per environment, and never onChange after onRemoved.

  @Override
  public void onChange(String clientKey, LoadedEnvironment current) {
    ServedEnvironment old = served.get(clientKey);
    if (old != null && old.loaded().contentHash().equals(current.contentHash())) {
      return;
    }
    ServedEnvironment fresh = new ServedEnvironment(current, responses, documents);
    served.put(clientKey, fresh);
    if (old != null) {
      responses.invalidate(old.generation());
    }
    streams.changed(clientKey, fresh);
  }

  @Override
  public void onRemoved(String clientKey) {
    ServedEnvironment removed = served.remove(clientKey);
    if (removed != null) {
      responses.invalidate(removed.generation());
    }
    streams.removed(clientKey);
  }
}
