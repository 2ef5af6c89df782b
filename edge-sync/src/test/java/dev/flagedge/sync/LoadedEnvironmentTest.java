package dev.flagedge.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flagedge.sync.internal.Keys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class LoadedEnvironmentTest {
  private static final byte[] BYTES = TestDocuments.minimal().getBytes(StandardCharsets.UTF_8);

  private final LoadedEnvironment loaded =
      LoadedEnvironment.compile(
          BYTES.clone(), Keys.sha256Hex(BYTES), Instant.EPOCH, LoadedEnvironment.Source.FILE);

  /** A form that keeps the bytes gzip-compressed, as the server does. */
  private static LoadedEnvironment.DocumentForm gzipForm(byte[] json) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(json);
    }
    byte[] gzipped = out.toByteArray();
    return sink -> {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
        in.transferTo(sink);
      }
    };
  }

  @Test
  void keepDocumentIn_sameBytesThroughTheForm() throws IOException {
    assertTrue(loaded.keepDocumentIn(gzipForm(BYTES)));

    ByteArrayOutputStream written = new ByteArrayOutputStream();
    loaded.writeDocumentJson(written);
    assertArrayEquals(BYTES, written.toByteArray());
    byte[] copy = loaded.documentJson();
    assertArrayEquals(BYTES, copy);
    copy[0] = 'x';
    assertArrayEquals(BYTES, loaded.documentJson());
    assertEquals(BYTES.length, loaded.documentLength());
  }

  @Test
  void keepDocumentIn_formWritingOtherBytes_rejected_bytesKeptAsTheyWere() throws IOException {
    byte[] other = BYTES.clone();
    other[other.length / 2] ^= 1;
    byte[] longer = Arrays.copyOf(BYTES, BYTES.length + 1);
    byte[] shorter = Arrays.copyOf(BYTES, BYTES.length - 1);

    for (byte[] wrong : List.of(other, longer, shorter)) {
      LoadedEnvironment.DocumentForm form = gzipForm(wrong);
      assertThrows(IllegalArgumentException.class, () -> loaded.keepDocumentIn(form));
    }
    assertThrows(
        IllegalArgumentException.class,
        () ->
            loaded.keepDocumentIn(
                out -> {
                  throw new IOException("broken form");
                }));
    assertArrayEquals(BYTES, loaded.documentJson());
    assertTrue(loaded.keepDocumentIn(gzipForm(BYTES)), "still kept as they were, so not taken");
  }

  @Test
  void keepDocumentIn_onlyTheFirstFormKept_sharedWithTheSameDocumentFromAnotherSource()
      throws IOException {
    LoadedEnvironment confirmed = loaded.withSource(LoadedEnvironment.Source.UPSTREAM, Instant.MAX);
    AtomicInteger reads = new AtomicInteger();
    LoadedEnvironment.DocumentForm gzip = gzipForm(BYTES);
    assertTrue(
        loaded.keepDocumentIn(
            out -> {
              reads.incrementAndGet();
              gzip.writeTo(out);
            }));
    assertFalse(confirmed.keepDocumentIn(gzipForm(BYTES)));

    reads.set(0);
    assertArrayEquals(BYTES, confirmed.documentJson());
    assertEquals(1, reads.get(), "the other instance reads through the first form");
  }

  @Test
  void compile_keepsTheBytesAsTheyArrived_nothingCompressed() throws IOException {
    // An embedded client pays only for the parse: the bytes are not in another form yet, so a
    // form can still take them over (the server's does, after the load).
    List<LoadedEnvironment> loads = new CopyOnWriteArrayList<>();
    SyncListener listener =
        new SyncListener() {
          @Override
          public void onChange(String clientKey, LoadedEnvironment current) {
            loads.add(current);
          }
        };
    try (FlagEdgeClient client =
        FlagEdgeClient.builder().documentSupplier(() -> BYTES).listener(listener).build()) {
      assertTrue(client.status().hasDocument());
      assertEquals(1, loads.size());
      assertTrue(loads.get(0).keepDocumentIn(gzipForm(BYTES)));
    }
  }

  @Test
  void documentJson_freshCopy_sameBytesAsWritten() throws IOException {
    byte[] copy = loaded.documentJson();
    copy[0] = 'x';
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    loaded.writeDocumentJson(written);

    assertArrayEquals(BYTES, loaded.documentJson());
    assertArrayEquals(BYTES, written.toByteArray());
  }
}
