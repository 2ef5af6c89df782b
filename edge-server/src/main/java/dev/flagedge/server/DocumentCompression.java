package dev.flagedge.server;

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
 * Compresses the environment documents that {@code /environment-document} serves, and then lets
 * each {@link LoadedEnvironment} drop its uncompressed copy: a heavy document is 246 KB as it is
 * and 43 KB compressed, so 1,000 of them keep 43 MB instead of 246 MB. This is the server's concern
 * alone: an embedded client keeps its documents as they arrived and never compresses.
 *
 * <p>The standalone server compresses each document as it arrives ({@link #compressOnArrival}, see
 * there for why, about 1.5 ms per heavy document). Otherwise documents wait until {@link #start}
 * starts a thread that compresses them in the order they came, or until a request wants a
 * document's gzip form: that request compresses it itself, and one that comes while the thread
 * compresses it waits for it (Body's lock), so every client gets the same bytes and headers.
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

  private volatile boolean onArrival;

  /**
   * The body that serves a loaded document: written from the environment's bytes for clients that
   * do not accept gzip, compressed by this thread (once started) or by the first request that wants
   * the gzip form, whichever comes first.
   */
  Body body(LoadedEnvironment loaded) {
    Body body =
        Body.streamedJson(
            loaded.documentLength(), loaded::writeDocumentJson, () -> compress(loaded));
    if (onArrival) {
      compress(body);
      return body;
    }
    synchronized (lock) {
      outstanding++;
    }
    pending.add(body);
    return body;
  }

  /**
   * Compresses each document as it arrives, on the thread that brings it (the sync's), as the
   * standalone server does. Deferring it took the work off the first loads (a sixth of the sync
   * threads' CPU with 1,000 heavy documents), but the uncompressed copies then lived long enough to
   * be promoted: with 200 heavy environments, peak RSS under load rose from 322–333 MB to 454–602
   * MB, and a queue drained by one thread of its own at arrival still gave 400–423 MB. Compressed
   * at arrival, a copy is young garbage.
   */
  void compressOnArrival() {
    onArrival = true;
  }

  /** The document was replaced or removed: compressing it would be wasted if it still waits. */
  void forget(Body body) {
    if (pending.remove(body)) {
      done();
    }
  }

  /** Starts compressing the documents given so far and those to come, on a thread of its own. */
  void start() {
    synchronized (lock) {
      if (thread == null && !closed) {
        thread = new Thread(this::run, "edge-server-documents");
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

  private void run() {
    try {
      while (true) {
        compress(pending.take());
        done();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closed: the thread ends
    }
  }

  private static void compress(Body body) {
    try {
      body.compressed();
    } catch (RuntimeException e) {
      // A bug: the document stays uncompressed, and a request for its gzip form tries again.
      logger.log(System.Logger.Level.ERROR, "cannot compress an environment document", e);
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
