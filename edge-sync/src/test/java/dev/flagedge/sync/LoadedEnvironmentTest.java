package dev.flagedge.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flagedge.sync.internal.Keys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class LoadedEnvironmentTest {
  private static final byte[] BYTES = TestDocuments.minimal().getBytes(StandardCharsets.UTF_8);

  private final LoadedEnvironment loaded =
      LoadedEnvironment.compile(
          BYTES.clone(), Keys.sha256Hex(BYTES), Instant.EPOCH, LoadedEnvironment.Source.FILE);

  @Test
  void documentGzip_readOnlyGzipStreamOfTheDocument() throws IOException {
    ByteBuffer buffer = loaded.documentGzip();

    assertTrue(buffer.isReadOnly());
    assertEquals(0, buffer.position());
    byte[] gzipped = new byte[buffer.remaining()];
    buffer.get(gzipped);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
      assertArrayEquals(BYTES, in.readAllBytes());
    }
    assertEquals(BYTES.length, loaded.documentLength());
    assertThrows(ReadOnlyBufferException.class, () -> loaded.documentGzip().put(0, (byte) 'x'));
  }

  @Test
  void documentGzip_eachCall_ownPosition() {
    ByteBuffer first = loaded.documentGzip();
    first.get(new byte[10]);

    assertNotSame(first, loaded.documentGzip());
    assertEquals(0, loaded.documentGzip().position());
  }

  @Test
  void documentGzip_largeRepetitiveDocument_keptSmall() {
    StringBuilder padding = new StringBuilder();
    for (int i = 0; i < 2_000; i++) {
      padding
          .append(i == 0 ? "" : ",")
          .append("{\"feature\": {\"id\": ")
          .append(i)
          .append(", \"name\": \"feature_")
          .append(i)
          .append("\"}, \"enabled\": true}");
    }
    String minimal = TestDocuments.minimal().strip();
    byte[] json =
        (minimal.substring(0, minimal.length() - 1) + ", \"x_padding\": [" + padding + "]}")
            .getBytes(StandardCharsets.UTF_8);
    LoadedEnvironment large =
        LoadedEnvironment.compile(
            json.clone(), Keys.sha256Hex(json), Instant.EPOCH, LoadedEnvironment.Source.FILE);

    assertArrayEquals(json, large.documentJson());
    assertEquals(json.length, large.documentLength());
    assertTrue(
        large.documentGzip().remaining() < json.length / 5,
        large.documentGzip().remaining() + " of " + json.length);
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
