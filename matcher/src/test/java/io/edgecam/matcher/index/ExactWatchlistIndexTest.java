package io.edgecam.matcher.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.Vectors;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Int8Embedding;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactWatchlistIndexTest {
  private final Random random = new Random(7);
  private final Instant now = Instant.parse("2025-06-01T00:00:00Z");
  private final ExactWatchlistIndex index = new ExactWatchlistIndex();

  @Test
  void findsTheEntryClosestToTheQueryAboveTheThreshold() {
    List<float[]> vectors = new ArrayList<>();
    List<WatchlistEntry> entries = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      float[] v = Vectors.unit(random);
      vectors.add(v);
      entries.add(Entries.entry("e" + i, v, now));
    }
    index.replace(entries);
    for (int i = 0; i < 500; i += 50) {
      float[] q = Vectors.near(vectors.get(i), 0.7, random);
      Match m = index.search(Int8Embedding.quantize(q), 0.45, now);
      assertThat(m).isNotNull();
      assertThat(m.entryId()).isEqualTo("e" + i);
      assertThat(m.score())
          .isCloseTo(Vectors.dot(q, vectors.get(i)), org.assertj.core.data.Offset.offset(0.01));
    }
    assertThat(index.search(Int8Embedding.quantize(Vectors.unit(random)), 0.45, now)).isNull();
  }

  @Test
  void scoreEqualsInt8Cosine() {
    float[] v = Vectors.unit(random);
    index.replace(List.of(Entries.entry("a", v, now)));
    Int8Embedding q = Int8Embedding.quantize(Vectors.near(v, 0.6, random));
    Match m = index.search(q, 0.1, now);
    assertThat(m.score())
        .isCloseTo(q.cosine(Int8Embedding.quantize(v)), org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void perEntryThresholdMayOnlyRaiseTheGlobal() {
    float[] v = Vectors.unit(random);
    index.replace(List.of(Entries.entry("strict", v, now.plus(Duration.ofDays(1)), 0.9, now)));
    Int8Embedding q = Int8Embedding.quantize(Vectors.near(v, 0.7, random));
    assertThat(index.search(q, 0.45, now)).isNull();
    index.replace(List.of(Entries.entry("lenient", v, now.plus(Duration.ofDays(1)), 0.6, now)));
    assertThat(index.search(q, 0.45, now).threshold()).isEqualTo(0.6);
    // A lower own threshold does not lower the operating point.
    assertThat(index.search(q, 0.95, now)).isNull();
    assertThat(index.search(q, 0.65, now).threshold()).isEqualTo(0.65);
  }

  @Test
  void matchCarriesTheRunnerUpEntrysScore() {
    float[] alice = Vectors.unit(random);
    float[] bob = Vectors.near(alice, 0.5, random);
    float[] carol = Vectors.unit(random);
    index.replace(
        List.of(
            Entries.entry("alice", alice, now),
            Entries.entry("bob", bob, now),
            Entries.entry("carol", carol, now)));
    Int8Embedding q = Int8Embedding.quantize(Vectors.near(alice, 0.9, random));
    Match m = index.search(q, 0.45, now);
    assertThat(m.entryId()).isEqualTo("alice");
    double bobScore = q.cosine(Int8Embedding.quantize(bob));
    double carolScore = q.cosine(Int8Embedding.quantize(carol));
    assertThat(m.secondScore())
        .isCloseTo(Math.max(bobScore, carolScore), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(m.margin())
        .isCloseTo(m.score() - m.secondScore(), org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void runnerUpIsAnotherEntryNotAnotherEmbeddingOfTheMatch() {
    float[] alice = Vectors.unit(random);
    float[] bob = Vectors.unit(random);
    WatchlistEntry twoShots =
        new WatchlistEntry(
            "alice",
            "Alice",
            List.of(
                Int8Embedding.quantize(alice),
                Int8Embedding.quantize(Vectors.near(alice, 0.95, random))),
            Vectors.MODEL,
            "test warrant 42",
            now.plus(Duration.ofDays(1)),
            "tester",
            now,
            null);
    index.replace(List.of(twoShots, Entries.entry("bob", bob, now)));
    Int8Embedding q = Int8Embedding.quantize(Vectors.near(alice, 0.9, random));
    Match m = index.search(q, 0.45, now);
    assertThat(m.secondScore())
        .isCloseTo(
            q.cosine(Int8Embedding.quantize(bob)), org.assertj.core.data.Offset.offset(1e-9));
    index.replace(List.of(twoShots));
    assertThat(index.search(q, 0.45, now).secondScore()).isEqualTo(Match.NO_SECOND);
  }

  @Test
  void expiredEntryNeverMatchesEvenWhenIdentical() {
    float[] v = Vectors.unit(random);
    Instant expiry = now.plus(Duration.ofHours(1));
    index.replace(List.of(Entries.entry("a", v, expiry, null, now)));
    Int8Embedding q = Int8Embedding.quantize(v);
    assertThat(index.search(q, 0.45, now)).isNotNull();
    assertThat(index.search(q, 0.45, expiry)).isNull();
    assertThat(index.search(q, 0.45, expiry.plusSeconds(1))).isNull();
  }

  @Test
  void queryOfAnotherDimensionMatchesNothing() {
    index.replace(List.of(Entries.entry("a", Vectors.unit(random), now)));
    assertThat(index.search(Int8Embedding.quantize(new float[] {1f, 0f, 0f}), 0.1, now)).isNull();
  }

  @Test
  void entryWithSeveralEmbeddingsMatchesOnItsClosestOne() {
    float[] a = Vectors.unit(random);
    float[] b = Vectors.unit(random);
    index.replace(
        List.of(
            new WatchlistEntry(
                "p",
                "P",
                List.of(Int8Embedding.quantize(a), Int8Embedding.quantize(b)),
                Vectors.MODEL,
                "basis",
                now.plus(Duration.ofDays(1)),
                "t",
                now,
                null)));
    Match m = index.search(Int8Embedding.quantize(Vectors.near(b, 0.8, random)), 0.45, now);
    assertThat(m.entryId()).isEqualTo("p");
    assertThat(m.score()).isGreaterThan(0.75);
    assertThat(index.vectors()).isEqualTo(2);
    assertThat(index.size()).isEqualTo(1);
  }

  @Test
  void dotProductHandlesDimensionsNotMultipleOfFour() {
    byte[] q = {1, 2, 3, 4, 5, 6, 7};
    byte[] d = {0, 7, 6, 5, 4, 3, 2, 1};
    assertThat(ExactWatchlistIndex.dot(q, d, 1, 7)).isEqualTo(7 + 12 + 15 + 16 + 15 + 12 + 7);
  }
}
