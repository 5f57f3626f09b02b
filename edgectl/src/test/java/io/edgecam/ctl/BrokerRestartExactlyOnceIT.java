package io.edgecam.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.service.AgentService;
import io.edgecam.agent.service.OneFaceAnalyzer;
import io.edgecam.agent.service.Prefilter;
import io.edgecam.ctl.testing.OneFaceEntry;
import io.edgecam.matcher.MatcherService;
import io.edgecam.matcher.config.BrokerConfig;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.Health;
import io.edgecam.testing.MosquittoProcess;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store and forward across a broker outage, agent to matcher: the real agent (spool, MQTT link)
 * streams candidates through a real Mosquitto to the real matcher; the broker is stopped in the
 * middle of the stream and started again. Every candidate must reach the matcher exactly once: one
 * alert per sequence number, none missing, none twice. The face analyzer is a stand-in (one face
 * per frame) so the test is about transport, not TFLite.
 */
class BrokerRestartExactlyOnceIT {
  private static final int FRAMES = 300;

  @TempDir Path dir;

  @Test
  void everyCandidateAlertsExactlyOnceAcrossABrokerRestart() throws Exception {
    Path images = Files.createDirectories(dir.resolve("images"));
    for (int i = 0; i < FRAMES; i++) {
      ImageIO.write(
          new BufferedImage(32, 32, BufferedImage.TYPE_3BYTE_BGR),
          "png",
          images.resolve(String.format("f%04d.png", i)).toFile());
    }
    ExecutorService runner = Executors.newSingleThreadExecutor();
    try (MosquittoProcess broker = MosquittoProcess.start(dir.resolve("broker"));
        MatcherService matcher =
            MatcherService.start(
                MatcherConfig.embeddedIn(dir.resolve("matcher"))
                    .withBroker(BrokerConfig.external(broker.url()))
                    .withClientId("matcher-restart-it")
                    // One matcher: a plain subscription, which Mosquitto 2.0 keeps across its
                    // restart; it drops shared ones until the matcher subscribes again
                    // (docs/matcher.md, "Broker restarts").
                    .withSharedSubscription(false))) {
      matcher.watchlist().enroll(OneFaceEntry.create());
      Set<Long> sequences = ConcurrentHashMap.newKeySet();
      AtomicLong alerts = new AtomicLong();
      matcher.addAlertListener(
          (Alert a) -> {
            alerts.incrementAndGet();
            sequences.add(a.sequence());
          });

      AgentConfig config =
          AgentConfig.parse(
              """
          device: cam-restart
          site: it
          stateDir: state
          source: {type: folder, path: images, fps: 60}
          tracker: {bestShotIntervalMs: 0}
          mqtt: {url: "%s"}
          """
                  .formatted(broker.url()),
              "agent.yaml",
              dir);
      try (AgentService agent =
          new AgentService(config, new OneFaceAnalyzer(), Prefilter.PASS_ALL)) {
        Future<Boolean> run = runner.submit(() -> agent.runOnce(Duration.ofSeconds(120)));

        await().atMost(Duration.ofSeconds(60)).until(() -> alerts.get() >= 40);
        broker.stop();
        // The camera goes on while the broker is away: candidates wait in the spool.
        long framesAtStop = agent.counters().frames();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> agent.counters().frames() >= framesAtStop + 40);
        assertThat(agent.health().get("broker").state()).isNotEqualTo(Health.State.OK);
        broker.restart();

        assertThat(run.get()).as("agent drained its spool").isTrue();
        assertThat(agent.published()).isEqualTo(FRAMES);
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(sequences)
                      .as("sequences alerted; matcher counters %s", matcher.counters())
                      .hasSize(FRAMES));
      assertThat(sequences).hasSize(FRAMES).allMatch(s -> s >= 1 && s <= FRAMES);
      assertThat(alerts.get()).as("alerts (one per sequence)").isEqualTo(FRAMES);
      assertThat(matcher.storedAlerts(10 * FRAMES)).hasSize(FRAMES);
      assertThat(matcher.counters().malformed()).isZero();
    } finally {
      runner.shutdownNow();
    }
  }
}
