package dev.flagedge.sync;

import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the proxy's inventory when the poller says so, hands each answer to the reconciliation, and
 * keeps the inventory's status. A failure changes nothing but the status: the environments the last
 * answer gave go on being served.
 */
final class InventoryReader {
  // The sync's logger, which operators filter on.
  private static final System.Logger logger = System.getLogger(EnvironmentSync.class.getName());

  /** Serves what an inventory gives; returns how many environments that is. */
  interface Reconciliation {
    int apply(List<ProxyInventory.Entry> entries, Instant now);
  }

  private final ProxyInventory inventory;
  private final InstantSource clock;
  private final Reconciliation reconciliation;
  private final CompletableFuture<Void> firstRead = new CompletableFuture<>();
  private volatile InventoryStatus status =
      new InventoryStatus(Optional.empty(), Optional.empty(), Optional.empty(), 0, 0);

  InventoryReader(ProxyInventory inventory, InstantSource clock, Reconciliation reconciliation) {
    this.inventory = inventory;
    this.clock = clock;
    this.reconciliation = reconciliation;
  }

  /** Reads the inventory once and applies it; a failure is logged once per streak. */
  void read() {
    Instant attempt = clock.instant();
    List<ProxyInventory.Entry> entries;
    try {
      entries = inventory.fetch();
    } catch (IOException e) {
      failed(attempt, e);
      return;
    }
    int served = reconciliation.apply(entries, attempt);
    if (status.consecutiveFailures() > 0) {
      logger.log(
          System.Logger.Level.INFO, "proxy inventory read again: {0} environment(s)", served);
    }
    status =
        new InventoryStatus(
            Optional.of(attempt), Optional.of(attempt), Optional.empty(), 0, served);
    firstRead.complete(null);
  }

  private void failed(Instant attempt, IOException e) {
    InventoryStatus before = status;
    String error =
        e instanceof FetchException ? e.getMessage() : "proxy inventory request failed: " + e;
    if (before.consecutiveFailures() == 0) {
      logger.log(
          System.Logger.Level.WARNING, "{0}; serving the environments it gave before", error);
    }
    status =
        new InventoryStatus(
            Optional.of(attempt),
            before.lastSuccess(),
            Optional.of(error),
            before.consecutiveFailures() + 1,
            before.environments());
    firstRead.complete(null);
  }

  InventoryStatus status() {
    return status;
  }

  /** Completes after the first attempt, whatever its outcome, or when the sync closes. */
  CompletableFuture<Void> firstRead() {
    return firstRead;
  }
}
