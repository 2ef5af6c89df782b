package dev.flagedge.sync;

import java.lang.System.Logger.Level;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The listeners of one {@link FlagEdgeClient}: forwards the sync's events for the client's
 * environment (a proxy's inventory may give the sync others), and tells a listener added later the
 * state it missed.
 *
 * <p>Every delivery, and every add with its catch-up, happens under one lock, so each listener sees
 * the events of its environment in order, exactly once, and never a catch-up after a newer event.
 * Listeners are kept in a copy-on-write list so that a listener may add or remove listeners, itself
 * included, while being called.
 */
final class ClientListeners implements SyncListener {
  private static final System.Logger logger = System.getLogger(ClientListeners.class.getName());

  private final String clientKey;
  private final CopyOnWriteArrayList<SyncListener> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  // Guarded by lock: the state a late listener catches up with.
  private LoadedEnvironment latest;
  private SyncFailure failure;
  private int failures;

  ClientListeners(String clientKey) {
    this.clientKey = clientKey;
  }

  /**
   * Adds a listener unless it is already there; a new one first hears the latest document with
   * {@code onChange}, then the failure streak in progress with {@code onFailure}, on this thread.
   */
  void add(SyncListener listener) {
    synchronized (lock) {
      if (!listeners.addIfAbsent(listener)) {
        return;
      }
      LoadedEnvironment document = latest;
      if (document != null) {
        deliver(listener, l -> l.onChange(clientKey, document));
      }
      SyncFailure streakFailure = failure;
      int streak = failures;
      if (streak > 0) {
        deliver(listener, l -> l.onFailure(clientKey, streakFailure, streak));
      }
    }
  }

  /** Removes a listener; once this returns it hears nothing more. */
  boolean remove(SyncListener listener) {
    synchronized (lock) {
      return listeners.remove(listener);
    }
  }

  @Override
  public void onChange(String key, LoadedEnvironment current) {
    if (clientKey.equals(key)) {
      synchronized (lock) {
        latest = current;
        deliverAll(l -> l.onChange(key, current));
      }
    }
  }

  @Override
  public void onFailure(String key, SyncFailure failure, int consecutiveFailures) {
    if (clientKey.equals(key)) {
      synchronized (lock) {
        this.failure = failure;
        this.failures = consecutiveFailures;
        deliverAll(l -> l.onFailure(key, failure, consecutiveFailures));
      }
    }
  }

  @Override
  public void onRecovery(String key) {
    if (clientKey.equals(key)) {
      synchronized (lock) {
        failure = null;
        failures = 0;
        deliverAll(l -> l.onRecovery(key));
      }
    }
  }

  @Override
  public void onRemoved(String key) {
    if (clientKey.equals(key)) {
      synchronized (lock) {
        latest = null;
        failure = null;
        failures = 0;
        deliverAll(l -> l.onRemoved(key));
      }
    }
  }

  private void deliverAll(Consumer<SyncListener> event) {
    for (SyncListener listener : listeners) {
      deliver(listener, event);
    }
  }

  private static void deliver(SyncListener listener, Consumer<SyncListener> event) {
    try {
      event.accept(listener);
    } catch (RuntimeException e) {
      logger.log(Level.WARNING, "sync listener " + listener + " failed", e);
    }
  }
}
