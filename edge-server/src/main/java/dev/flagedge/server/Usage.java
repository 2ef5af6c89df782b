package dev.flagedge.server;

import dev.flagedge.engine.internal.JsonWriter;
import dev.flagedge.sync.UpstreamObserver;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Usage reporting with a proxy key, as Flagsmith's proxies do: successful answers of the SDK
 * endpoints are counted per environment (client key) and resource, and sent every interval to
 * {@code POST {api_url}/proxy/usage/} as a bare array of {@code {client_side_key, resource,
 * count}}, at most {@value #MAX_ROWS} rows per request, each request with its own {@code
 * Idempotency-Key}. A 2xx answer settles a request; a 4xx drops it (logged); a 5xx, 408, 429 or a
 * network error keeps it, and it is sent again unchanged, same key, before any newer counts. What
 * is pending is sent on close. Memory: one counter per environment and resource, and the batches
 * the upstream has not taken.
 */
final class Usage implements AutoCloseable {
  static final int MAX_ROWS = 1_000;

  /** Counts nothing: the server has no proxy key. */
  static final Usage OFF = new Usage();

  private static final System.Logger logger = System.getLogger(Usage.class.getName());

  /** What was answered. */
  enum Resource {
    FLAGS("flags"),
    IDENTITIES("identities"),
    ENVIRONMENT_DOCUMENT("environment-document");

    private final String wireName;

    Resource(String wireName) {
      this.wireName = wireName;
    }

    /** The resource a route answers (routes are named like the resources), or null. */
    static Resource ofRoute(String route) {
      for (Resource resource : values()) {
        if (resource.wireName.equals(route)) {
          return resource;
        }
      }
      return null;
    }
  }

  private record Key(String clientKey, Resource resource) {}

  /** One request's worth of rows, with the idempotency key it keeps until it is settled. */
  private record Batch(String idempotencyKey, byte[] json) {
    /** The rows of an array the writer began. */
    static Batch of(JsonWriter rows) {
      return new Batch(UUID.randomUUID().toString(), rows.endArray().toByteArray());
    }
  }

  private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();
  private final Deque<Batch> pending = new ArrayDeque<>(); // guarded by this
  private volatile String proxyKey; // rotated by a reload
  private final UpstreamPost upstream; // null when OFF
  private final PeriodicReporter reporter; // null when OFF

  private Usage() {
    this.proxyKey = null;
    this.upstream = null;
    this.reporter = null;
  }

  Usage(
      URI apiUrl, String proxyKey, Duration interval, Duration timeout, UpstreamObserver observer) {
    this.proxyKey = proxyKey;
    this.upstream = new UpstreamPost(apiUrl, "proxy/usage/", timeout, timeout, observer);
    this.reporter = new PeriodicReporter("usage", interval, timeout, this::flush);
  }

  /** Reports with a rotated proxy key from the next report on; nothing when OFF. */
  void proxyKey(String proxyKey) {
    if (upstream != null) {
      this.proxyKey = proxyKey;
    }
  }

  /** Reports every {@code interval} from now on ({@code usage_flush_interval_seconds}). */
  void flushInterval(Duration interval) {
    if (reporter != null) {
      reporter.interval(interval);
    }
  }

  /** Reports to another API URL, with another timeout, from the next report on. */
  void upstream(URI apiUrl, Duration timeout) {
    if (upstream != null) {
      upstream.change(apiUrl, timeout, timeout);
    }
  }

  /**
   * Counts one answer of a route, if it is a successful answer of an SDK endpoint for a known
   * environment (a server key's request counts under its environment's client key).
   */
  void count(String route, int status, String clientKey) {
    Resource resource;
    if (reporter == null
        || clientKey == null
        || status < 200
        || status >= 300
        || (resource = Resource.ofRoute(route)) == null) {
      return;
    }
    counts.computeIfAbsent(new Key(clientKey, resource), k -> new LongAdder()).increment();
  }

  /**
   * Sends what is pending: first the batches the upstream has not yet taken, then, once none is
   * left, the counts gathered since the last flush.
   */
  synchronized void flush() {
    if (sendPending() && drainCounts()) {
      sendPending();
    }
  }

  /** Moves the counts into new batches; false when there were none. */
  private boolean drainCounts() {
    JsonWriter batch = null;
    int rows = 0;
    for (Map.Entry<Key, LongAdder> entry : counts.entrySet()) {
      long count = entry.getValue().sumThenReset();
      if (count <= 0) {
        continue;
      }
      if (rows % MAX_ROWS == 0) {
        if (batch != null) {
          pending.add(Batch.of(batch));
        }
        batch = new JsonWriter(64 * Math.min(counts.size(), MAX_ROWS)).beginArray();
      }
      batch
          .beginObject()
          .name("client_side_key")
          .value(entry.getKey().clientKey())
          .name("resource")
          .value(entry.getKey().resource().wireName)
          .name("count")
          .value(count)
          .endObject();
      rows++;
    }
    if (batch != null) {
      pending.add(Batch.of(batch));
    }
    return rows > 0;
  }

  /** Sends the pending batches in order; false if one must wait for the next flush. */
  private boolean sendPending() {
    while (!pending.isEmpty()) {
      Batch batch = pending.peek();
      Integer status = send(batch);
      if (status == null || status >= 500 || status == 408 || status == 429) {
        return false; // kept, unchanged, for the next flush (timeouts and throttling included)
      }
      if (status >= 300) {
        logger.log(
            System.Logger.Level.WARNING,
            "usage report refused with HTTP {0}; its counts " + "are dropped",
            status);
      }
      pending.poll();
    }
    return true;
  }

  /** The answer's status, or null when there was none. */
  private Integer send(Batch batch) {
    try {
      return upstream.post(
          batch.json(), "X-Proxy-Key", proxyKey, "Idempotency-Key", batch.idempotencyKey());
    } catch (IOException e) {
      logger.log(
          System.Logger.Level.WARNING,
          "usage report not sent ({0}); retrying with the "
              + "same Idempotency-Key at the next flush",
          e.toString());
      return null;
    }
  }

  /** Stops the schedule and sends what is pending, once. */
  @Override
  public void close() {
    if (reporter != null) {
      reporter.close();
      upstream.close();
    }
  }
}
