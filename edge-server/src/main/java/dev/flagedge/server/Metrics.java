package dev.flagedge.server;

import dev.flagedge.sync.EnvironmentSync;
import dev.flagedge.sync.SyncListener;
import dev.flagedge.sync.SyncStatus;
import dev.flagedge.sync.internal.Keys;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prometheus metrics: requests by route and status, latency, evaluations, and per-environment
 * document age, updates and fetch failures. Environment labels are masked keys, never whole keys.
 */
final class Metrics implements SyncListener {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter requests =
      Counter.builder()
          .name("flagedge_http_requests")
          .help("HTTP requests by route and status")
          .labelNames("route", "status")
          .register(registry);
  private final Histogram latency =
      Histogram.builder()
          .name("flagedge_http_request_duration_seconds")
          .help("HTTP request latency by route")
          .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1)
          // The text format shows only classic buckets; native ones cost a map update per request.
          .classicOnly()
          .labelNames("route")
          .register(registry);
  private final Counter evaluations =
      Counter.builder()
          .name("flagedge_evaluations")
          .help("Flag evaluations by kind (environment, identity)")
          .labelNames("kind")
          .register(registry);
  private final Counter updates =
      Counter.builder()
          .name("flagedge_document_updates")
          .help("Environment documents replaced by a newer one")
          .labelNames("environment")
          .register(registry);
  private final Counter failures =
      Counter.builder()
          .name("flagedge_document_fetch_failures")
          .help("Failed environment document fetches")
          .labelNames("environment")
          .register(registry);

  private final Counter reloads =
      Counter.builder()
          .name("flagedge_config_reloads")
          .help("Configuration reloads by result: applied, unchanged or failed")
          .labelNames("result")
          .register(registry);

  // The data points a request updates, by route (and status): finding them by label values on
  // every request allocated the label array and hashed it.
  private final StatusTable<CounterDataPoint> requestPoints = new StatusTable<>();
  private final Map<String, DistributionDataPoint> latencyPoints = new ConcurrentHashMap<>();
  private final Map<String, CounterDataPoint> evaluationPoints = new ConcurrentHashMap<>();

  private final Clock clock;

  Metrics(Clock clock) {
    this.clock = clock;
  }

  /** Adds the per-environment document age, read from the sync at each scrape. */
  void watch(EnvironmentSync sync) {
    GaugeWithCallback.builder()
        .name("flagedge_document_age_seconds")
        .help("Seconds since the environment document was last fetched or confirmed")
        .labelNames("environment")
        .callback(
            callback -> {
              Instant now = clock.instant();
              for (SyncStatus status : sync.statuses()) {
                status
                    .lastSuccess()
                    .ifPresent(
                        at ->
                            callback.call(
                                Duration.between(at, now).toMillis() / 1000.0,
                                label(status.clientKey())));
              }
            })
        .register(registry);
  }

  /** Adds the proxy inventory's state, read from the sync at each scrape. */
  void watchInventory(EnvironmentSync sync) {
    if (sync.inventoryStatus().isEmpty()) {
      return;
    }
    GaugeWithCallback.builder()
        .name("flagedge_proxy_inventory_environments")
        .help("Environments the proxy inventory gives")
        .callback(
            callback ->
                sync.inventoryStatus()
                    .ifPresent(inventory -> callback.call(inventory.environments())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("flagedge_proxy_inventory_consecutive_failures")
        .help("Failed reads of the proxy inventory since the last successful one")
        .callback(
            callback ->
                sync.inventoryStatus()
                    .ifPresent(inventory -> callback.call(inventory.consecutiveFailures())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("flagedge_proxy_inventory_age_seconds")
        .help("Seconds since the proxy inventory was last read successfully")
        .callback(
            callback ->
                sync.inventoryStatus()
                    .flatMap(i -> i.lastSuccess())
                    .ifPresent(
                        at ->
                            callback.call(
                                Duration.between(at, clock.instant()).toMillis() / 1000.0)))
        .register(registry);
  }

  /** Adds the identity response cache's hits, misses, evictions and size, read at each scrape. */
  void watch(ResponseCache cache) {
    CounterWithCallback.builder()
        .name("flagedge_response_cache_requests")
        .help("Identity response cache lookups by result (hit, miss)")
        .labelNames("result")
        .callback(
            callback ->
                cache
                    .stats()
                    .ifPresent(
                        stats -> {
                          callback.call(stats.hitCount(), "hit");
                          callback.call(stats.missCount(), "miss");
                        }))
        .register(registry);
    CounterWithCallback.builder()
        .name("flagedge_response_cache_evictions")
        .help("Identity responses evicted to stay within the cache's byte budget")
        .callback(
            callback -> cache.stats().ifPresent(stats -> callback.call(stats.evictionCount())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("flagedge_response_cache_bytes")
        .help("Estimated bytes held by the identity response cache")
        .callback(callback -> callback.call(cache.weightedSize()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("flagedge_response_cache_max_bytes")
        .help("The identity response cache's byte budget (response_cache_bytes; 0: off)")
        .callback(callback -> callback.call(cache.maxBytes()))
        .register(registry);
  }

  void request(String route, int status, long nanos) {
    requestPoint(route, status).inc();
    latencyPoints.computeIfAbsent(route, latency::labelValues).observe(nanos / 1e9);
  }

  private CounterDataPoint requestPoint(String route, int status) {
    CounterDataPoint point = requestPoints.get(route, status);
    return point != null
        ? point
        : requestPoints.put(route, status, requests.labelValues(route, Integer.toString(status)));
  }

  void reload(String result) {
    reloads.labelValues(result).inc();
  }

  void evaluation(String kind) {
    evaluationPoints.computeIfAbsent(kind, evaluations::labelValues).inc();
  }

  @Override
  public void onChange(String clientKey, dev.flagedge.sync.LoadedEnvironment current) {
    updates.labelValues(label(clientKey)).inc();
  }

  @Override
  public void onFailure(
      String clientKey, dev.flagedge.sync.SyncFailure failure, int consecutiveFailures) {
    failures.labelValues(label(clientKey)).inc();
  }

  /** The one bookkeeping: {@code /metrics} writes it, and OTLP exports read it. */
  PrometheusRegistry registry() {
    return registry;
  }

  Body scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    writer.write(out, registry.scrape());
    return new Body(out.toByteArray(), PrometheusTextFormatWriter.CONTENT_TYPE);
  }

  /**
   * A metric label for an environment: the masked key and the start of its SHA-256, so that keys
   * sharing a prefix stay apart (a registry refuses two series with the same labels) while nothing
   * of the rest of the key shows.
   */
  static String label(String key) {
    byte[] digest = Keys.sha256(key.getBytes(StandardCharsets.UTF_8));
    return Keys.mask(key) + HexFormat.of().formatHex(digest, 0, 3);
  }
}
