package dev.flagedge.server;

import dev.flagedge.sync.LoadedEnvironment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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
 * <p>Each document is compressed as it arrives, on the thread that brings it (the sync's, in its
 * listener), about 1.5 ms per heavy document. Deferring it took the work off the first loads (a
 * sixth of the sync threads' CPU with 1,000 heavy documents), but the uncompressed copies then
 * lived long enough to be promoted: with 200 heavy environments, peak RSS under load rose from
 * 322–333 MB to 454–602 MB, and a queue drained by one thread of its own from arrival still gave
 * 400–423 MB. Compressed at arrival, a copy is young garbage.
 */
final class DocumentCompression {
  private static final System.Logger logger = System.getLogger(DocumentCompression.class.getName());

  /** The uncompressed bytes environments dropped once their document was compressed. */
  private final AtomicLong released = new AtomicLong();

  /**
   * The body that serves a loaded document, compressed now: written from the environment's bytes
   * for clients that do not accept gzip, and from the gzip form for those that do.
   */
  Body body(LoadedEnvironment loaded) {
    Body body =
        Body.streamedJson(
            loaded.documentLength(), loaded::writeDocumentJson, () -> compress(loaded));
    try {
      body.compressed();
    } catch (RuntimeException e) {
      // A bug: the document stays uncompressed, and a request for its gzip form tries again.
      logger.log(System.Logger.Level.ERROR, "cannot compress an environment document", e);
    }
    return body;
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
