package dev.flagedge.server;

import dev.flagedge.engine.internal.JsonWriter;
import dev.flagedge.sync.EnvironmentSync;
import dev.flagedge.sync.InventoryStatus;
import dev.flagedge.sync.SyncStatus;
import dev.flagedge.sync.internal.Keys;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Health answers. {@code /proxy/health} keeps the reference's bodies and staleness rule: ok once
 * every environment has been fetched, an error when the oldest successful fetch is older than the
 * poll interval plus the grace period per environment. Readiness is about being able to answer: it
 * is ok as soon as every environment has a document, from the upstream, a snapshot or a file, so an
 * upstream outage never takes every replica out of a load balancer. Environments served from files
 * never go stale. Both add a per-environment detail list, with {@link Diagnostics}' hints, and,
 * with a proxy key, the inventory's state (whose failures change neither answer once it has been
 * read: its environments keep being served).
 *
 * <p>An environment whose key the upstream rejects (401/403) holds neither answer: one wrong key
 * must not keep every replica out of service. Readiness counts it as settled, and {@code
 * /proxy/health} says {@code "degraded"} (200) while the others are healthy.
 */
final class Health {
  private static final DateTimeFormatter NAIVE_MICROS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

  private final EnvironmentSync sync;
  private final Set<String> configured;
  private final Predicate<String> served;
  private final Diagnostics diagnostics;
  private final Reloads reloads;
  private final Clock clock;

  /**
   * @param configured the client keys of the configured environments, which readiness waits for
   * @param served whether a client key's document is served yet: the sync has a document a moment
   *     before its listeners have built the served form, and readiness must not say 200 in between
   */
  Health(
      EnvironmentSync sync,
      Set<String> configured,
      Predicate<String> served,
      Diagnostics diagnostics,
      Reloads reloads,
      Clock clock) {
    this.sync = sync;
    this.configured = Set.copyOf(configured);
    this.served = served;
    this.diagnostics = diagnostics;
    this.reloads = reloads;
    this.clock = clock;
  }

  /**
   * Readiness: 200 when every configured environment can be answered from a document or is rejected
   * by the upstream (and, with a proxy key, the inventory has been read at least once), else 503.
   * Environments a proxy inventory adds later do not count: one that cannot be fetched would
   * otherwise take every replica out of the load balancer at once; it shows in the detail list and
   * answers 503 itself.
   */
  ApiAnswer readiness() {
    ApiAnswer health = check();
    boolean servable =
        sync.statuses().stream()
                .filter(status -> configured.contains(status.clientKey()))
                .allMatch(
                    status ->
                        (status.hasDocument() && served.test(status.clientKey()))
                            || diagnostics.rejected(status))
            && sync.inventoryStatus().map(i -> i.lastSuccess().isPresent()).orElse(true);
    return new ApiAnswer(servable ? 200 : 503, health.body());
  }

  /** Status 200 or 503 and the JSON body. */
  ApiAnswer check() {
    List<SyncStatus> statuses = sync.statuses();
    Instant now = clock.instant();
    Instant oldest = null;
    boolean allUpdated = true;
    List<String> rejected = new ArrayList<>();
    for (SyncStatus status : statuses) {
      if (diagnostics.rejected(status)) {
        rejected.add(Keys.mask(status.clientKey()));
        continue;
      }
      Optional<Instant> success =
          diagnostics.fromFile(status.clientKey()) ? Optional.of(now) : status.lastSuccess();
      if (success.isEmpty()) {
        allUpdated = false;
      } else if (oldest == null || success.get().isBefore(oldest)) {
        oldest = success.get();
      }
    }
    String reason = null;
    if (!allUpdated) {
      reason = "environment document(s) not updated.";
      oldest = null;
    } else if (oldest != null && diagnostics.olderThanAllowed(oldest, now, statuses.size())) {
      reason = "environment document(s) stale.";
    }
    String state = reason != null ? "error" : rejected.isEmpty() ? "ok" : "degraded";
    if (reason == null && !rejected.isEmpty()) {
      reason =
          "the upstream rejects the key of environment(s) " + String.join(", ", rejected) + ".";
    }
    JsonWriter out = new JsonWriter(256 + 256 * statuses.size());
    out.beginObject()
        .name("status")
        .value(state)
        .name("reason")
        .value(reason)
        .name("last_successful_update")
        .value(timestamp(oldest))
        .name("environments")
        .beginArray();
    for (SyncStatus status : statuses) {
      writeDetail(status, statuses.size(), out);
    }
    out.endArray();
    sync.inventoryStatus().ifPresent(inventory -> writeInventory(inventory, out));
    // Until a good configuration is applied: the running one stays, and says why.
    reloads.lastError().ifPresent(error -> out.name("config_reload_error").value(error));
    List<String> awaiting = reloads.awaitingRestart();
    if (!awaiting.isEmpty()) {
      out.name("restart_required_for").beginArray();
      awaiting.forEach(out::value);
      out.endArray();
    }
    out.endObject();
    return new ApiAnswer(state.equals("error") ? 503 : 200, Body.json(out.toByteArray()));
  }

  private void writeDetail(SyncStatus status, int environments, JsonWriter out) {
    out.beginObject()
        .name("key")
        .value(Keys.mask(status.clientKey()))
        .name("loaded")
        .value(status.hasDocument())
        .name("source")
        .value(
            sync.current(status.clientKey())
                .map(l -> l.source().name().toLowerCase(java.util.Locale.ROOT))
                .orElse(null))
        .name("last_successful_update")
        .value(timestamp(status.lastSuccess().orElse(null)))
        .name("document_updated_at")
        .value(status.documentUpdatedAt().orElse(null))
        .name("consecutive_failures")
        .value(status.consecutiveFailures())
        .name("last_error")
        .value(status.lastError().orElse(null))
        .name("snapshot_error")
        .value(status.snapshotError().orElse(null))
        .name("hints")
        .beginArray();
    for (String hint : diagnostics.hints(status, environments)) {
      out.value(hint);
    }
    out.endArray().endObject();
  }

  private void writeInventory(InventoryStatus inventory, JsonWriter out) {
    out.name("proxy_inventory")
        .beginObject()
        .name("environments")
        .value(inventory.environments())
        .name("last_successful_read")
        .value(timestamp(inventory.lastSuccess().orElse(null)))
        .name("consecutive_failures")
        .value(inventory.consecutiveFailures())
        .name("last_error")
        .value(inventory.lastError().orElse(null))
        .endObject();
  }

  /** The reference prints naive local time with microseconds; null for none. */
  private String timestamp(Instant instant) {
    return instant == null
        ? null
        : LocalDateTime.ofInstant(instant, clock.getZone()).format(NAIVE_MICROS);
  }

  /** A status and body computed outside a request. */
  record ApiAnswer(int status, Body body) {}
}
