package dev.flagedge.sync;

/**
 * Receives sync events for the environments of an {@link EnvironmentSync}. Every method is a no-op
 * by default, so new events never break implementations.
 *
 * <p>Methods are called on the thread that performed the sync (a poller thread, or the caller of
 * {@link EnvironmentSync#refresh(String)}), in order, while that environment's update is in
 * progress: keep them quick. An exception thrown by a listener is logged and otherwise ignored.
 */
public interface SyncListener {
  /** A listener that ignores every event. */
  SyncListener NONE = new SyncListener() {};

  /**
   * The environment's document changed: its content differs from the previous one (or there was
   * none). Not called when the upstream answers with the same content again.
   *
   * @param clientKey the environment's client-side key
   * @param current the document now being served
   */
  default void onChange(String clientKey, LoadedEnvironment current) {}

  /**
   * An attempt to fetch or read the environment's document failed; the previous document, if any,
   * keeps serving.
   *
   * @param clientKey the environment's client-side key
   * @param failure what went wrong: its kind, a message such as {@code "upstream returned HTTP
   *     503"} (also the status's {@link SyncStatus#lastError()}), and the cause when there is one
   * @param consecutiveFailures the length of the current failure streak, at least 1
   */
  default void onFailure(String clientKey, SyncFailure failure, int consecutiveFailures) {}

  /**
   * An attempt succeeded after one or more failures.
   *
   * @param clientKey the environment's client-side key
   */
  default void onRecovery(String clientKey) {}

  /**
   * The environment is no longer served: a proxy's inventory stopped giving it, or gives it no
   * valid server key. Called on the sync thread that read the inventory, after any fetch of the
   * environment in progress has ended: no other call for it follows.
   *
   * @param clientKey the environment's client-side key
   */
  default void onRemoved(String clientKey) {}
}
