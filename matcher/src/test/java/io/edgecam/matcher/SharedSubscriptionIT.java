package io.edgecam.matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgecam.matcher.broker.EmbeddedBroker;
import io.edgecam.matcher.config.BrokerConfig;
import io.edgecam.matcher.config.EmbeddedBrokerConfig;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.TestMqtt;
import io.edgecam.matcher.testing.Vectors;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two matchers on one embedded broker share the candidates subscription: each candidate reaches
 * exactly one of them (how the broker splits them is its choice; HiveMQ may hand a short burst to
 * one instance), and with one store between them every match is alerted exactly once.
 */
class SharedSubscriptionIT {
  @TempDir Path dir;

  @Test
  void twoMatchersOnTheSharedSubscriptionGetEachCandidateOnceAndAlertOnce() throws Exception {
    Random random = new Random(9);
    float[] alice = Vectors.unit(random);
    try (EmbeddedBroker broker =
        EmbeddedBroker.start(EmbeddedBrokerConfig.ephemeral(dir.resolve("broker")))) {
      MatcherConfig base =
          MatcherConfig.embeddedIn(dir)
              .withBroker(BrokerConfig.external(broker.url()))
              .withSharedSubscription(true);
      try (MatcherService a = MatcherService.start(base.withClientId("matcher-a"))) {
        a.watchlist().enroll(Entries.entry("alice", alice, Instant.now()));
        try (MatcherService b = MatcherService.start(base.withClientId("matcher-b"));
            TestMqtt device = new TestMqtt(broker.url())) {
          int n = 40;
          for (int seq = 1; seq <= n; seq++) {
            device.publishCandidate(
                "site", "cam-1", Vectors.encoded("cam-1", seq, Vectors.near(alice, 0.9, random)));
          }
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> a.counters().received() + b.counters().received() == n);
          assertThat(a.counters().matched() + b.counters().matched()).isEqualTo(n);
          assertThat(a.storedAlerts(100)).hasSize(n);
        }
      }
    }
  }
}
