package io.edgecam.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.matcher.ingest.IngestCounters;
import io.edgecam.protocol.Health;
import io.edgecam.runtime.systemd.Liveness;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MatcherLivenessTest {
  private static final long S = 1_000_000_000L;
  private final AtomicLong housekeeping = new AtomicLong(0);
  private final AtomicReference<Health> link = new AtomicReference<>(Health.ok());

  private MatcherLiveness liveness(boolean embedded) {
    return new MatcherLiveness(
        housekeeping::get,
        link::get,
        () -> new IngestCounters.Snapshot(12, 0, 0, 3, 9, Map.of()),
        embedded,
        "edgecam/v1/+/+/candidates on tcp://b:1883",
        Duration.ofSeconds(30));
  }

  @Test
  void subscribedAndHousekeepingIsHealthy() {
    Liveness.Verdict v = liveness(true).check(10 * S);

    assertThat(v.progressing()).isTrue();
    assertThat(v.status())
        .isEqualTo(
            "subscribed to edgecam/v1/+/+/candidates on tcp://b:1883; 12 candidates, 3 matched");
  }

  @Test
  void hungHousekeepingStarvesTheWatchdog() {
    Liveness.Verdict v = liveness(false).check(31 * S);

    assertThat(v.progressing()).isFalse();
    assertThat(v.status()).startsWith("watchlist housekeeping has not finished a round for 31 s");
  }

  @Test
  void externalBrokerOutageIsWaitedOut() {
    MatcherLiveness l = liveness(false);
    link.set(Health.degraded("disconnected: connection lost"));

    assertThat(l.check(1 * S).progressing()).isTrue();
    housekeeping.set(600 * S);
    Liveness.Verdict v = l.check(601 * S);
    assertThat(v.progressing()).isTrue();
    assertThat(v.status()).isEqualTo("reconnecting to the broker: disconnected: connection lost");
  }

  @Test
  void embeddedBrokerDownLongerThanTheLimitStarvesTheWatchdog() {
    MatcherLiveness l = liveness(true);
    link.set(Health.degraded("disconnected: connection lost"));

    assertThat(l.check(1 * S).progressing()).isTrue();
    housekeeping.set(30 * S);
    assertThat(l.check(31 * S).progressing()).isTrue();
    housekeeping.set(32 * S);
    Liveness.Verdict v = l.check(32 * S);
    assertThat(v.progressing()).isFalse();
    assertThat(v.status()).startsWith("embedded broker unreachable for 31 s");

    link.set(Health.ok()); // back: the outage clock starts again next time
    assertThat(l.check(33 * S).progressing()).isTrue();
    link.set(Health.degraded("disconnected"));
    assertThat(l.check(34 * S).progressing()).isTrue();
  }

  @Test
  void closedIngestStarvesTheWatchdog() {
    link.set(Health.failed("closed"));

    assertThat(liveness(false).check(1 * S).progressing()).isFalse();
  }
}
