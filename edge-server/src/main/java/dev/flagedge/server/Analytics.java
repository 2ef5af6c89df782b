package dev.flagedge.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flagedge.sync.UpstreamObserver;
import dev.flagedge.sync.internal.Keys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Flag analytics from SDKs ({@code POST /api/v1/analytics/flags/}, which the reference proxy
 * lacks): counts are added up per environment in memory and sent upstream in one batch per
 * interval, with the client key. Sending never blocks or fails an SDK request; a failed batch is
 * dropped and logged.
 */
final class Analytics implements AutoCloseable {
  private static final System.Logger logger = System.getLogger(Analytics.class.getName());

  private final URI endpoint;
  private final Set<String> forwardedKeys;
  private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();
  private final HttpClient client;
  private final ScheduledExecutorService scheduler;
  private final UpstreamObserver observer;

  Analytics(
      URI apiUrl,
      Set<String> forwardedKeys,
      Duration interval,
      Duration timeout,
      UpstreamObserver observer) {
    this.observer = observer;
    this.endpoint = URI.create(apiUrl.toString().replaceAll("/+$", "") + "/analytics/flags/");
    this.forwardedKeys = Set.copyOf(forwardedKeys);
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "edge-server-analytics");
              thread.setDaemon(true);
              return thread;
            });
    scheduler.scheduleWithFixedDelay(
        this::flush, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Adds one SDK report: a JSON object of feature name to evaluation count. */
  void record(String clientKey, byte[] body) {
    JsonNode report;
    try {
      report = Json.MAPPER.readTree(body);
    } catch (java.io.IOException e) {
      report = null;
    }
    if (report == null || !report.isObject()) {
      throw ApiException.of(
          400, "bad_request", "analytics body must be a JSON object of feature name to count");
    }
    if (!forwardedKeys.contains(clientKey)) {
      return;
    }
    Map<String, LongAdder> environment =
        counts.computeIfAbsent(clientKey, k -> new ConcurrentHashMap<>());
    for (Map.Entry<String, JsonNode> entry : report.properties()) {
      if (entry.getValue().canConvertToLong() && entry.getValue().longValue() > 0) {
        environment
            .computeIfAbsent(entry.getKey(), k -> new LongAdder())
            .add(entry.getValue().longValue());
      }
    }
  }

  /** Sends and clears the counts gathered so far. */
  void flush() {
    for (Map.Entry<String, Map<String, LongAdder>> environment : counts.entrySet()) {
      ObjectNode batch = Json.MAPPER.createObjectNode();
      for (Map.Entry<String, LongAdder> feature : environment.getValue().entrySet()) {
        long count = feature.getValue().sumThenReset();
        if (count > 0) {
          batch.put(feature.getKey(), count);
        }
      }
      if (batch.size() > 0) {
        send(environment.getKey(), batch);
      }
    }
  }

  private void send(String clientKey, ObjectNode batch) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header(Environments.KEY_HEADER, clientKey)
            .POST(HttpRequest.BodyPublishers.ofString(batch.toString()));
    UpstreamObserver.Exchange exchange =
        observer.start(UpstreamCalls.of("POST", "/analytics/flags/", endpoint), request::header);
    client
        .sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (r, e) -> {
              UpstreamCalls.ended(exchange, r == null ? 0 : r.statusCode(), e);
              if (e != null || r.statusCode() >= 300) {
                logger.log(
                    System.Logger.Level.WARNING,
                    "analytics batch for {0} not accepted: {1}",
                    Keys.mask(clientKey),
                    e != null ? e.toString() : "HTTP " + r.statusCode());
              }
            });
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    flush();
  }
}
