package dev.flagedge.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Identity responses already computed, for the whole server, bounded in bytes: an SDK that asks for
 * the same identity with the same traits again is answered without parsing or evaluating. Entries
 * are keyed by the document generation they were computed from, so a new document never sees an old
 * answer, and its predecessor's entries are dropped at once ({@link #invalidate(long)}).
 *
 * <p>Only a request that comes back is cached: the first time a request is seen, only its
 * fingerprint is remembered (in a fixed table of {@value #SEEN_SLOTS} slots, 512 KiB); the second
 * time, its response is cached. A stream of one-off identities then costs a fingerprint each,
 * instead of filling the cache — and the heap's old generation — with responses no one asks for
 * again.
 *
 * <p>The budget is the server's, not one per environment, so memory does not grow with the number
 * of environments times identities. Default: {@link #defaultBudget()}.
 */
final class ResponseCache {
  /** Upper bound of the default budget. */
  static final long DEFAULT_MAX_BYTES = 32L << 20;

  /**
   * Map entry, key and body objects and their headers, per entry, measured with a heap histogram.
   */
  private static final int ENTRY_OVERHEAD = 160;

  /** Fingerprints of requests seen once; a power of two. */
  static final int SEEN_SLOTS = 1 << 16;

  // Built even when off, so that a reload can turn it on (resize) without replacing it.
  private final Cache<Key, Body> cache;
  private volatile long[] seen;
  private volatile long maxBytes;

  private ResponseCache(long maxBytes) {
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher(ResponseCache::weight)
            .recordStats()
            // Evict on the inserting thread: the bound holds at every moment, even when a busy
            // machine would starve a background maintenance task.
            .executor(Runnable::run)
            .build();
    resize(maxBytes);
  }

  /**
   * Changes the budget while the server runs ({@code response_cache_bytes} reloaded): a smaller one
   * evicts at once, 0 empties the cache and turns it off, a larger one lets it grow.
   */
  void resize(long bytes) {
    Settings.RESPONSE_CACHE_BYTES.validate(bytes);
    if (bytes > 0 && seen == null) {
      seen = new long[SEEN_SLOTS]; // only while on: 512 KiB
    }
    maxBytes = bytes;
    cache.policy().eviction().orElseThrow().setMaximum(bytes);
    if (bytes == 0) {
      cache.invalidateAll();
    }
  }

  /**
   * @param maxBytes the budget in bytes; 0 turns caching off
   */
  static ResponseCache ofBytes(long maxBytes) {
    return new ResponseCache(Settings.RESPONSE_CACHE_BYTES.validate(maxBytes));
  }

  /** 32 MiB or an eighth of the maximum heap, whichever is smaller. */
  static long defaultBudget() {
    return Math.min(DEFAULT_MAX_BYTES, Runtime.getRuntime().maxMemory() / 8);
  }

  /** The cached response for the key, or the computed one (cached for next time). */
  Body get(Key key, Supplier<Body> compute) {
    long[] seen = this.seen;
    if (maxBytes == 0 || seen == null) {
      return compute.get();
    }
    Body cached = cache.getIfPresent(key);
    if (cached != null) {
      return cached;
    }
    // Computed outside the cache's lock: identical concurrent requests may both compute, which is
    // cheaper than making every miss wait on a shared lock.
    Body computed = compute.get();
    if (seenBefore(seen, key)) {
      cache.put(key, computed.forCache());
    }
    return computed;
  }

  /**
   * Whether the request was seen recently, remembering it if not. Unsynchronised on purpose: a lost
   * or colliding fingerprint only decides whether an exact response is cached one request sooner or
   * later.
   */
  private static boolean seenBefore(long[] seen, Key key) {
    int slot = (key.hash ^ key.hash >>> 16) & (SEEN_SLOTS - 1);
    if (seen[slot] == key.fingerprint) {
      return true;
    }
    seen[slot] = key.fingerprint;
    return false;
  }

  /** Drops every entry computed from a document generation that is no longer served. */
  void invalidate(long generation) {
    cache.asMap().keySet().removeIf(key -> key.generation == generation);
  }

  long maxBytes() {
    return maxBytes;
  }

  /** Hits, misses and evictions so far; empty when caching is off. */
  Optional<CacheStats> stats() {
    return maxBytes == 0 ? Optional.empty() : Optional.of(cache.stats());
  }

  /** The bytes currently held, by the weigher's estimate. */
  long weightedSize() {
    return cache.policy().eviction().orElseThrow().weightedSize().orElse(0);
  }

  private static int weight(Key key, Body body) {
    // A compressible body may also hold its gzip form, typically under a quarter of its size.
    int gzip = body.compressible() ? body.length() / 4 : 0;
    return ENTRY_OVERHEAD + key.request.length + body.length() + gzip;
  }

  /**
   * A request as the cache sees it: the document generation, what kind of request for which key
   * type, and the request's bytes (the POST body, or the GET identifier).
   */
  static final class Key {
    private final long generation;
    private final byte kind;
    private final byte[] request;
    private final int hash;

    /** 64 bits for the doorkeeper. */
    private final long fingerprint;

    Key(long generation, byte kind, byte[] request) {
      this.generation = generation;
      this.kind = kind;
      this.request = request;
      this.fingerprint = RequestHash.of(request, generation * 31 + kind);
      this.hash = Long.hashCode(fingerprint);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key that
          && hash == that.hash
          && generation == that.generation
          && kind == that.kind
          && Arrays.equals(request, that.request);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
