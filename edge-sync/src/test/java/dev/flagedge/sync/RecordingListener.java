package dev.flagedge.sync;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every sync event as text, e.g. {@code change client-key v1}, and every failure. */
final class RecordingListener implements SyncListener {
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<LoadedEnvironment> changes = new CopyOnWriteArrayList<>();
  final List<SyncFailure> failures = new CopyOnWriteArrayList<>();

  @Override
  public void onChange(String clientKey, LoadedEnvironment current) {
    changes.add(current);
    events.add(
        "change "
            + clientKey
            + " "
            + current
                .environment()
                .environmentFlag("banner")
                .flatMap(flag -> flag.value())
                .orElse("-"));
  }

  @Override
  public void onFailure(String clientKey, SyncFailure failure, int consecutiveFailures) {
    failures.add(failure);
    events.add("failure " + clientKey + " " + consecutiveFailures + " " + failure.message());
  }

  @Override
  public void onRecovery(String clientKey) {
    events.add("recovery " + clientKey);
  }

  @Override
  public void onRemoved(String clientKey) {
    events.add("removed " + clientKey);
  }

  long count(String prefix) {
    return events.stream().filter(event -> event.startsWith(prefix)).count();
  }
}
