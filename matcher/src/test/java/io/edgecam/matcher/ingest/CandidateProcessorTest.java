package io.edgecam.matcher.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.matcher.index.ExactWatchlistIndex;
import io.edgecam.matcher.index.Match;
import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.Vectors;
import io.edgecam.matcher.watchlist.Origin;
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.Box;
import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.Int8Embedding;
import io.edgecam.protocol.Topics;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CandidateProcessorTest {
  private static final String TOPIC = Topics.candidates("site", "cam-1");
  private final Random random = new Random(3);
  private final Instant now = Instant.parse("2025-06-01T00:00:00Z");
  private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
  private final ExactWatchlistIndex index = new ExactWatchlistIndex();
  private final Set<String> storedKeys = new HashSet<>();
  private final List<Alert> stored = new ArrayList<>();
  private final List<Alert> raised = new ArrayList<>();
  private final IngestCounters counters = new IngestCounters();
  private float[] alice;
  private CandidateProcessor processor;

  @BeforeEach
  void setUp() {
    alice = Vectors.unit(random);
    index.replace(List.of(Entries.entry("alice", alice, now)));
    CandidateMatcher matcher =
        new CandidateMatcher() {
          @Override
          public @Nullable Match match(Int8Embedding e, Origin origin) {
            return index.search(e, 0.45, now, origin);
          }

          @Override
          public int dimensions() {
            return Vectors.DIMS;
          }

          @Override
          public String model() {
            return Vectors.MODEL;
          }
        };
    AlertRecorder recorder =
        a -> {
          if (!storedKeys.add(a.device() + "/" + a.sequence())) {
            return false;
          }
          stored.add(a);
          return true;
        };
    processor = new CandidateProcessor(matcher, recorder, raised::add, counters, clock);
  }

  @Test
  void matchIsRecordedThenRaised() {
    assertThat(
            processor.process(TOPIC, Vectors.encoded("cam-1", 1, Vectors.near(alice, 0.8, random))))
        .isEqualTo(CandidateProcessor.Outcome.MATCHED);
    assertThat(stored).hasSize(1).isEqualTo(raised);
    assertThat(raised.get(0).matchTimeMillis()).isEqualTo(now.toEpochMilli());
  }

  @Test
  void nonMatchIsDiscardedAndNothingRecorded() {
    assertThat(processor.process(TOPIC, Vectors.encoded("cam-1", 1, Vectors.unit(random))))
        .isEqualTo(CandidateProcessor.Outcome.DISCARDED);
    assertThat(stored).isEmpty();
    assertThat(counters.snapshot().discarded()).isEqualTo(1);
  }

  @Test
  void redeliveredCandidateIsADuplicateWhetherItMatchedOrNot() {
    byte[] match = Vectors.encoded("cam-1", 1, alice);
    byte[] stranger = Vectors.encoded("cam-1", 2, Vectors.unit(random));
    processor.process(TOPIC, match);
    processor.process(TOPIC, stranger);
    assertThat(processor.process(TOPIC, match)).isEqualTo(CandidateProcessor.Outcome.DUPLICATE);
    assertThat(processor.process(TOPIC, stranger)).isEqualTo(CandidateProcessor.Outcome.DUPLICATE);
    assertThat(raised).hasSize(1);
    assertThat(counters.snapshot().duplicates()).isEqualTo(2);
  }

  @Test
  void storeSaysDuplicateAfterRestartSoNoSecondAlert() {
    byte[] match = Vectors.encoded("cam-1", 9, alice);
    storedKeys.add("cam-1/9");
    assertThat(processor.process(TOPIC, match)).isEqualTo(CandidateProcessor.Outcome.DUPLICATE);
    assertThat(raised).isEmpty();
  }

  @Test
  void candidateOfAnotherEmbeddingModelIsRejectedNotCompared() {
    Candidate other =
        new Candidate(
            "cam-1",
            5,
            1_000L,
            1,
            900,
            new Box(1, 2, 30, 30),
            "other-model-2",
            Int8Embedding.quantize(alice));
    assertThat(processor.process(TOPIC, CandidateCodec.encode(other)))
        .isEqualTo(CandidateProcessor.Outcome.MALFORMED);
    assertThat(counters.snapshot().malformedByReason()).containsEntry("model", 1L);
    assertThat(raised).isEmpty();
  }

  @Test
  void malformedMessagesAreCountedByReasonAndNeverThrow() {
    assertThat(
            processor.process("edgecam/v1/site/cam-1/status", Vectors.encoded("cam-1", 1, alice)))
        .isEqualTo(CandidateProcessor.Outcome.MALFORMED);
    assertThat(processor.process("garbage", Vectors.encoded("cam-1", 1, alice)))
        .isEqualTo(CandidateProcessor.Outcome.MALFORMED);
    assertThat(processor.process(TOPIC, new byte[] {(byte) 0x9f, 0x01}))
        .isEqualTo(CandidateProcessor.Outcome.MALFORMED);
    assertThat(processor.process(TOPIC, new byte[0]))
        .isEqualTo(CandidateProcessor.Outcome.MALFORMED);
    assertThat(processor.process(TOPIC, Vectors.encoded("cam-2", 1, alice)))
        .isEqualTo(CandidateProcessor.Outcome.MALFORMED);
    assertThat(processor.process(TOPIC, Vectors.encoded("cam-1", 1, new float[] {0.6f, 0.8f})))
        .isEqualTo(CandidateProcessor.Outcome.MALFORMED);
    IngestCounters.Snapshot c = counters.snapshot();
    assertThat(c.received()).isEqualTo(6);
    assertThat(c.malformed()).isEqualTo(6);
    assertThat(c.malformedByReason())
        .containsEntry("topic", 2L)
        .containsEntry("payload", 2L)
        .containsEntry("device-mismatch", 1L)
        .containsEntry("dimensions", 1L);
    assertThat(processor.process(TOPIC, Vectors.encoded("cam-1", 1, alice)))
        .isEqualTo(CandidateProcessor.Outcome.MATCHED);
  }

  @Test
  void randomBytesNeverEscapeAsExceptions() {
    Random r = new Random(11);
    for (int i = 0; i < 2_000; i++) {
      byte[] junk = new byte[r.nextInt(300)];
      r.nextBytes(junk);
      assertThat(processor.process(TOPIC, junk)).isEqualTo(CandidateProcessor.Outcome.MALFORMED);
    }
  }

  /**
   * A device clock that jumps (no RTC, bad NTP) gives capture times out of order or far from the
   * matcher's: the matcher still decides on every candidate, dedups by (device, sequence) only, and
   * reports the device's capture time as it was sent.
   */
  @Test
  void deviceClockJumpsChangeNothingButTheReportedCaptureTime() {
    long[] captureTimes = {
      now.toEpochMilli(),
      now.minusSeconds(86_400).toEpochMilli(), // back a day
      now.plusSeconds(365L * 86_400).toEpochMilli(), // ahead a year
      0L // 1970: booted without a clock
    };
    for (int i = 0; i < captureTimes.length; i++) {
      Candidate c =
          new Candidate(
              "cam-1",
              i + 1,
              captureTimes[i],
              1,
              900,
              new Box(0, 0, 10, 10),
              Vectors.MODEL,
              Int8Embedding.quantize(Vectors.near(alice, 0.8, random)));
      assertThat(processor.process(TOPIC, CandidateCodec.encode(c)))
          .isEqualTo(CandidateProcessor.Outcome.MATCHED);
    }
    assertThat(raised)
        .extracting(Alert::captureTimeMillis)
        .containsExactly(captureTimes[0], captureTimes[1], captureTimes[2], captureTimes[3]);
    assertThat(raised).allMatch(a -> a.matchTimeMillis() == now.toEpochMilli());
    // A resend of sequence 2 is a duplicate whatever its capture time says.
    Candidate resend =
        new Candidate(
            "cam-1",
            2,
            now.toEpochMilli(),
            1,
            900,
            new Box(0, 0, 10, 10),
            Vectors.MODEL,
            Int8Embedding.quantize(Vectors.near(alice, 0.8, random)));
    assertThat(processor.process(TOPIC, CandidateCodec.encode(resend)))
        .isEqualTo(CandidateProcessor.Outcome.DUPLICATE);
  }
}
