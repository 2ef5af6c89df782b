package dev.flagedge.server;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of the configuration reloads: counted in {@code flagedge_config_reloads_total}, and
 * the last failure shown by {@code /proxy/health} until a good configuration is applied.
 */
final class Reloads {
  private final Metrics metrics;
  private volatile String lastError;
  private volatile List<String> awaitingRestart = List.of();

  Reloads(Metrics metrics) {
    this.metrics = metrics;
  }

  void applied() {
    lastError = null;
    metrics.reload("applied");
  }

  void unchanged() {
    metrics.reload("unchanged");
  }

  /** A configuration that was refused; the running one stays. */
  void failed(String error) {
    lastError = error;
    metrics.reload("failed");
  }

  /** The changed settings, by path, that apply only at the next start. */
  void awaitingRestart(List<String> paths) {
    awaitingRestart = List.copyOf(paths);
  }

  /** The settings that differ from those the server started with and need a restart. */
  List<String> awaitingRestart() {
    return awaitingRestart;
  }

  /** Why the last reload was refused, until one is applied. */
  Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }
}
