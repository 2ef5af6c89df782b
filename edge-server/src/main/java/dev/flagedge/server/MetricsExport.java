package dev.flagedge.server;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.opentelemetry.api.metrics.ObservableMeasurement;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.HashMap;
import java.util.Map;

/**
 * The server's Prometheus metrics as OpenTelemetry asynchronous instruments: one callback reads the
 * registry at each OTLP export, so that both exports show the same counts from one bookkeeping and
 * a request pays for one. Counters and gauges keep their names (without {@code _total}), help and
 * labels; histograms are left to {@code http.server.request.duration}, recorded by the request's
 * trace.
 */
final class MetricsExport {
  private MetricsExport() {}

  static BatchCallback register(Meter meter, PrometheusRegistry registry) {
    Map<String, ObservableDoubleMeasurement> instruments = new HashMap<>();
    for (MetricSnapshot snapshot : registry.scrape()) {
      String name = snapshot.getMetadata().getName();
      String help = snapshot.getMetadata().getHelp();
      if (snapshot instanceof CounterSnapshot) {
        instruments.put(
            name, meter.counterBuilder(name).ofDoubles().setDescription(help).buildObserver());
      } else if (snapshot instanceof GaugeSnapshot) {
        instruments.put(name, meter.gaugeBuilder(name).setDescription(help).buildObserver());
      }
    }
    ObservableMeasurement[] all = instruments.values().toArray(new ObservableMeasurement[0]);
    return meter.batchCallback(
        () -> observe(registry, instruments),
        all[0],
        java.util.Arrays.copyOfRange(all, 1, all.length));
  }

  private static void observe(
      PrometheusRegistry registry, Map<String, ObservableDoubleMeasurement> instruments) {
    for (MetricSnapshot snapshot : registry.scrape()) {
      ObservableDoubleMeasurement instrument = instruments.get(snapshot.getMetadata().getName());
      if (instrument == null) {
        continue;
      }
      if (snapshot instanceof CounterSnapshot counter) {
        for (CounterSnapshot.CounterDataPointSnapshot point : counter.getDataPoints()) {
          instrument.record(point.getValue(), attributes(point.getLabels()));
        }
      } else if (snapshot instanceof GaugeSnapshot gauge) {
        for (GaugeSnapshot.GaugeDataPointSnapshot point : gauge.getDataPoints()) {
          instrument.record(point.getValue(), attributes(point.getLabels()));
        }
      }
    }
  }

  private static Attributes attributes(Labels labels) {
    AttributesBuilder attributes = Attributes.builder();
    for (Label label : labels) {
      attributes.put(label.getName(), label.getValue());
    }
    return attributes.build();
  }
}
