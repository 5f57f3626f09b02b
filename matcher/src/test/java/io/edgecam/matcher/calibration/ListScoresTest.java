package io.edgecam.matcher.calibration;

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

class ListScoresTest {
  private final Instant now = Instant.parse("2025-06-01T00:00:00Z");
  private final Random random = new Random(3);

  @Test
  void scoresEveryPairOfASmallList() {
    List<WatchlistEntry> entries = Entries.random(40, random, new ArrayList<>(), now);
    ScoreTail tail = ListScores.of(entries);
    assertThat(tail.pairs()).isEqualTo(40 * 39 / 2);
    assertThat(tail.atOrAbove(0)).isLessThanOrEqualTo(tail.pairs());
    // Random directions in 192-d: cosine sd ~0.07, none near 0.6.
    assertThat(tail.atOrAbove(60)).isZero();
  }

  @Test
  void aDuplicatePersonShowsUpInTheTail() {
    float[] alice = Vectors.unit(random);
    List<WatchlistEntry> entries =
        new ArrayList<>(Entries.random(20, random, new ArrayList<>(), now));
    entries.add(Entries.entry("alice-1", alice, now));
    entries.add(Entries.entry("alice-2", Vectors.near(alice, 0.9, random), now));
    ScoreTail tail = ListScores.of(entries);
    assertThat(tail.atOrAbove(85)).isEqualTo(1);
  }

  @Test
  void samplesLargeListsWithAFixedSeed() {
    List<WatchlistEntry> entries = Entries.random(300, random, new ArrayList<>(), now);
    ScoreTail sampled = ListScores.of(entries, 10_000);
    assertThat(sampled.pairs()).isEqualTo(10_000);
    assertThat(ListScores.of(entries, 10_000)).isEqualTo(sampled);
    assertThat(ListScores.of(entries).pairs()).isEqualTo(300 * 299 / 2);
  }

  @Test
  void scoresAgainstTheBestOfAnEntrysEmbeddings() {
    float[] bob = Vectors.unit(random);
    float[] other = Vectors.unit(random);
    WatchlistEntry probe = Entries.entry("probe", Vectors.near(bob, 0.7, random), now);
    WatchlistEntry twoShots =
        new WatchlistEntry(
            "bob",
            "Bob",
            List.of(Int8Embedding.quantize(other), Int8Embedding.quantize(bob)),
            Vectors.MODEL,
            "test warrant 42",
            now.plus(Duration.ofDays(1)),
            "tester",
            now,
            null);
    ScoreTail tail = ListScores.of(List.of(probe, twoShots));
    assertThat(tail.pairs()).isEqualTo(1);
    assertThat(tail.atOrAbove(65)).isEqualTo(1);
  }
}
