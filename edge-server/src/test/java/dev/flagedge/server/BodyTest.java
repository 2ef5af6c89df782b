package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BodyTest {
  private static final byte[] JSON =
      ("{\"flags\":[" + "{\"enabled\":true},".repeat(200) + "{}]}")
          .getBytes(StandardCharsets.UTF_8);

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] bytes) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    }
  }

  private static byte[] written(Body body, boolean gzipped) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (gzipped) {
      body.writeGzippedTo(out);
    } else {
      body.writeTo(out);
    }
    return out.toByteArray();
  }

  @Test
  void json_writtenAsIs_andAsGzip() throws IOException {
    Body body = Body.json(JSON);
    assertTrue(body.compressible());
    assertEquals(JSON.length, body.length());
    assertArrayEquals(JSON, written(body, false));
    byte[] gzipped = written(body, true);
    assertEquals(gzipped.length, body.gzippedLength());
    assertArrayEquals(JSON, gunzip(gzipped));
  }

  @Test
  void gzippedJson_sentCompressedAsKept_writtenDecompressedByItsOwnerForOthers()
      throws IOException {
    byte[] kept = gzip(JSON);
    Body body =
        Body.gzippedJson(
            ByteBuffer.wrap(kept).asReadOnlyBuffer(), JSON.length, out -> out.write(gunzip(kept)));
    assertEquals(JSON.length, body.length());
    assertArrayEquals(kept, written(body, true));
    assertArrayEquals(JSON, written(body, false));
    assertArrayEquals(JSON, written(body, false)); // every call reads from the start
  }

  @Test
  void gzippedJson_smallDocument_notCompressible_servedDecompressed() throws IOException {
    byte[] small = "{}".getBytes(StandardCharsets.UTF_8);
    byte[] kept = gzip(small);
    Body body =
        Body.gzippedJson(ByteBuffer.wrap(kept), small.length, out -> out.write(gunzip(kept)));
    assertFalse(body.compressible());
    assertArrayEquals(small, written(body, false));
  }

  @Test
  void json_overPartOfALargerArray_servesOnlyThoseBytesWithoutCopying() throws IOException {
    byte[] array = new byte[JSON.length + 100];
    System.arraycopy(JSON, 0, array, 0, JSON.length);
    Body body = Body.json(ByteBuffer.wrap(array, 0, JSON.length));
    assertEquals(JSON.length, body.length());
    assertArrayEquals(JSON, written(body, false));
    assertArrayEquals(JSON, gunzip(written(body, true)));
    assertTrue(body.content().array() == array, "served from the writer's own array");
  }

  @Test
  void trimmed_keepsExactlyTheBytes_andReturnsAnExactBodyAsItIs() throws IOException {
    byte[] array = new byte[JSON.length + 100];
    System.arraycopy(JSON, 0, array, 0, JSON.length);
    Body trimmed = Body.json(ByteBuffer.wrap(array, 0, JSON.length)).trimmed();
    assertEquals(JSON.length, trimmed.content().array().length);
    assertArrayEquals(JSON, written(trimmed, false));
    Body exact = Body.json(JSON);
    assertTrue(exact.trimmed() == exact);
  }
}
