package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.util.Callback;
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
  void streamedJson_writtenByItsOwner_gzipFormMadeOnceOnFirstUse() throws IOException {
    byte[] made = gzip(JSON);
    AtomicInteger compressions = new AtomicInteger();
    Body body =
        Body.streamedJson(
            JSON.length,
            out -> out.write(JSON),
            () -> {
              compressions.incrementAndGet();
              return made;
            });
    assertEquals(JSON.length, body.length());
    assertNull(body.content(), "not held uncompressed: written by its owner");
    assertArrayEquals(JSON, written(body, false));
    assertFalse(body.isCompressed());
    assertEquals(0, compressions.get(), "the uncompressed form does not make the gzip form");

    assertArrayEquals(made, written(body, true));
    assertEquals(made.length, body.gzippedLength());
    assertArrayEquals(JSON, written(body, false)); // every call reads from the start
    assertTrue(body.isCompressed());
    assertEquals(1, compressions.get());
  }

  @Test
  void streamedJson_smallDocument_notCompressible_servedUncompressed() throws IOException {
    byte[] small = "{}".getBytes(StandardCharsets.UTF_8);
    Body body =
        Body.streamedJson(
            small.length,
            out -> out.write(small),
            () -> {
              throw new AssertionError("not compressed");
            });
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

  @Test
  void trimmed_borrowedArray_copiedEvenWhenExact_soACacheNeverHoldsIt() throws IOException {
    byte[] borrowed = JSON.clone();
    Body body = Body.json(ByteBuffer.wrap(borrowed), () -> {});
    Body kept = body.trimmed();
    assertTrue(kept.content().array() != borrowed, "a cache must not hold a borrowed array");
    java.util.Arrays.fill(borrowed, (byte) 'x'); // the array is reused for another answer
    assertArrayEquals(JSON, written(kept, false));
  }

  @Test
  void whenSent_borrowedArray_givenBackBeforeTheCallbackCompletes() {
    List<String> events = new ArrayList<>();
    Body body = Body.json(ByteBuffer.wrap(JSON.clone()), () -> events.add("given back"));
    body.whenSent(Callback.from(() -> events.add("completed"))).succeeded();
    assertEquals(List.of("given back", "completed"), events);
    events.clear();
    body.whenSent(Callback.from(() -> {}, failure -> events.add("failed")))
        .failed(new IOException());
    assertEquals(List.of("given back", "failed"), events);
    Callback plain = Callback.from(() -> {});
    assertTrue(Body.json(JSON).whenSent(plain) == plain, "nothing borrowed, nothing to give back");
  }
}
