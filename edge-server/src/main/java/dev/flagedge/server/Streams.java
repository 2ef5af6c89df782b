package dev.flagedge.server;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The open realtime streams ({@code GET /sse/environments/{client_key}/stream}), by environment. A
 * stream gets the document's {@code updated_at} at once, and again when a newer document is served;
 * a keep-alive comment after {@link #KEEP_ALIVE} without a frame; and is closed cleanly after the
 * maximum age, since some SDKs only see events, or only reconnect, at the end of a stream. One
 * timer thread serves every stream: an idle stream costs its connection and a small object, no
 * thread.
 */
final class Streams implements AutoCloseable {
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final long TICK_MILLIS = 500;

  private final Map<String, Set<EventStream>> byEnvironment = new ConcurrentHashMap<>();
  private volatile long maxAgeNanos;
  private final ScheduledExecutorService timer;
  private volatile boolean closed;

  /**
   * @param maxAge how long a stream stays open; zero or negative: until the client leaves
   */
  Streams(Duration maxAge) {
    maxAge(maxAge);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "edge-server-streams");
              thread.setDaemon(true);
              return thread;
            });
    timer.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Changes the maximum age ({@code sse_max_stream_age_seconds} reloaded); open streams are held to
   * it from the next tick, measured from when each opened.
   */
  void maxAge(Duration maxAge) {
    this.maxAgeNanos = maxAge.isNegative() || maxAge.isZero() ? Long.MAX_VALUE : maxAge.toNanos();
  }

  /** How long a stream's connection may be silent: keep-alives come well within it. */
  static long idleTimeoutMillis() {
    return KEEP_ALIVE.multipliedBy(2).toMillis();
  }

  /**
   * Registers an opened stream and sends its first frame at once: the event for the environment's
   * current document, or, for an environment without one (unknown, not loaded yet), a keep-alive,
   * so the headers go out.
   */
  void add(EventStream stream, Supplier<Optional<ServedEnvironment>> current) {
    byEnvironment.compute(
        stream.clientKey(),
        (key, streams) -> {
          Set<EventStream> set = streams != null ? streams : ConcurrentHashMap.newKeySet();
          set.add(stream);
          return set;
        });
    if (closed) {
      stream.close();
      return;
    }
    // Read after registering: a change in between is then sent by changed() or seen here.
    Optional<ServedEnvironment> environment = current.get();
    if (environment.isPresent()) {
      stream.changed(new EventStream.Frames(environment.get()));
    }
    if (!stream.hasSent()) {
      stream.ping();
    }
  }

  /** Forgets an ended stream, and its environment's entry once it has none. */
  void remove(EventStream stream) {
    byEnvironment.computeIfPresent(
        stream.clientKey(),
        (key, streams) -> {
          streams.remove(stream);
          return streams.isEmpty() ? null : streams;
        });
  }

  /** A new document is served: each of the environment's streams sends its event if it is news. */
  void changed(String clientKey, ServedEnvironment environment) {
    Set<EventStream> streams = byEnvironment.get(clientKey);
    if (streams != null) {
      EventStream.Frames frames = new EventStream.Frames(environment);
      for (EventStream stream : streams) {
        stream.changed(frames);
      }
    }
  }

  /** An environment is no longer served: its streams end. */
  void removed(String clientKey) {
    Set<EventStream> streams = byEnvironment.remove(clientKey);
    if (streams != null) {
      streams.forEach(EventStream::close);
    }
  }

  /** How many streams are open. */
  int size() {
    return byEnvironment.values().stream().mapToInt(Set::size).sum();
  }

  private void tick() {
    long now = System.nanoTime();
    long keepAlive = KEEP_ALIVE.toNanos();
    for (Set<EventStream> streams : byEnvironment.values()) {
      for (EventStream stream : streams) {
        try {
          if (now - stream.openedAt() >= maxAgeNanos) {
            stream.close();
          } else if (now - stream.lastWriteAt() >= keepAlive) {
            stream.ping();
          }
        } catch (RuntimeException e) {
          System.getLogger(Streams.class.getName())
              .log(System.Logger.Level.WARNING, "realtime stream failed: {0}", e.toString());
        }
      }
    }
  }

  /** Ends every stream cleanly; new ones end at once. */
  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    byEnvironment.values().forEach(streams -> streams.forEach(EventStream::close));
  }
}
