package io.edgecam.agent.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The agent's Prometheus metrics (names as scraped):
 *
 * <ul>
 *   <li>{@code edgecam_agent_frames_total}, {@code _faces_total}, {@code _candidates_total}, {@code
 *       _prefiltered_total}: read from the agent's counters at scrape time
 *   <li>{@code edgecam_agent_spool_depth} (gauge), {@code edgecam_agent_spool_dropped_total}
 *   <li>{@code edgecam_agent_published_total}: candidates the broker acknowledged
 *   <li>{@code edgecam_agent_reconnects_total}: successful connects after the first
 *   <li>{@code edgecam_agent_inference_seconds}: face analysis time per frame (timer)
 *   <li>{@code edgecam_agent_publish_latency_seconds}: publish to PUBACK per candidate (timer)
 * </ul>
 *
 * Timers publish count, sum and max, no histogram buckets (small scrapes from many devices).
 * Thread-safe.
 */
public final class AgentMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer inference;
  private final Timer publishLatency;
  private final AtomicLong connects = new AtomicLong();
  private final List<LongSupplier> suppliers = new ArrayList<>();

  /** Where the counters come from; each is read at scrape time. */
  public record Sources(
      LongSupplier frames,
      LongSupplier faces,
      LongSupplier candidates,
      LongSupplier prefiltered,
      LongSupplier published,
      LongSupplier spoolDepth,
      LongSupplier spoolDropped) {}

  public AgentMetrics(Sources s) {
    counter("edgecam.agent.frames", "Frames analyzed", s.frames());
    counter("edgecam.agent.faces", "Faces found", s.faces());
    counter("edgecam.agent.candidates", "Best shots produced by the tracker", s.candidates());
    counter("edgecam.agent.prefiltered", "Best shots the prefilter held back", s.prefiltered());
    counter("edgecam.agent.published", "Candidates acknowledged by the broker", s.published());
    counter(
        "edgecam.agent.spool.dropped", "Candidates dropped by the full spool", s.spoolDropped());
    counter(
        "edgecam.agent.reconnects",
        "Successful connects to the broker after the first",
        () -> Math.max(0, connects.get() - 1));
    Gauge.builder("edgecam.agent.spool.depth", s.spoolDepth(), LongSupplier::getAsLong)
        .description("Candidates waiting in the spool")
        .strongReference(true)
        .register(registry);
    inference =
        Timer.builder("edgecam.agent.inference")
            .description("Face analysis (detect, align, embed) per frame")
            .register(registry);
    publishLatency =
        Timer.builder("edgecam.agent.publish.latency")
            .description("From publish to the broker's PUBACK, per candidate")
            .register(registry);
  }

  private void counter(String name, String help, LongSupplier value) {
    // Micrometer holds a function counter's state object weakly: keep the supplier reachable.
    suppliers.add(value);
    FunctionCounter.builder(name, value, v -> (double) v.getAsLong())
        .description(help)
        .register(registry);
  }

  /** Records one frame's analysis time. */
  public void inference(long nanos) {
    inference.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Records one candidate's publish-to-acknowledge time. */
  public void publishLatency(long nanos) {
    publishLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Counts a successful connect to the broker (the first is not a reconnect). */
  public void connected() {
    connects.incrementAndGet();
  }

  /** Prometheus text format of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /** The registry, to add meters. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Total recorded inference time (tests). */
  public Duration inferenceTotal() {
    return Duration.ofNanos((long) inference.totalTime(TimeUnit.NANOSECONDS));
  }
}
