package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ResponseCacheTest {
  private static ResponseCache.Key key(long generation, String request) {
    return new ResponseCache.Key(generation, (byte) 1, request.getBytes(StandardCharsets.UTF_8));
  }

  private static Body body(int size) {
    return Body.json(new byte[size]);
  }

  @Test
  void get_requestSeenOnce_notCached_whenItComesBack_cached() {
    ResponseCache cache = ResponseCache.ofBytes(1 << 20);
    AtomicInteger computed = new AtomicInteger();
    Supplier<Body> compute =
        () -> {
          computed.incrementAndGet();
          return body(10);
        };
    cache.get(key(1, "{\"identifier\":\"a\"}"), compute);
    assertEquals(0, cache.weightedSize(), "a request seen once is not cached");
    Body second = cache.get(key(1, "{\"identifier\":\"a\"}"), compute);
    Body third = cache.get(key(1, "{\"identifier\":\"a\"}"), compute);
    assertFalse(second.fromCache(), "the second request computed its answer");
    assertTrue(third.fromCache(), "the third got the cache's copy");
    assertEquals(second.content(), third.content());
    assertEquals(2, computed.get());
    assertEquals(1, cache.stats().orElseThrow().hitCount());
    assertEquals(2, cache.stats().orElseThrow().missCount());
  }

  @Test
  void get_oneOffRequests_cacheStaysEmpty() {
    ResponseCache cache = ResponseCache.ofBytes(1 << 20);
    for (int i = 0; i < 1_000; i++) {
      cache.get(key(1, "identity-" + i), () -> body(2_000));
    }
    assertEquals(0, cache.weightedSize());
  }

  @Test
  void get_otherGenerationOrKind_notShared() {
    ResponseCache cache = ResponseCache.ofBytes(1 << 20);
    cache.get(key(1, "x"), () -> body(10));
    Body first = cache.get(key(1, "x"), () -> body(10));
    assertNotSame(first, cache.get(key(2, "x"), () -> body(10)));
    assertNotSame(first, cache.get(key(2, "x"), () -> body(10)));
    assertNotSame(
        first,
        cache.get(
            new ResponseCache.Key(1, (byte) 2, "x".getBytes(StandardCharsets.UTF_8)),
            () -> body(10)));
  }

  @Test
  void get_manyUniqueRequests_heldBytesStayWithinBudget() {
    long budget = 256 * 1024;
    ResponseCache cache = ResponseCache.ofBytes(budget);
    for (int i = 0; i < 5_000; i++) {
      cache.get(key(1, "identity-" + i), () -> body(2_000));
      cache.get(key(1, "identity-" + i), () -> body(2_000));
    }
    assertTrue(cache.weightedSize() <= budget, "held " + cache.weightedSize());
    assertTrue(cache.weightedSize() > budget / 2, "held " + cache.weightedSize());
    assertTrue(cache.stats().orElseThrow().evictionCount() > 4_000);
  }

  @Test
  void get_zeroBudget_neverCaches() {
    ResponseCache cache = ResponseCache.ofBytes(0);
    AtomicInteger computed = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      cache.get(
          key(1, "same"),
          () -> {
            computed.incrementAndGet();
            return body(10);
          });
    }
    assertEquals(3, computed.get());
    assertTrue(cache.stats().isEmpty());
    assertEquals(0, cache.weightedSize());
  }

  @Test
  void invalidate_dropsOnlyThatGeneration() {
    ResponseCache cache = ResponseCache.ofBytes(1 << 20);
    cache.get(key(2, "a"), () -> body(10));
    cache.get(key(2, "a"), () -> body(10)); // seen twice: cached
    cache.get(key(1, "a"), () -> body(10));
    cache.get(key(1, "a"), () -> body(10));
    cache.invalidate(1);
    AtomicInteger computed = new AtomicInteger();
    cache.get(
        key(1, "a"),
        () -> {
          computed.incrementAndGet();
          return body(10);
        });
    assertEquals(1, computed.get());
    assertTrue(cache.get(key(2, "a"), () -> body(10)).fromCache(), "generation 2 kept");
  }

  @Test
  void ofBytes_negative_refusedNamingTheKey() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ResponseCache.ofBytes(-1));
    assertTrue(e.getMessage().contains("response_cache_bytes"), e.getMessage());
  }

  @Test
  void defaultBudget_isTheSmallerOf32MiBAndAnEighthOfTheHeap() {
    assertEquals(
        Math.min(32L << 20, Runtime.getRuntime().maxMemory() / 8), ResponseCache.defaultBudget());
  }
}
