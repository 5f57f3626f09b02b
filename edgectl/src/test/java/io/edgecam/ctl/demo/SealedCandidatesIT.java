package io.edgecam.ctl.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.service.AgentService;
import io.edgecam.ctl.Home;
import io.edgecam.matcher.MatcherService;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.config.SealingConfig;
import io.edgecam.matcher.ingest.IngestCounters;
import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.MalformedMessageException;
import io.edgecam.protocol.SealedCandidate;
import io.edgecam.protocol.Topics;
import io.edgecam.protocol.seal.CandidateOpener;
import io.edgecam.protocol.seal.SealingKeyPair;
import io.edgecam.protocol.seal.UnsealException;
import io.edgecam.testing.WireTap;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sealed mode end to end on the real pipeline: the edge agent (TFLite, sample photos) seals every
 * candidate to the matcher's key; a plain subscriber on the broker gets the bytes but not the
 * embedding; the matcher opens them, matches and alerts; any changed byte is refused and counted.
 */
class SealedCandidatesIT {
  private static final String DEVICE = "cam-sealed";

  @Test
  void brokerSeesOnlySealedBytesMatcherStillAlertsAndTamperingIsRejected(@TempDir Path dir)
      throws Exception {
    Path home = Home.locate();
    DemoSamples set = DemoSamples.load(home, home.resolve("models/cache/samples"));
    SealingKeyPair key = SealingKeyPair.generate();
    Path priv = dir.resolve("matcher-sealing.key");
    Path pub = dir.resolve("matcher-sealing.pub");
    key.write(priv, pub);
    MatcherConfig config =
        MatcherConfig.embeddedIn(dir.resolve("matcher"))
            .withSealing(new SealingConfig(List.of(priv), true));
    Path camera = Files.createDirectories(dir.resolve("camera"));
    int n = 0;
    for (Path image : set.camera()) {
      Files.copy(image, camera.resolve(String.format("%03d-%s", n++, image.getFileName())));
    }

    try (MatcherService matcher = MatcherService.start(config);
        WireTap tap = new WireTap(matcher.brokerUrl(), "edgecam/v1/+/+/candidates")) {
      LocalRig.enroll(set.enroll(), matcher, home, new PrintWriter(new StringWriter()));
      AgentConfig agentConfig =
          LocalRig.agentConfig(DEVICE, camera, 20, false, 0, dir, home, matcher.brokerUrl(), pub);
      long published;
      try (AgentService agent = AgentService.create(agentConfig)) {
        assertThat(agent.runOnce(Duration.ofSeconds(60))).isTrue();
        published = agent.published();
      }
      assertThat(published).isEqualTo(set.camera().size());
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> decided(matcher.counters()) == published && tap.messages.size() == published);

      // The matcher opened every sealed candidate and decided as on plain ones.
      IngestCounters.Snapshot c = matcher.counters();
      assertThat(c.matched()).isEqualTo(set.expectedAlerts());
      assertThat(c.discarded()).isEqualTo(published - set.expectedAlerts());
      assertThat(c.malformed()).isZero();

      // What the plain subscriber got: sealed version-2 payloads, <= 320 bytes, no embedding.
      CandidateOpener right = CandidateOpener.of(List.of(key), true);
      CandidateOpener wrong = CandidateOpener.of(List.of(SealingKeyPair.generate()), false);
      for (WireTap.Message m : tap.messages) {
        byte[] payload = m.payload();
        assertThat(payload).hasSizeLessThanOrEqualTo(320);
        SealedCandidate s = CandidateCodec.decodeSealed(payload);
        assertThat(s.device()).isEqualTo(DEVICE);
        assertThatThrownBy(() -> CandidateCodec.decode(payload))
            .isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> wrong.open(payload)).isInstanceOf(UnsealException.class);
        byte[] values = right.open(payload).embedding().values();
        assertThat(values).hasSize(192);
        for (int i = 0; i + 8 <= values.length; i++) {
          assertThat(contains(payload, Arrays.copyOfRange(values, i, i + 8)))
              .as("embedding values %d..%d visible in the sealed payload", i, i + 8)
              .isFalse();
        }
      }

      // Tampering on the wire: every single-byte change of a real payload is refused and counted.
      WireTap.Message original = tap.messages.get(0);
      byte[] payload = original.payload();
      String topic = Topics.candidates(LocalRig.SITE, DEVICE);
      assertThat(original.topic()).isEqualTo(topic);
      for (int i = 0; i < payload.length; i++) {
        byte[] t = payload.clone();
        t[i] ^= (byte) (i % 2 == 0 ? 0x01 : 0x80);
        tap.publish(topic, t);
      }
      // A plain candidate is refused too: this matcher requires sealed ones.
      Candidate opened = right.open(payload);
      tap.publish(
          topic,
          CandidateCodec.encode(
              new Candidate(
                  DEVICE,
                  999_999,
                  opened.captureTimeMillis(),
                  opened.trackId(),
                  opened.qualityPermille(),
                  opened.box(),
                  opened.model(),
                  opened.embedding())));
      // The untouched payload once more is a duplicate, not a second alert.
      tap.publish(topic, payload);
      long sent = published + payload.length + 2;
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> matcher.counters().received() == sent && decided(matcher.counters()) == sent);
      IngestCounters.Snapshot after = matcher.counters();
      assertThat(after.matched()).isEqualTo(c.matched());
      assertThat(after.discarded()).isEqualTo(c.discarded());
      assertThat(after.duplicates()).isEqualTo(1);
      assertThat(after.malformed()).isEqualTo(payload.length + 1);
      assertThat(after.malformedByReason()).containsEntry("unsealed", 1L);
      assertThat(after.malformedByReason().get("sealed"))
          .as("changes caught by authentication (the rest by the parser)")
          .isGreaterThan(payload.length / 2L);
      assertThat(
              after.malformedByReason().getOrDefault("sealed", 0L)
                  + after.malformedByReason().getOrDefault("payload", 0L))
          .isEqualTo(payload.length);
    }
  }

  private static long decided(IngestCounters.Snapshot c) {
    return c.matched() + c.discarded() + c.duplicates() + c.malformed();
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
