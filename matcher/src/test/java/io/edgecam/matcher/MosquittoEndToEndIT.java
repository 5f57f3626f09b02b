package io.edgecam.matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgecam.matcher.config.BrokerConfig;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.ingest.IngestCounters;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.TestMqtt;
import io.edgecam.matcher.testing.Vectors;
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.Box;
import io.edgecam.protocol.Health;
import io.edgecam.testing.MosquittoProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The end-to-end scenarios through a real Mosquitto 2 (a process of this test's own). */
class MosquittoEndToEndIT extends MatcherEndToEndScenarios {
  private MosquittoProcess mosquitto;

  @Override
  MatcherConfig config(Path dir) throws Exception {
    if (mosquitto == null) {
      mosquitto = MosquittoProcess.start(dir.resolve("mosquitto"));
    }
    return MatcherConfig.embeddedIn(dir).withBroker(BrokerConfig.external(mosquitto.url()));
  }

  @Test
  void reconnectsAfterBrokerRestartAndGetsWhatWasQueuedMeanwhile() throws Exception {
    startMatcher();
    float[] alice = Vectors.unit(random);
    matcher.watchlist().enroll(Entries.entry("alice", alice, clock.instant()));
    agent.close();
    agent = null;

    mosquitto.stop();
    await().atMost(TIMEOUT).until(() -> matcher.health().state() != Health.State.OK);
    mosquitto.restart();
    await().atMost(Duration.ofSeconds(60)).until(() -> matcher.health().state() == Health.State.OK);
    try (TestMqtt device = new TestMqtt(mosquitto.url())) {
      device.publishCandidate(
          SITE, DEVICE, Vectors.encoded(DEVICE, 1, Vectors.near(alice, 0.9, random)));
    }
    IngestCounters.Snapshot c = awaitReceived(1);
    assertThat(c.matched()).isEqualTo(1);

    // Candidates published while the matcher is away wait in its persistent session.
    matcher.close();
    matcher = null;
    try (TestMqtt device = new TestMqtt(mosquitto.url())) {
      device.publishCandidate(
          SITE, DEVICE, Vectors.encoded(DEVICE, 2, Vectors.near(alice, 0.9, random)));
      device.publishCandidate(SITE, DEVICE, Vectors.encoded(DEVICE, 3, Vectors.unit(random)));
    }
    startMatcher();
    c = awaitReceived(2);
    assertThat(c.matched()).isEqualTo(1);
    assertThat(c.discarded()).isEqualTo(1);
    assertThat(matcher.storedAlerts(10)).hasSize(2);
  }

  @Test
  void alertStoredButNeverAcknowledgedIsPublishedAtTheNextStart() throws Exception {
    MatcherConfig config = config(dir);
    Alert pending =
        new Alert(
            1,
            "pending-1",
            SITE,
            DEVICE,
            41,
            1L,
            2L,
            "alice",
            "Alice",
            0.9,
            0.45,
            1,
            new Box(1, 1, 5, 5));
    try (MatcherStore store = MatcherStore.open(config.store())) {
      store.insertAlertOnce(pending);
    }
    try (TestMqtt consumer = new TestMqtt(mosquitto.url()).subscribeAlerts()) {
      startMatcher();
      await().atMost(TIMEOUT).until(() -> consumer.alerts().contains(pending));
      await().atMost(TIMEOUT).until(() -> matcher.storedAlerts(10).size() == 1);
    }
    matcher.close();
    matcher = null;
    try (MatcherStore store = MatcherStore.open(config.store())) {
      assertThat(store.unpublishedAlerts(10)).isEmpty();
    }
  }

  @Test
  void unacknowledgedAlertIsRetriedWhileRunning() throws Exception {
    try (TestMqtt consumer =
        new TestMqtt(config(dir).broker().external().url()).subscribeAlerts()) {
      startMatcher();
      long longAgo = clock.millis() - 60_000;
      Alert failed =
          new Alert(
              1,
              "failed-1",
              SITE,
              DEVICE,
              42,
              1L,
              longAgo,
              "alice",
              "Alice",
              0.9,
              0.45,
              1,
              new Box(1, 1, 5, 5));
      // As if its publish had failed earlier in this run: stored, not marked published.
      try (MatcherStore store = MatcherStore.open(config(dir).store())) {
        store.insertAlertOnce(failed);
      }
      await().atMost(Duration.ofSeconds(40)).until(() -> consumer.alerts().contains(failed));
    }
  }

  @AfterEach
  void stopMosquitto() throws Exception {
    tearDown();
    if (mosquitto != null) {
      mosquitto.close();
    }
  }
}
