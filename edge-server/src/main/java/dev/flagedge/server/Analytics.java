package dev.flagedge.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagedge.engine.internal.JsonWriter;
import dev.flagedge.sync.UpstreamObserver;
import dev.flagedge.sync.internal.Keys;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Flag analytics from SDKs ({@code POST /api/v1/analytics/flags/}, which the reference proxy
 * lacks): counts are added up per environment in memory and sent upstream in one batch per
 * interval, with the client key, and on close. Sending never blocks or fails an SDK request; a
 * failed batch is dropped and logged.
 */
final class Analytics implements AutoCloseable {
  private static final System.Logger logger = System.getLogger(Analytics.class.getName());

  /** The longest call upstream, connection included. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final Set<String> forwardedKeys;
  private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();
  private final UpstreamPost upstream;
  private final PeriodicReporter reporter;

  Analytics(
      URI apiUrl,
      Set<String> forwardedKeys,
      Duration interval,
      Duration connectTimeout,
      UpstreamObserver observer) {
    this.forwardedKeys = Set.copyOf(forwardedKeys);
    this.upstream =
        new UpstreamPost(apiUrl, "analytics/flags/", connectTimeout, CALL_TIMEOUT, observer);
    this.reporter = new PeriodicReporter("analytics", interval, CALL_TIMEOUT, this::flush);
  }

  /** Sends to another API URL, with another connect timeout, from the next batch on. */
  void upstream(URI apiUrl, Duration connectTimeout) {
    upstream.change(apiUrl, connectTimeout, CALL_TIMEOUT);
  }

  /** Adds one SDK report: a JSON object of feature name to evaluation count. */
  void record(String clientKey, byte[] body) {
    JsonNode report;
    try {
      report = Json.MAPPER.readTree(body);
    } catch (IOException e) {
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
      JsonWriter batch = new JsonWriter(256).beginObject();
      boolean counted = false;
      for (Map.Entry<String, LongAdder> feature : environment.getValue().entrySet()) {
        long count = feature.getValue().sumThenReset();
        if (count > 0) {
          batch.name(feature.getKey()).value(count);
          counted = true;
        }
      }
      if (counted) {
        send(environment.getKey(), batch.endObject().toByteArray());
      }
    }
  }

  private void send(String clientKey, byte[] batch) {
    String failure;
    try {
      int status = upstream.post(batch, Environments.KEY_HEADER, clientKey);
      failure = status >= 300 ? "HTTP " + status : null;
    } catch (IOException e) {
      failure = e.toString();
    }
    if (failure != null) {
      logger.log(
          System.Logger.Level.WARNING,
          "analytics batch for {0} not accepted: {1}",
          Keys.mask(clientKey),
          failure);
    }
  }

  /** Stops the schedule and sends what was gathered since the last batch. */
  @Override
  public void close() {
    reporter.close();
    upstream.close();
  }
}
