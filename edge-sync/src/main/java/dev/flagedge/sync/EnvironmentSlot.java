package dev.flagedge.sync;

import dev.flagedge.engine.DocumentParseException;
import dev.flagedge.sync.internal.Keys;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One environment's state: the document being served, swapped atomically, and its sync status.
 *
 * <p>Readers never lock: {@link #current()} and {@link #status()} read one immutable snapshot each.
 * Attempts ({@link #sync()}) and snapshot loads run one at a time under a lock, which also orders
 * the listener calls they make.
 */
final class EnvironmentSlot {
  private static final System.Logger logger = System.getLogger(EnvironmentSlot.class.getName());

  private final String clientKey;
  private final DocumentSource source;
  private final SnapshotStore snapshots; // null without a snapshot directory
  private volatile String snapshotError;
  private final List<SyncListener> listeners;
  private final InstantSource clock;
  private final AtomicReference<LoadedEnvironment> current = new AtomicReference<>();
  private final CompletableFuture<Void> firstDocument = new CompletableFuture<>();
  private final ReentrantLock lock = new ReentrantLock();
  private volatile SyncStatus status;
  private volatile boolean closed;

  // Guarded by lock; published through status.
  private String validator;
  private Instant lastAttempt;
  private Instant lastSuccess;
  private Instant lastChange;
  private String lastError;
  private int failures;

  EnvironmentSlot(
      String clientKey,
      DocumentSource source,
      SnapshotStore snapshots,
      List<SyncListener> listeners,
      InstantSource clock) {
    this.clientKey = clientKey;
    this.source = source;
    this.snapshots = source.kind() == LoadedEnvironment.Source.UPSTREAM ? snapshots : null;
    this.listeners = List.copyOf(listeners);
    this.clock = clock;
    publish();
  }

  String clientKey() {
    return clientKey;
  }

  DocumentSource source() {
    return source;
  }

  Optional<LoadedEnvironment> current() {
    return Optional.ofNullable(current.get());
  }

  SyncStatus status() {
    return status;
  }

  CompletableFuture<Void> firstDocument() {
    return firstDocument;
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Stops further attempts and cancels the one in progress; its failure is not reported. Returns
   * once that attempt has ended, so no listener hears of this environment after it is closed.
   */
  void close() {
    closed = true;
    source.cancel();
    lock.lock();
    lock.unlock();
  }

  /** Serves the environment's snapshot, when there is a valid one and nothing is served yet. */
  void loadSnapshot() {
    if (snapshots == null) {
      return;
    }
    lock.lock();
    try {
      if (current.get() == null) {
        snapshots.load(clientKey, clock.instant()).ifPresent(loaded -> install(loaded, null));
        snapshotError =
            snapshots.rejection(clientKey).map(r -> "snapshot ignored: " + r).orElse(null);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Fetches (or reads) the document once. Every failure, unexpected ones included, is recorded in
   * the status and reported to the listeners; only a {@linkplain #isFatal fatal} JVM error is
   * rethrown.
   *
   * @return whether the attempt succeeded
   */
  boolean sync() {
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      lastAttempt = clock.instant();
      publish();
      attempt();
      return true;
    } catch (FetchException e) {
      failed(e.failure());
    } catch (IOException e) {
      failed(failure(SyncFailure.Kind.NETWORK, String.valueOf(e.getMessage()), e));
    } catch (DocumentParseException e) {
      failed(failure(SyncFailure.Kind.INVALID_DOCUMENT, "invalid document: " + e.getMessage(), e));
    } catch (RuntimeException | Error e) {
      failed(failure(SyncFailure.Kind.INTERNAL, "unexpected " + e, e));
      if (isFatal(e)) {
        throw (Error) e;
      }
    } finally {
      lock.unlock();
    }
    return false;
  }

  /**
   * Whether an error means the JVM can no longer be trusted (out of memory, internal error): it is
   * recorded like any failure, then rethrown for the application's uncaught-exception handler to
   * act on. A stack overflow unwinds cleanly and is only recorded.
   */
  static boolean isFatal(Throwable error) {
    return error instanceof VirtualMachineError && !(error instanceof StackOverflowError);
  }

  private void attempt() throws IOException {
    LoadedEnvironment served = current.get();
    DocumentSource.Conditions conditions =
        served == null
            ? DocumentSource.Conditions.NONE
            : new DocumentSource.Conditions(
                served.environment().updatedAt(), Optional.ofNullable(validator));
    DocumentSource.Fetch fetch = source.fetch(conditions);
    Instant now = clock.instant();
    if (fetch instanceof DocumentSource.Fetched fetched) {
      accept(fetched, now);
    } else if (served == null) {
      throw new FetchException(
          SyncFailure.Kind.PROTOCOL,
          "upstream answered 304 Not Modified but no document is cached");
    } else if (served.source() != source.kind()) {
      current.set(served.withSource(source.kind(), now)); // the upstream confirmed a snapshot
    }
    lastSuccess = now;
    lastError = null;
    int recoveredFrom = failures;
    failures = 0;
    publish();
    if (recoveredFrom > 0) {
      logger.log(
          Level.INFO,
          "environment {0}: sync recovered after {1} failed attempts",
          Keys.mask(clientKey),
          recoveredFrom);
      notifyListeners(listener -> listener.onRecovery(clientKey));
    }
  }

  private void accept(DocumentSource.Fetched fetched, Instant now) {
    String hash = Keys.sha256Hex(fetched.json());
    LoadedEnvironment served = current.get();
    if (served != null && served.contentHash().equals(hash)) {
      if (served.source() != source.kind()) {
        current.set(served.withSource(source.kind(), now));
      }
      validator = fetched.validator().orElse(null);
      return;
    }
    LoadedEnvironment loaded = LoadedEnvironment.compile(fetched.json(), hash, now, source.kind());
    install(loaded, fetched.validator().orElse(null));
    if (snapshots != null) {
      try {
        snapshots.save(clientKey, loaded);
        snapshotError = null;
      } catch (IOException | RuntimeException e) {
        snapshotError = "cannot write snapshot: " + e.getClass().getSimpleName();
        logger.log(
            Level.WARNING,
            "environment {0}: cannot write snapshot in {1}: {2}",
            Keys.mask(clientKey),
            snapshots.directory(),
            e.getClass().getSimpleName());
      }
    }
  }

  private void install(LoadedEnvironment loaded, String newValidator) {
    if (closed) {
      return; // finished after close: dropped, as promised to the listeners
    }
    LoadedEnvironment previous = current.getAndSet(loaded);
    validator = newValidator;
    lastChange = loaded.loadedAt();
    publish();
    if (previous == null) {
      logger.log(
          Level.INFO,
          "environment {0}: first document loaded from {1} (updated_at {2})",
          Keys.mask(clientKey),
          loaded.source(),
          loaded.environment().updatedAt().orElse("absent"));
    } else {
      logger.log(Level.DEBUG, "environment {0}: document changed", Keys.mask(clientKey));
    }
    notifyListeners(listener -> listener.onChange(clientKey, loaded));
    firstDocument.complete(null);
  }

  private static SyncFailure failure(SyncFailure.Kind kind, String message, Throwable cause) {
    return new SyncFailure(kind, message, OptionalInt.empty(), Optional.of(cause));
  }

  private void failed(SyncFailure failure) {
    if (closed) {
      return;
    }
    failures++;
    lastError = failure.message();
    publish();
    if (failures == 1 && failure.kind() == SyncFailure.Kind.INTERNAL) {
      logger.log(
          Level.ERROR,
          "environment " + Keys.mask(clientKey) + ": sync failing, " + failure.message(),
          failure.cause().orElse(null));
    } else if (failures == 1) {
      logger.log(
          Level.WARNING,
          "environment {0}: sync failing, {1}",
          Keys.mask(clientKey),
          failure.message());
    }
    int streak = failures;
    notifyListeners(listener -> listener.onFailure(clientKey, failure, streak));
  }

  private void notifyListeners(Consumer<SyncListener> event) {
    for (SyncListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        logger.log(Level.WARNING, "sync listener " + listener + " failed", e);
      }
    }
  }

  private void publish() {
    LoadedEnvironment served = current.get();
    status =
        new SyncStatus(
            clientKey,
            served != null,
            Optional.ofNullable(lastAttempt),
            Optional.ofNullable(lastSuccess),
            Optional.ofNullable(lastChange),
            Optional.ofNullable(lastError),
            failures,
            served == null ? Optional.empty() : served.environment().updatedAt(),
            Optional.ofNullable(snapshotError));
  }
}
