package io.edgecam.matcher;

import io.edgecam.matcher.ingest.IngestCounters;
import io.edgecam.protocol.Health;
import io.edgecam.runtime.systemd.Liveness;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The matcher's definition of "healthy" for the systemd watchdog (docs/operations.md). It feeds the
 * watchdog while
 *
 * <ul>
 *   <li>its housekeeping thread ({@code matcher-watchlist}, which reads the store every 10 s) has
 *       finished a round within the stall limit, and
 *   <li>it is subscribed, or is reconnecting to an <em>external</em> broker: a broker outage is not
 *       cured by restarting the matcher, and the broker keeps its session meanwhile.
 * </ul>
 *
 * It starves the watchdog when housekeeping hangs (a store call that never returns), when the link
 * to its own <em>embedded</em> broker has been down longer than the stall limit (that broker lives
 * in this process: a restart is the cure), or when ingest was closed. Thread-safe.
 */
public final class MatcherLiveness implements Liveness {
  private final LongSupplier housekeepingNanos;
  private final Supplier<Health> link;
  private final Supplier<IngestCounters.Snapshot> counters;
  private final boolean embeddedBroker;
  private final String subscription;
  private final long stallNanos;
  private long linkDownSinceNanos;
  private boolean linkDown;

  MatcherLiveness(
      LongSupplier housekeepingNanos,
      Supplier<Health> link,
      Supplier<IngestCounters.Snapshot> counters,
      boolean embeddedBroker,
      String subscription,
      Duration stallLimit) {
    if (stallLimit.isNegative() || stallLimit.isZero()) {
      throw new IllegalArgumentException("stallLimit must be > 0, was " + stallLimit);
    }
    this.housekeepingNanos = housekeepingNanos;
    this.link = link;
    this.counters = counters;
    this.embeddedBroker = embeddedBroker;
    this.subscription = subscription;
    this.stallNanos = stallLimit.toNanos();
  }

  /**
   * Liveness of {@code service}.
   *
   * @param watchdog systemd's WatchdogSec; the stall limit is the larger of it and three
   *     housekeeping rounds (30 s)
   */
  public static MatcherLiveness of(MatcherService service, Duration watchdog) {
    Duration rounds = Duration.ofSeconds(30);
    return new MatcherLiveness(
        service::housekeepingNanos,
        service::health,
        service::counters,
        service.embeddedBroker() != null,
        service.candidatesFilter() + " on " + service.brokerUrl(),
        watchdog.compareTo(rounds) > 0 ? watchdog : rounds);
  }

  @Override
  public synchronized Verdict check(long nowNanos) {
    long quiet = nowNanos - housekeepingNanos.getAsLong();
    if (quiet > stallNanos) {
      return Verdict.stalled(
          "watchlist housekeeping has not finished a round for "
              + Duration.ofNanos(quiet).toSeconds()
              + " s (store call hanging?)");
    }
    Health h = link.get();
    if (h.state() == Health.State.OK) {
      linkDown = false;
      IngestCounters.Snapshot c = counters.get();
      return Verdict.progressing(
          "subscribed to "
              + subscription
              + "; "
              + c.received()
              + " candidates, "
              + c.matched()
              + " matched");
    }
    if (h.state() == Health.State.FAILED) {
      return Verdict.stalled("MQTT ingest stopped: " + oneLine(h.reason()));
    }
    if (!linkDown) {
      linkDown = true;
      linkDownSinceNanos = nowNanos;
    }
    long down = nowNanos - linkDownSinceNanos;
    if (embeddedBroker && down > stallNanos) {
      return Verdict.stalled(
          "embedded broker unreachable for "
              + Duration.ofNanos(down).toSeconds()
              + " s: "
              + oneLine(h.reason()));
    }
    return Verdict.progressing("reconnecting to the broker: " + oneLine(h.reason()));
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ');
  }
}
