package io.edgecam.matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.ingest.IngestCounters;
import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.TestMqtt;
import io.edgecam.matcher.testing.Vectors;
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.Int8Embedding;
import io.edgecam.protocol.Topics;
import io.edgecam.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end without a camera: synthetic candidates published over a real broker to a running
 * {@link MatcherService}. Subclasses choose the broker.
 */
abstract class MatcherEndToEndScenarios {
  static final String SITE = "site-1";
  static final String DEVICE = "cam-1";
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;
  final Random random = new Random(42);
  final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
  final List<Alert> heard = new CopyOnWriteArrayList<>();
  MatcherService matcher;
  TestMqtt agent;

  /** The configuration of the matcher under test, keeping its state under {@code dir}. */
  abstract MatcherConfig config(Path dir) throws Exception;

  void startMatcher() throws Exception {
    matcher = MatcherService.start(config(dir), clock);
    matcher.addAlertListener(heard::add);
    agent = new TestMqtt(matcher.brokerUrl()).subscribeAlerts();
  }

  void stopMatcher() throws Exception {
    agent.close();
    matcher.close();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (agent != null) {
      agent.close();
      agent = null;
    }
    if (matcher != null) {
      matcher.close();
      matcher = null;
    }
  }

  /**
   * Waits until {@code n} candidates were received and each was decided: {@code received} counts at
   * the start of processing, the outcome at its end (after the store and the audit log).
   */
  IngestCounters.Snapshot awaitReceived(long n) {
    await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              IngestCounters.Snapshot c = matcher.counters();
              return c.received() >= n
                  && c.received() == c.malformed() + c.duplicates() + c.matched() + c.discarded();
            });
    return matcher.counters();
  }

  @Test
  void alertsExactlyOnceForEnrolledAndNeverForUnknown() throws Exception {
    startMatcher();
    float[] alice = Vectors.unit(random);
    matcher.watchlist().enroll(Entries.entry("alice", alice, clock.instant()));

    agent.publishCandidate(
        SITE, DEVICE, Vectors.encoded(DEVICE, 1, Vectors.near(alice, 0.85, random)));
    agent.publishCandidate(SITE, DEVICE, Vectors.encoded(DEVICE, 2, Vectors.unit(random)));

    IngestCounters.Snapshot c = awaitReceived(2);
    assertThat(c.matched()).isEqualTo(1);
    assertThat(c.discarded()).isEqualTo(1);
    await().atMost(TIMEOUT).until(() -> heard.size() == 1 && agent.alerts().size() == 1);
    Alert alert = heard.get(0);
    assertThat(alert.entryId()).isEqualTo("alice");
    assertThat(alert.device()).isEqualTo(DEVICE);
    assertThat(alert.site()).isEqualTo(SITE);
    assertThat(alert.sequence()).isEqualTo(1);
    assertThat(alert.score()).isBetween(0.8, 0.9);
    assertThat(agent.alerts()).containsExactly(alert);
    assertThat(matcher.storedAlerts(10)).containsExactly(alert);
  }

  @Test
  void malformedPayloadsAreCountedWhileValidOnesStillMatch() throws Exception {
    startMatcher();
    float[] alice = Vectors.unit(random);
    matcher.watchlist().enroll(Entries.entry("alice", alice, clock.instant()));
    byte[] valid = Vectors.encoded(DEVICE, 3, Vectors.near(alice, 0.9, random));
    byte[] truncated = java.util.Arrays.copyOf(valid, valid.length / 2);

    agent.publishCandidate(
        SITE, DEVICE, "not cbor at all".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    agent.publishCandidate(SITE, DEVICE, truncated);
    agent.publishCandidate(SITE, DEVICE, new byte[0]);
    agent.publishCandidate(SITE, DEVICE, valid);

    IngestCounters.Snapshot c = awaitReceived(4);
    assertThat(c.malformed()).isEqualTo(3);
    assertThat(c.malformedByReason()).containsEntry("payload", 3L);
    assertThat(c.matched()).isEqualTo(1);
    await().atMost(TIMEOUT).until(() -> heard.size() == 1);
  }

  @Test
  void rejectsCandidateWhosePayloadDeviceDiffersFromTopic() throws Exception {
    startMatcher();
    float[] alice = Vectors.unit(random);
    matcher.watchlist().enroll(Entries.entry("alice", alice, clock.instant()));

    agent.publish(Topics.candidates(SITE, "cam-2"), Vectors.encoded(DEVICE, 1, alice));

    IngestCounters.Snapshot c = awaitReceived(1);
    assertThat(c.malformedByReason()).containsEntry("device-mismatch", 1L);
    assertThat(c.matched()).isZero();
    assertThat(matcher.storedAlerts(10)).isEmpty();
  }

  @Test
  void alertsOnceForDuplicateSequenceAlsoAcrossMatcherRestart() throws Exception {
    startMatcher();
    float[] alice = Vectors.unit(random);
    matcher.watchlist().enroll(Entries.entry("alice", alice, clock.instant()));
    byte[] candidate = Vectors.encoded(DEVICE, 5, Vectors.near(alice, 0.9, random));

    agent.publishCandidate(SITE, DEVICE, candidate);
    agent.publishCandidate(SITE, DEVICE, candidate);
    IngestCounters.Snapshot c = awaitReceived(2);
    assertThat(c.matched()).isEqualTo(1);
    assertThat(c.duplicates()).isEqualTo(1);

    stopMatcher();
    startMatcher();
    agent.publishCandidate(SITE, DEVICE, candidate);
    c = awaitReceived(1);
    assertThat(c.duplicates()).isEqualTo(1);
    assertThat(c.matched()).isZero();
    assertThat(matcher.storedAlerts(10)).hasSize(1);
    assertThat(heard).hasSize(1);
  }

  @Test
  void expiredEntryNeverMatchesAndIsPurged() throws Exception {
    startMatcher();
    float[] alice = Vectors.unit(random);
    matcher
        .watchlist()
        .enroll(
            Entries.entry(
                "alice", alice, clock.instant().plus(Duration.ofHours(1)), null, clock.instant()));
    clock.advance(Duration.ofHours(2));

    agent.publishCandidate(SITE, DEVICE, Vectors.encoded(DEVICE, 1, alice));

    IngestCounters.Snapshot c = awaitReceived(1);
    assertThat(c.discarded()).isEqualTo(1);
    assertThat(c.matched()).isZero();
    assertThat(matcher.watchlist().purgeExpired()).isEqualTo(1);
    assertThat(matcher.watchlist().entries()).isEmpty();
  }

  @Test
  void perEntryThresholdMayOnlyRaiseTheOperatingPoint() throws Exception {
    startMatcher();
    float[] strict = Vectors.unit(random);
    float[] lenient = Vectors.unit(random);
    matcher
        .watchlist()
        .enroll(
            Entries.entry(
                "strict", strict, clock.instant().plus(Duration.ofDays(1)), 0.95, clock.instant()));
    matcher
        .watchlist()
        .enroll(
            Entries.entry(
                "lenient",
                lenient,
                clock.instant().plus(Duration.ofDays(1)),
                0.30,
                clock.instant()));

    agent.publishCandidate(
        SITE, DEVICE, Vectors.encoded(DEVICE, 1, Vectors.near(strict, 0.8, random)));
    // 0.30 of its own does not lower the matcher's operating point (calibrated: well above 0.4).
    agent.publishCandidate(
        SITE, DEVICE, Vectors.encoded(DEVICE, 2, Vectors.near(lenient, 0.4, random)));
    agent.publishCandidate(
        SITE, DEVICE, Vectors.encoded(DEVICE, 3, Vectors.near(lenient, 0.9, random)));

    IngestCounters.Snapshot c = awaitReceived(3);
    assertThat(c.discarded()).isEqualTo(2);
    assertThat(c.matched()).isEqualTo(1);
    await().atMost(TIMEOUT).until(() -> heard.size() == 1);
    assertThat(heard.get(0).entryId()).isEqualTo("lenient");
    assertThat(heard.get(0).sequence()).isEqualTo(3);
    assertThat(heard.get(0).threshold())
        .isEqualTo(matcher.watchlist().operatingPoint().threshold())
        .isGreaterThan(0.4);
  }

  @Test
  void alertCarriesTheOperatingPointAndTheRunnerUp() throws Exception {
    startMatcher();
    float[] alice = Vectors.unit(random);
    float[] bob = Vectors.unit(random);
    matcher.watchlist().enroll(Entries.entry("alice", alice, clock.instant()));
    matcher.watchlist().enroll(Entries.entry("bob", bob, clock.instant()));
    float[] candidate = Vectors.near(alice, 0.9, random);

    agent.publishCandidate(SITE, DEVICE, Vectors.encoded(DEVICE, 1, candidate));

    await().atMost(TIMEOUT).until(() -> heard.size() == 1 && agent.alerts().size() == 1);
    Alert alert = agent.alerts().get(0);
    var op = matcher.watchlist().operatingPoint();
    assertThat(op.listSize()).isEqualTo(2);
    assertThat(alert.threshold()).isEqualTo(op.threshold());
    assertThat(alert.expectedFpir()).isEqualTo(op.expectedFpir()).isBetween(0.0, 0.01);
    Int8Embedding q = Int8Embedding.quantize(candidate);
    assertThat(alert.secondScore())
        .isCloseTo(
            q.cosine(Int8Embedding.quantize(bob)), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(alert.margin()).isEqualTo(alert.score() - alert.secondScore()).isPositive();
    assertThat(matcher.storedAlerts(1)).containsExactly(alert);
  }

  /** Quantized values of {@code v}, to look for them in the database. */
  static byte[] int8(float[] v) {
    return Int8Embedding.quantize(v).values();
  }
}
