package dev.flagedge.openfeature;

import dev.flagedge.engine.Flag;
import dev.flagedge.sync.LoadedEnvironment;
import dev.flagedge.sync.SyncFailure;
import dev.flagedge.sync.SyncListener;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.ProviderEvent;
import dev.openfeature.sdk.ProviderEventDetails;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a client's sync events into OpenFeature provider events. Between {@link #starting()} and
 * {@link #initialized()} it only records the document (the SDK reports the outcome of
 * initialization itself; a client tells a listener its current document when it subscribes);
 * afterwards:
 *
 * <ul>
 *   <li>a changed document emits {@code PROVIDER_CONFIGURATION_CHANGED} with the names of the
 *       environment flags whose enabled state, value, variant or reason changed, or were added or
 *       removed; or {@code PROVIDER_READY} when there was no document (a failed initialization, a
 *       removed environment);
 *   <li>a failed sync while ready emits {@code PROVIDER_STALE} once per failure streak;
 *   <li>a recovery after that emits {@code PROVIDER_READY};
 *   <li>the environment's removal (a proxy's inventory no longer gives it) emits {@code
 *       PROVIDER_ERROR}: no flags are served until it comes back.
 * </ul>
 *
 * <p>Thread-safe: events arrive from sync threads; emitting only hands the event to the SDK's
 * emitter thread, so it happens under the lock and no event is emitted after {@link #stop()}.
 */
final class ChangeTracker implements SyncListener {
  /** Where events go: the provider's {@code emit}. */
  interface Sink {
    void emit(ProviderEvent event, ProviderEventDetails details);
  }

  /** What a change is judged on; the reason text stands for the reason with its details. */
  private record FlagState(boolean enabled, String valueJson, String variant, String reasonText) {
    static FlagState of(Flag flag) {
      return new FlagState(
          flag.enabled(), flag.valueJson(), flag.variant().orElse(null), flag.reasonText());
    }
  }

  private final Sink sink;
  // Guarded by this.
  private Map<String, FlagState> flags; // null before the first document
  private boolean active;
  private boolean initializing;
  private boolean ready;
  private boolean stale;

  ChangeTracker(Sink sink) {
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  synchronized void starting() {
    active = true;
    initializing = true;
  }

  /**
   * Ends initialization.
   *
   * @return whether a document was recorded, that is whether the provider is ready
   */
  synchronized boolean initialized() {
    initializing = false;
    ready = flags != null;
    return ready;
  }

  /** Emits nothing from now on. */
  synchronized void stop() {
    active = false;
  }

  @Override
  public void onChange(String clientKey, LoadedEnvironment current) {
    documentChanged(current.environment().environmentFlags());
  }

  @Override
  public void onFailure(String clientKey, SyncFailure failure, int consecutiveFailures) {
    failed(failure);
  }

  @Override
  public void onRecovery(String clientKey) {
    recovered();
  }

  @Override
  public void onRemoved(String clientKey) {
    removed();
  }

  synchronized void documentChanged(List<Flag> current) {
    Map<String, FlagState> next = snapshot(current);
    List<String> changed = changedNames(flags, next);
    flags = next;
    if (!active || initializing) {
      return;
    }
    if (!ready) {
      ready = true;
      stale = false;
      sink.emit(
          ProviderEvent.PROVIDER_READY,
          ProviderEventDetails.builder().message("flags document loaded").build());
    } else {
      sink.emit(
          ProviderEvent.PROVIDER_CONFIGURATION_CHANGED,
          ProviderEventDetails.builder()
              .message("flags document changed")
              .flagsChanged(changed)
              .build());
    }
  }

  synchronized void failed(SyncFailure failure) {
    if (active && !initializing && ready && !stale) {
      stale = true;
      sink.emit(
          ProviderEvent.PROVIDER_STALE,
          ProviderEventDetails.builder()
              .message("flags may be out of date: " + failure.message())
              .build());
    }
  }

  synchronized void removed() {
    flags = null;
    boolean wasReady = ready;
    ready = false;
    stale = false;
    if (active && !initializing && wasReady) {
      sink.emit(
          ProviderEvent.PROVIDER_ERROR,
          ProviderEventDetails.builder()
              .message("environment no longer served: the proxy inventory does not give it")
              .errorCode(ErrorCode.GENERAL)
              .build());
    }
  }

  synchronized void recovered() {
    if (active && stale) {
      stale = false;
      sink.emit(
          ProviderEvent.PROVIDER_READY,
          ProviderEventDetails.builder().message("flags sync recovered").build());
    }
  }

  private static Map<String, FlagState> snapshot(List<Flag> flags) {
    Map<String, FlagState> states = new LinkedHashMap<>();
    for (Flag flag : flags) {
      states.putIfAbsent(flag.name(), FlagState.of(flag));
    }
    return states;
  }

  /** Names in the new document order, then removed names; everything when there was nothing. */
  private static List<String> changedNames(
      Map<String, FlagState> before, Map<String, FlagState> after) {
    Map<String, FlagState> previous = before == null ? Map.of() : before;
    List<String> changed = new ArrayList<>();
    after.forEach(
        (name, state) -> {
          if (!state.equals(previous.get(name))) {
            changed.add(name);
          }
        });
    previous.keySet().stream().filter(name -> !after.containsKey(name)).forEach(changed::add);
    return List.copyOf(changed);
  }
}
