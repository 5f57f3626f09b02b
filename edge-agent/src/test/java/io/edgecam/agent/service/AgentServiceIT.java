package io.edgecam.agent.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgecam.agent.config.AgentConfig;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.Topics;
import io.edgecam.testing.MosquittoProcess;
import io.edgecam.testing.TestSubscriber;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wired agent (with a fake analyzer, no TFLite) against a Mosquitto of the test's own. */
class AgentServiceIT {
  @TempDir Path dir;
  private MosquittoProcess broker;

  @BeforeEach
  void start() throws Exception {
    broker = MosquittoProcess.start(Files.createDirectories(dir.resolve("broker")));
    Path images = Files.createDirectories(dir.resolve("images"));
    for (int i = 0; i < 5; i++) {
      ImageIO.write(
          new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR),
          "png",
          images.resolve("f" + i + ".png").toFile());
    }
  }

  @AfterEach
  void stop() throws Exception {
    broker.close();
  }

  private AgentConfig config() {
    return AgentConfig.parse(
        """
        device: cam-svc
        site: it
        stateDir: state
        source: {type: folder, path: images, fps: 0}
        tracker: {bestShotIntervalMs: 0}
        mqtt: {url: "%s"}
        """
            .formatted(broker.url()),
        "agent.yaml",
        dir);
  }

  @Test
  void runOnceSendsEveryCandidateAndKeepsSequencesAcrossRuns() throws Exception {
    try (TestSubscriber sub =
        new TestSubscriber(
            broker.url(),
            "svc-sub",
            Topics.candidates("it", "cam-svc"),
            p -> CandidateCodec.decode(p).sequence())) {
      try (AgentService agent =
          new AgentService(config(), new OneFaceAnalyzer(), Prefilter.PASS_ALL)) {
        assertThat(agent.runOnce(Duration.ofSeconds(30))).isTrue();
        assertThat(agent.counters().frames()).isEqualTo(5);
        assertThat(agent.counters().spooled()).isEqualTo(5);
        assertThat(agent.published()).isEqualTo(5);
      }
      try (AgentService agent =
          new AgentService(config(), new OneFaceAnalyzer(), Prefilter.PASS_ALL)) {
        assertThat(agent.runOnce(Duration.ofSeconds(30))).isTrue();
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> sub.sequences.size() == 10);
      assertThat(sub.sequences).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }
  }

  @Test
  void prefilterHoldsBackWhatItRejects() throws Exception {
    try (AgentService agent = new AgentService(config(), new OneFaceAnalyzer(), shot -> false)) {
      assertThat(agent.runOnce(Duration.ofSeconds(30))).isTrue();
      assertThat(agent.counters().candidates()).isEqualTo(5);
      assertThat(agent.counters().prefiltered()).isEqualTo(5);
      assertThat(agent.published()).isZero();
    }
  }

  @Test
  void statusIsOnlineWithHealthWhileRunningAndOfflineAfterClose() throws Exception {
    try (TestSubscriber sub =
        new TestSubscriber(broker.url(), "svc-status", Topics.status("it", "cam-svc"), null)) {
      AgentService agent = new AgentService(config(), new OneFaceAnalyzer(), Prefilter.PASS_ALL);
      agent.start();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sub.payloads.stream().anyMatch(p -> p.contains("\"online\"")));
      assertThat(sub.payloads.get(0))
          .contains("\"broker\"", "\"camera\"", "\"frames\"", "\"detector\":\"fake\"");
      assertThat(sub.payloads.get(0)).doesNotContain("0.6", "0.8"); // never the embedding
      agent.close();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sub.payloads.get(sub.payloads.size() - 1).contains("\"offline\""));
    }
  }

  @Test
  void eventRaisedWhileTheBrokerIsDownIsDeliveredAfterAnAgentRestart() throws Exception {
    broker.stop();
    try (AgentService agent =
        new AgentService(config(), new OneFaceAnalyzer(), Prefilter.PASS_ALL)) {
      agent.start();
      agent.publishEvent("tamper", java.util.Map.of("input", "case-open"));
      assertThat(agent.events().pending()).isEqualTo(1);
    } // stopped before the broker came back: the event is only in the events spool
    assertThat(Files.exists(dir.resolve("state").resolve("events.db"))).isTrue();

    broker.restart();
    try (TestSubscriber sub =
            new TestSubscriber(broker.url(), "svc-events", Topics.events("it", "cam-svc"), null);
        AgentService agent =
            new AgentService(config(), new OneFaceAnalyzer(), Prefilter.PASS_ALL)) {
      assertThat(agent.events().pending()).isEqualTo(1);
      agent.start();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sub.payloads.stream().anyMatch(p -> p.contains("case-open")));
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.events().pending() == 0);
      assertThat(sub.payloads).hasSize(1);
      assertThat(sub.payloads.get(0)).contains("\"type\":\"tamper\"", "\"device\":\"cam-svc\"");
      assertThat(agent.events().published()).isEqualTo(1);
      assertThat(agent.events().dropped()).isZero();
    }
  }
}
