package io.edgecam.matcher.metrics;

import io.edgecam.matcher.calibration.OperatingPoint;
import io.edgecam.matcher.ingest.CandidateHandler;
import io.edgecam.matcher.ingest.IngestCounters;
import io.edgecam.matcher.ingest.MalformedReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The matcher's Prometheus metrics (names as scraped):
 *
 * <ul>
 *   <li>{@code edgecam_matcher_candidates_received_total}, {@code _matches_total}, {@code
 *       _duplicates_total}, {@code _discarded_total}: from the ingest counters
 *   <li>{@code edgecam_matcher_rejected_total{reason="topic|payload|device-mismatch|dimensions|
 *       model|sealed|unsealed|revoked"}}: malformed candidates by {@link MalformedReason}, every
 *       reason present from start
 *   <li>{@code edgecam_matcher_alerts_total}: alerts handed to delivery (MQTT, webhook, listeners)
 *   <li>{@code edgecam_matcher_alerts_dropped_total}: alerts the full delivery queue refused
 *   <li>{@code edgecam_matcher_match_latency_seconds}: time to decide one candidate (parse, dedup,
 *       search, store when matched), a timer
 *   <li>{@code edgecam_matcher_watchlist_entries}: entries in the index (gauge)
 *   <li>{@code edgecam_matcher_threshold}, {@code _expected_false_alarm_rate}, {@code
 *       _expected_false_alarms_per_1000_strangers}, {@code _target_false_alarm_rate}, {@code
 *       _expected_miss_rate} (NaN when unknown), {@code _operating_point_supported} (1 or 0): the
 *       operating point (gauges, once {@link #operatingPoint} was called)
 * </ul>
 *
 * {@link #scrape()} is what the REST server mounts at {@code /metrics}; without one, the matcher
 * can serve it on its own small endpoint ({@code metrics:} in matcher.yaml). Thread-safe.
 */
public final class MatcherMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer matchLatency;
  private final Counter alerts;
  private final IngestCounters counters;
  private final LongSupplier alertsDropped;

  /**
   * @param counters the ingest counters, read at scrape time
   * @param watchlistSize entries in the index
   * @param alertsDropped alerts refused by the full delivery queue
   */
  public MatcherMetrics(
      IngestCounters counters, LongSupplier watchlistSize, LongSupplier alertsDropped) {
    this.counters = counters; // held weakly by the function counters
    counter(
        counters, "edgecam.matcher.candidates.received", "Candidates received", s -> s.received());
    counter(
        counters, "edgecam.matcher.matches", "Candidates that matched an entry", s -> s.matched());
    counter(
        counters,
        "edgecam.matcher.duplicates",
        "Candidates already processed (redelivery)",
        s -> s.duplicates());
    counter(
        counters,
        "edgecam.matcher.discarded",
        "Candidates that matched nothing (dropped, never stored)",
        s -> s.discarded());
    for (MalformedReason reason : MalformedReason.values()) {
      FunctionCounter.builder(
              "edgecam.matcher.rejected",
              counters,
              c -> c.snapshot().malformedByReason().getOrDefault(reason.key(), 0L))
          .description("Candidates rejected as malformed, by reason")
          .tag("reason", reason.key())
          .register(registry);
    }
    alerts =
        Counter.builder("edgecam.matcher.alerts")
            .description("Alerts handed to delivery (MQTT, webhook, listeners)")
            .register(registry);
    // Micrometer holds a function counter's state object weakly: this one must stay reachable.
    this.alertsDropped = alertsDropped;
    FunctionCounter.builder("edgecam.matcher.alerts.dropped", alertsDropped, s -> s.getAsLong())
        .description("Alerts the full delivery queue refused (they stay stored)")
        .register(registry);
    matchLatency =
        Timer.builder("edgecam.matcher.match.latency")
            .description("Deciding one candidate: parse, dedup, search, store when matched")
            .register(registry);
    Gauge.builder("edgecam.matcher.watchlist.entries", watchlistSize, LongSupplier::getAsLong)
        .description("Watchlist entries in the index")
        .strongReference(true)
        .register(registry);
  }

  private void counter(
      IngestCounters counters,
      String name,
      String help,
      ToLongFunction<IngestCounters.Snapshot> value) {
    FunctionCounter.builder(name, counters, c -> value.applyAsLong(c.snapshot()))
        .description(help)
        .register(registry);
  }

  /** Adds the operating point's gauges, read from {@code point} at every scrape. */
  public void operatingPoint(Supplier<OperatingPoint> point) {
    gauge(
        "edgecam.matcher.threshold",
        "Effective global match threshold (cosine)",
        point,
        p -> p.threshold());
    gauge(
        "edgecam.matcher.expected.false.alarm.rate",
        "Expected false alarms per stranger at the current list size (upper bound)",
        point,
        p -> p.expectedFpir());
    gauge(
        "edgecam.matcher.expected.false.alarms.per.1000.strangers",
        "Expected false alarms per 1,000 strangers at the current list size (upper bound)",
        point,
        p -> p.falseAlarmsPer1000());
    gauge(
        "edgecam.matcher.target.false.alarm.rate",
        "thresholds.targetFalseAlarmRate",
        point,
        p -> p.targetFpir());
    gauge(
        "edgecam.matcher.expected.miss.rate",
        "Share of the calibration's genuine pairs below the threshold (NaN: unknown)",
        point,
        p -> p.fnmr() == null ? Double.NaN : p.fnmr());
    gauge(
        "edgecam.matcher.operating.point.supported",
        "1 when the expected false alarms are within the target, else 0",
        point,
        p -> p.supported() ? 1 : 0);
  }

  private void gauge(
      String name,
      String help,
      Supplier<OperatingPoint> point,
      ToDoubleFunction<OperatingPoint> value) {
    Gauge.builder(name, point, s -> value.applyAsDouble(s.get()))
        .description(help)
        .strongReference(true)
        .register(registry);
  }

  /** Wraps {@code handler} so that every candidate's decision time is recorded. */
  public CandidateHandler timed(CandidateHandler handler) {
    return (topic, payload) -> {
      long started = System.nanoTime();
      try {
        handler.handle(topic, payload);
      } finally {
        matchLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      }
    };
  }

  /** Counts an alert handed to delivery. */
  public void alert() {
    alerts.increment();
  }

  /** Prometheus text format of every meter: what {@code GET /metrics} returns. */
  public String scrape() {
    return registry.scrape();
  }

  /** The registry, to add meters (e.g. the REST server's). */
  public PrometheusMeterRegistry registry() {
    return registry;
  }
}
