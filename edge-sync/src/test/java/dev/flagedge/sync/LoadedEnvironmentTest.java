package dev.flagedge.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoadedEnvironmentTest {
  private static final byte[] BYTES = TestDocuments.minimal().getBytes(StandardCharsets.UTF_8);

  private final LoadedEnvironment loaded = LoadedEnvironment.compile(BYTES.clone(),
      Keys.sha256Hex(BYTES), Instant.EPOCH, LoadedEnvironment.Source.FILE);

  @Test
  void documentBuffer_readOnlyViewOfTheDocument() {
    ByteBuffer buffer = loaded.documentBuffer();

    assertTrue(buffer.isReadOnly());
    assertEquals(0, buffer.position());
    assertEquals(BYTES.length, buffer.remaining());
    byte[] read = new byte[buffer.remaining()];
    buffer.get(read);
    assertArrayEquals(BYTES, read);
    assertThrows(ReadOnlyBufferException.class, () -> loaded.documentBuffer().put(0, (byte) 'x'));
  }

  @Test
  void documentBuffer_eachCall_ownPosition() {
    ByteBuffer first = loaded.documentBuffer();
    first.get(new byte[10]);

    assertNotSame(first, loaded.documentBuffer());
    assertEquals(BYTES.length, loaded.documentBuffer().remaining());
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
