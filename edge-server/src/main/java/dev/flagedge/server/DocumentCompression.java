package dev.flagedge.server;

import dev.flagedge.sync.EnvironmentSync;
import dev.flagedge.sync.LoadedEnvironment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses the environment documents that {@code /environment-document} serves, off the load
 * path, and then lets each {@link LoadedEnvironment} drop its uncompressed copy: a heavy document
 * is 246 KB as it is and 43 KB compressed, so 1,000 of them keep 43 MB instead of 246 MB.
 *
 * <p>Loading a document only parses it; compressing it too cost the sync threads a sixth of their
 * CPU at start-up (median over six runs, 1,000 heavy documents). So one thread compresses, in the
 * order the documents arrived, but only once the first documents are loaded ({@link
 * #startWhenLoaded}): until then the cores parse. A request for a document's gzip form that comes
 * first compresses that document itself, and a request that comes while the thread compresses it
 * waits for it (Body's lock): every client gets the same bytes and headers either way. The thread
 * asks for the lowest priority, which Linux ignores unless the JVM is told otherwise; it works for
 * about 1.5 ms per heavy document.
 */
final class DocumentCompression implements AutoCloseable {
  private static final System.Logger logger = System.getLogger(DocumentCompression.class.getName());

  private final LinkedBlockingQueue<Body> pending = new LinkedBlockingQueue<>();
  private final Object lock = new Object();

  // Guarded by lock.
  private Thread thread; // once started
  private boolean closed;
  private int outstanding; // queued, or being compressed

  /** The uncompressed bytes environments dropped once their document was compressed. */
  private final AtomicLong released = new AtomicLong();

  /** When the latest document was given ({@link System#nanoTime()}). */
  private volatile long lastArrival = System.nanoTime();

  /**
   * The body that serves a loaded document: written from the environment's bytes for clients that
   * do not accept gzip, compressed by this thread (once started) or by the first request that wants
   * the gzip form, whichever comes first.
   */
  Body body(LoadedEnvironment loaded) {
    Body body =
        Body.streamedJson(
            loaded.documentLength(), loaded::writeDocumentJson, () -> compress(loaded));
    synchronized (lock) {
      outstanding++;
    }
    pending.add(body);
    lastArrival = System.nanoTime();
    return body;
  }

  /** The document was replaced or removed: compressing it would be wasted if it still waits. */
  void forget(Body body) {
    if (pending.remove(body)) {
      done();
    }
  }

  /** Starts compressing the documents loaded so far and those to come. */
  void start() {
    start(() -> {});
  }

  /**
   * Starts compressing once every environment has its first document, or once no document has
   * arrived for {@code quiet} (some environment keeps failing: the others are loaded, and their
   * uncompressed copies should not wait for it). Until then the cores parse, and the first loads
   * end sooner.
   */
  void startWhenLoaded(EnvironmentSync sync, Duration quiet) {
    start(
        () -> {
          while (!sync.awaitFirstSync(quiet)) {
            if (Thread.currentThread().isInterrupted()) {
              throw new InterruptedException();
            }
            if (System.nanoTime() - lastArrival >= quiet.toNanos()) {
              return;
            }
          }
        });
  }

  /** Waits until compression should begin; interrupted when the server closes. */
  private interface Gate {
    void await() throws InterruptedException;
  }

  private void start(Gate gate) {
    synchronized (lock) {
      if (thread == null && !closed) {
        thread = new Thread(() -> run(gate), "edge-server-documents");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
      }
    }
  }

  /**
   * Waits until every document given so far is compressed (or forgotten), or the timeout passes.
   *
   * @return whether none is left
   */
  boolean awaitCompressed(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (outstanding > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (thread != null) {
        thread.interrupt();
      }
    }
  }

  private void run(Gate gate) {
    try {
      gate.await();
      while (true) {
        Body next = pending.take();
        try {
          next.compressed();
        } catch (RuntimeException e) {
          // A bug: the document stays uncompressed, and a request for its gzip form tries again.
          logger.log(System.Logger.Level.ERROR, "cannot compress an environment document", e);
        }
        done();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closed: the thread ends
    }
  }

  private void done() {
    synchronized (lock) {
      outstanding--;
      lock.notifyAll();
    }
  }

  /**
   * How many uncompressed bytes environments have dropped so far: garbage until the next collection
   * of the old generation, which the start-up compaction counts as such.
   */
  long releasedBytes() {
    return released.get();
  }

  private byte[] compress(LoadedEnvironment loaded) {
    byte[] gzipped = gzip(loaded);
    if (loaded.keepDocumentIn(sink -> gunzip(gzipped, sink))) {
      released.addAndGet(loaded.documentLength());
    }
    return gzipped;
  }

  /**
   * The document's gzip stream. Level 1: about 1 ms for a 246 KB document, 18% of its size, where
   * the default level takes 2.5 times as long for 14%.
   */
  static byte[] gzip(LoadedEnvironment loaded) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(loaded.documentLength() / 5 + 64);
    try (GZIPOutputStream gzip = new FastGzipOutputStream(out)) {
      loaded.writeDocumentJson(gzip);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory: does not fail
    }
    return out.toByteArray();
  }

  private static void gunzip(byte[] gzipped, OutputStream out) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped), 8192)) {
      in.transferTo(out);
    }
  }

  private static final class FastGzipOutputStream extends GZIPOutputStream {
    FastGzipOutputStream(OutputStream out) throws IOException {
      super(out, 8192);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }
}
