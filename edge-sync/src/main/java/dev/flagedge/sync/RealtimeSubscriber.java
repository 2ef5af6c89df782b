package dev.flagedge.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagedge.sync.internal.Json;
import dev.flagedge.sync.internal.Keys;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;

/**
 * Follows Flagsmith's realtime stream ({@code {base}sse/environments/{client_key}/stream}) for each
 * upstream environment and asks for a fetch as soon as an event carries an {@code updated_at} newer
 * than the served document's; polling goes on as the fallback. A stream that ends is reopened at
 * once (the service ends them every 30 s), at most once a second; one that fails, after a jittered
 * backoff of 1 s doubling to 60 s.
 */
final class RealtimeSubscriber implements AutoCloseable {
  private static final System.Logger logger = System.getLogger(RealtimeSubscriber.class.getName());
  private static final long MAX_BACKOFF_MILLIS = 60_000;

  private final HttpUrl base;
  private final EventSource.Factory factory;
  private final ScheduledExecutorService scheduler;
  private final InstantSource clock;
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param base the realtime service's base URL, e.g. {@code https://realtime.flagsmith.com/}
   * @param http the client to use; streams get their own read timeout
   * @param scheduler where reconnections wait
   * @param clock measures how long a stream was open, for the once-a-second reopening limit
   */
  RealtimeSubscriber(
      HttpUrl base, OkHttpClient http, ScheduledExecutorService scheduler, InstantSource clock) {
    this.base = base;
    // A quiet stream sends a keep-alive every 15 s; a minute without a byte means it is dead.
    // Streams are long calls: OkHttp's default limits (5 per host, 64 in all) would queue all but
    // the first few. Each open stream holds one reader thread of this dispatcher.
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(Integer.MAX_VALUE);
    dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
    this.factory =
        EventSources.createFactory(
            http.newBuilder()
                .dispatcher(dispatcher)
                .callTimeout(Duration.ZERO)
                .readTimeout(Duration.ofMinutes(1))
                .build());
    this.scheduler = scheduler;
    this.clock = clock;
  }

  /**
   * Follows an environment's stream.
   *
   * @param clientKey the environment's client-side key
   * @param slot whose document's {@code updated_at} events are compared with
   * @param fetch asks for a fetch of the environment now
   */
  void follow(String clientKey, EnvironmentSlot slot, Consumer<EnvironmentSlot> fetch) {
    if (closed) {
      return;
    }
    Subscription subscription = new Subscription(clientKey, slot, fetch);
    if (subscriptions.putIfAbsent(clientKey, subscription) == null) {
      subscription.open();
    }
  }

  /** Stops following an environment's stream. */
  void unfollow(String clientKey) {
    Subscription subscription = subscriptions.remove(clientKey);
    if (subscription != null) {
      subscription.cancel();
    }
  }

  @Override
  public void close() {
    closed = true;
    subscriptions.values().forEach(Subscription::cancel);
    subscriptions.clear();
  }

  /** The epoch seconds of a document's {@code updated_at}, or NaN. */
  static double epochSeconds(String iso) {
    return iso == null
        ? Double.NaN
        : HttpDates.parseIso(iso)
            .map(at -> at.getEpochSecond() + at.getNano() / 1e9)
            .orElse(Double.NaN);
  }

  private final class Subscription extends EventSourceListener {
    private final String clientKey;
    private final EnvironmentSlot slot;
    private final Consumer<EnvironmentSlot> fetch;
    private final HttpUrl url;
    private volatile EventSource source;
    private volatile boolean canceled;
    private volatile Instant openedAt;
    private long backoffMillis = 1_000;

    Subscription(String clientKey, EnvironmentSlot slot, Consumer<EnvironmentSlot> fetch) {
      this.clientKey = clientKey;
      this.slot = slot;
      this.fetch = fetch;
      this.url =
          base.newBuilder()
              .addPathSegment("sse")
              .addPathSegment("environments")
              .addPathSegment(clientKey)
              .addPathSegment("stream")
              .build();
    }

    void open() {
      if (!canceled && !closed) {
        openedAt = clock.instant();
        EventSource opened =
            factory.newEventSource(
                new Request.Builder().url(url).header("Accept", "text/event-stream").build(), this);
        source = opened;
        if (canceled || closed) {
          opened.cancel(); // cancel() ran meanwhile and saw the previous source
        }
      }
    }

    void cancel() {
      canceled = true;
      EventSource current = source;
      if (current != null) {
        current.cancel();
      }
    }

    @Override
    public void onOpen(EventSource eventSource, Response response) {
      backoffMillis = 1_000;
    }

    @Override
    public void onEvent(EventSource eventSource, String id, String type, String data) {
      double updatedAt;
      try {
        JsonNode event = Json.MAPPER.readTree(data);
        JsonNode value = event == null ? null : event.get("updated_at");
        updatedAt = value != null && value.isNumber() ? value.doubleValue() : Double.NaN;
      } catch (IOException e) {
        updatedAt = Double.NaN;
      }
      if (Double.isNaN(updatedAt)) {
        logger.log(
            Level.DEBUG,
            "realtime event for {0} without a numeric updated_at: {1}",
            Keys.mask(clientKey),
            data);
        return;
      }
      double served =
          slot.current()
              .flatMap(l -> l.environment().updatedAt())
              .map(RealtimeSubscriber::epochSeconds)
              .orElse(Double.NaN);
      // Anything newer than the served document, by more than the float's precision, is fetched.
      if (Double.isNaN(served) || updatedAt > served + 1e-6) {
        fetch.accept(slot);
      }
    }

    @Override
    public void onClosed(EventSource eventSource) {
      // At once, but not more than once a second: a service that ends streams straight away must
      // not be asked in a tight loop. Bounded both ways, as a wall clock may step back.
      long open = Duration.between(openedAt, clock.instant()).toMillis();
      reopen(Math.min(1_000, Math.max(0, 1_000 - open)));
    }

    @Override
    public void onFailure(EventSource eventSource, Throwable failure, Response response) {
      if (canceled || closed) {
        return;
      }
      long wait = backoffMillis;
      backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
      logger.log(
          Level.DEBUG,
          "realtime stream for {0} failed ({1}); reconnecting in {2} ms",
          Keys.mask(clientKey),
          failure != null
              ? failure.toString()
              : "HTTP " + (response == null ? "?" : response.code()),
          wait);
      reopen(wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1));
    }

    private void reopen(long delayMillis) {
      if (canceled || closed) {
        return;
      }
      try {
        scheduler.schedule(this::open, delayMillis, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }
}
