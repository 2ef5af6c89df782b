package dev.flagedge.server;

import dev.flagedge.sync.EnvironmentSync;
import dev.flagedge.sync.LoadedEnvironment;
import dev.flagedge.sync.SyncFailure;
import dev.flagedge.sync.SyncListener;
import dev.flagedge.sync.SyncStatus;
import dev.flagedge.sync.internal.Keys;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * Explains each environment's state in short sentences for operators: the known causes of the
 * failures Flagsmith's users file support tickets about (a rejected key, an {@code api_url} without
 * {@code /api/v1}, DNS, TLS and refused connections, timeouts), a document exported without its
 * identity overrides, a stale document. {@code /proxy/health} shows them per environment; each
 * environment's hints are logged once whenever they change, not on every poll. Also tells which
 * environments the upstream rejects, which readiness does not wait for.
 */
final class Diagnostics implements SyncListener {
  private static final System.Logger logger = System.getLogger(Diagnostics.class.getName());

  private EnvironmentSync sync;
  // Both change with a reloaded configuration; read together only for a staleness verdict.
  private volatile Duration pollInterval;
  private volatile Optional<Duration> grace;
  private final Clock clock;
  private final Map<String, SyncFailure> failures = new ConcurrentHashMap<>();
  private final Map<String, List<String>> logged = new ConcurrentHashMap<>();

  Diagnostics(Duration pollInterval, Optional<Duration> grace, Clock clock) {
    this.pollInterval = pollInterval;
    this.grace = grace;
    this.clock = clock;
  }

  /** The reloaded poll interval and grace period, for the next verdicts. */
  void staleness(Duration pollInterval, Optional<Duration> grace) {
    this.pollInterval = pollInterval;
    this.grace = grace;
  }

  /**
   * The sync this listens to; set once it is built (it is built with its listeners), before it
   * starts, so before any event.
   */
  void attach(EnvironmentSync sync) {
    this.sync = sync;
  }

  @Override
  public void onFailure(String clientKey, SyncFailure failure, int consecutiveFailures) {
    failures.put(clientKey, failure);
    logIfChanged(clientKey);
  }

  @Override
  public void onRecovery(String clientKey) {
    failures.remove(clientKey);
    logIfChanged(clientKey);
  }

  @Override
  public void onChange(String clientKey, LoadedEnvironment current) {
    logIfChanged(clientKey);
  }

  @Override
  public void onRemoved(String clientKey) {
    failures.remove(clientKey);
    logged.remove(clientKey);
  }

  /** Whether the upstream refused the environment's key at its latest attempt (HTTP 401/403). */
  boolean rejected(SyncStatus status) {
    return current(status).filter(f -> f.kind() == SyncFailure.Kind.UNAUTHORIZED).isPresent();
  }

  /** The failure of the environment's current failure streak, if it is in one. */
  private Optional<SyncFailure> current(SyncStatus status) {
    return status.consecutiveFailures() > 0
        ? Optional.ofNullable(failures.get(status.clientKey()))
        : Optional.empty();
  }

  /** Whether the environment's last success is older than the reference's staleness rule allows. */
  boolean stale(SyncStatus status, Instant now, int environments) {
    return !fromFile(status.clientKey())
        && status.lastSuccess().filter(s -> olderThanAllowed(s, now, environments)).isPresent();
  }

  /**
   * The reference's staleness rule: a success older than the poll interval plus the grace period
   * per environment (no grace period configured: never stale).
   */
  boolean olderThanAllowed(Instant success, Instant now, int environments) {
    Optional<Duration> grace = this.grace;
    if (grace.isEmpty()) {
      return false;
    }
    Duration allowed = pollInterval.plus(grace.get().multipliedBy(environments));
    return success.isBefore(now.minus(allowed));
  }

  boolean fromFile(String clientKey) {
    return sync.current(clientKey)
        .map(LoadedEnvironment::source)
        .filter(source -> source == LoadedEnvironment.Source.FILE)
        .isPresent();
  }

  /** The sentences for an environment's present state; empty when all is well. */
  List<String> hints(SyncStatus status, int environments) {
    List<String> hints = new ArrayList<>(2);
    current(status).map(Diagnostics::failureHint).ifPresent(hints::add);
    sync.current(status.clientKey())
        .filter(loaded -> !loaded.environment().identityOverridesInLocalEvaluation())
        .ifPresent(
            loaded ->
                hints.add(
                    "the document says use_identity_overrides_in_local_eval: false: identity"
                        + " overrides set in the dashboard will not apply until \"Use identity"
                        + " overrides in local evaluation\" is enabled for the environment"));
    if (stale(status, clock.instant(), environments)) {
      hints.add(
          "the document is stale: its last successful update is older than the poll interval"
              + " and the grace period"
              + status.lastError().map(error -> "; last error: " + error).orElse(""));
    }
    return hints;
  }

  private static String failureHint(SyncFailure failure) {
    String status =
        failure.httpStatus().isPresent() ? " (HTTP " + failure.httpStatus().getAsInt() + ")" : "";
    switch (failure.kind()) {
      case UNAUTHORIZED:
        return "the upstream refused this environment's key"
            + status
            + ": check that it is the environment's server-side key, that it was not rotated or"
            + " deleted, and that api_url points at the Flagsmith that issued it";
      case HTTP_STATUS:
        return failure.httpStatus().orElse(0) == 404
            ? "the upstream answered HTTP 404: api_url probably lacks /api/v1 (for example"
                + " https://flagsmith.example.com/api/v1)"
            : "the upstream answered" + status + ": " + failure.message();
      case TIMEOUT:
        return "the upstream did not answer within api_poll_timeout_seconds: " + failure.message();
      case NETWORK:
        return networkHint(failure);
      case INVALID_DOCUMENT:
        return "the upstream sent a document that is not a valid environment document: "
            + failure.message();
      default:
        return failure.message();
    }
  }

  private static String networkHint(SyncFailure failure) {
    for (Throwable cause = failure.cause().orElse(null); cause != null; cause = cause.getCause()) {
      if (cause instanceof UnknownHostException) {
        return "the name of api_url's host could not be resolved (DNS): check api_url";
      }
      if (cause instanceof SSLException) {
        return "the TLS connection to the upstream failed: check api_url's scheme and the"
            + " server's certificate";
      }
      if (cause instanceof ConnectException) {
        return "the connection to the upstream was refused: check api_url's host and port";
      }
    }
    return "the connection to the upstream failed: " + failure.message();
  }

  /** Logs an environment's hints when they differ from the ones logged last for it. */
  private void logIfChanged(String clientKey) {
    SyncStatus status;
    try {
      status = sync.status(clientKey);
    } catch (IllegalArgumentException e) {
      return; // removed by a proxy inventory meanwhile
    }
    List<String> hints = hints(status, sync.clientKeys().size());
    List<String> before = logged.put(clientKey, hints);
    if (hints.equals(before) || (before == null && hints.isEmpty())) {
      return;
    }
    if (hints.isEmpty()) {
      logger.log(System.Logger.Level.INFO, "environment {0}: healthy again", Keys.mask(clientKey));
    } else {
      logger.log(
          System.Logger.Level.WARNING,
          "environment {0}: {1}",
          Keys.mask(clientKey),
          String.join("; ", hints));
    }
  }
}
