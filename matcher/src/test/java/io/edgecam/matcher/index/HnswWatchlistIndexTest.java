package io.edgecam.matcher.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.matcher.config.IndexConfig;
import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.Vectors;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Int8Embedding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class HnswWatchlistIndexTest {
  private static final IndexConfig CONFIG = IndexConfig.defaults();

  private final Random random = new Random(11);
  private final Instant now = Instant.parse("2025-06-01T00:00:00Z");
  private final List<float[]> vectors = new ArrayList<>();

  private List<WatchlistEntry> entries(int n) {
    return Entries.random(n, random, vectors, now);
  }

  private Int8Embedding near(int i) {
    return Int8Embedding.quantize(Vectors.near(vectors.get(i), 0.8, random));
  }

  @Test
  void agreesWithExactSearchOnGenuineAndStrangerCandidates() {
    List<WatchlistEntry> list = entries(2_000);
    ExactWatchlistIndex exact = new ExactWatchlistIndex();
    exact.replace(list);
    HnswWatchlistIndex hnsw =
        new HnswWatchlistIndex(CONFIG.withBuildThreads(2), Runnable::run); // concurrent build
    hnsw.replace(list);
    assertThat(hnsw.builds()).isEqualTo(1);
    assertThat(hnsw.exactlySearched()).isZero();
    int same = 0;
    int n = 400;
    for (int q = 0; q < n; q++) {
      Int8Embedding query =
          q % 2 == 0 ? near(random.nextInt(2_000)) : Int8Embedding.quantize(Vectors.unit(random));
      Match e = exact.search(query, 0.45, now);
      Match h = hnsw.search(query, 0.45, now);
      if (e == null ? h == null : h != null && e.entryId().equals(h.entryId())) {
        same++;
        if (h != null) {
          assertThat(h.score()).isEqualTo(e.score()); // exact cosines, not approximations
        }
      }
    }
    assertThat((double) same / n).isGreaterThanOrEqualTo(0.99);
  }

  @Test
  void perEntryThresholdAndExpiryAreHonouredAmongTheNearest() {
    List<WatchlistEntry> list = new ArrayList<>(entries(1_500));
    float[] person = Vectors.unit(random);
    list.addAll(Entries.strictExpiredOk(person, random, now)); // one strict, one expired, one ok
    HnswWatchlistIndex hnsw = new HnswWatchlistIndex(CONFIG, Runnable::run);
    hnsw.replace(list);
    Int8Embedding q = Int8Embedding.quantize(Vectors.near(person, 0.9, random));

    assertThat(hnsw.search(q, 0.45, now.plusSeconds(120)).entryId()).isEqualTo("ok");
    Match beforeExpiry = hnsw.search(q, 0.45, now);
    assertThat(beforeExpiry.entryId()).isIn("expired", "ok");
    assertThat(beforeExpiry.score())
        .isGreaterThanOrEqualTo(hnsw.search(q, 0.45, now.plusSeconds(120)).score());
  }

  @Test
  void changesAfterTheBuildAreSearchedExactlyAndRemovedEntriesNeverMatch() {
    List<WatchlistEntry> list = new ArrayList<>(entries(2_000));
    HnswWatchlistIndex hnsw = new HnswWatchlistIndex(CONFIG, Runnable::run);
    hnsw.replace(list);

    WatchlistEntry removed = list.remove(10);
    float[] newcomer = Vectors.unit(random);
    list.add(Entries.entry("newcomer", newcomer, now));
    float[] changed = Vectors.unit(random);
    list.set(20, Entries.entry(list.get(20).id(), changed, now)); // e21 enrolled again
    hnsw.replace(list);

    assertThat(hnsw.builds()).as("small changes do not rebuild").isEqualTo(1);
    assertThat(hnsw.exactlySearched()).isEqualTo(2);
    assertThat(hnsw.size()).isEqualTo(2_000);
    Match m = hnsw.search(near(10), 0.45, now);
    assertThat(m == null ? null : m.entryId()).isNotEqualTo(removed.id());
    assertThat(
            hnsw.search(Int8Embedding.quantize(Vectors.near(newcomer, 0.8, random)), 0.45, now)
                .entryId())
        .isEqualTo("newcomer");
    Match old = hnsw.search(near(21), 0.45, now);
    assertThat(old == null ? null : old.entryId()).isNotEqualTo("e21");
    assertThat(
            hnsw.search(Int8Embedding.quantize(Vectors.near(changed, 0.8, random)), 0.45, now)
                .entryId())
        .isEqualTo("e21");
  }

  @Test
  void runnerUpComesFromTheGraphOrTheChangesSinceTheBuild() {
    List<WatchlistEntry> list = new ArrayList<>(entries(1_500));
    float[] alice = Vectors.unit(random);
    float[] twin = Vectors.near(alice, 0.7, random);
    list.add(Entries.entry("alice", alice, now));
    HnswWatchlistIndex hnsw = new HnswWatchlistIndex(CONFIG, Runnable::run);
    hnsw.replace(list);
    list.add(Entries.entry("twin", twin, now)); // after the build: searched exactly
    hnsw.replace(list);
    assertThat(hnsw.exactlySearched()).isEqualTo(1);
    ExactWatchlistIndex exact = new ExactWatchlistIndex();
    exact.replace(list);

    // The match is in the graph, the runner-up among the changes.
    Int8Embedding q = Int8Embedding.quantize(Vectors.near(alice, 0.95, random));
    Match m = hnsw.search(q, 0.45, now);
    assertThat(m.entryId()).isEqualTo("alice");
    assertThat(m.secondScore()).isEqualTo(exact.search(q, 0.45, now).secondScore());
    assertThat(m.secondScore()).isEqualTo(q.cosine(Int8Embedding.quantize(twin)));
    // The match among the changes, the runner-up in the graph.
    Int8Embedding t = Int8Embedding.quantize(Vectors.near(twin, 0.95, random));
    Match n = hnsw.search(t, 0.45, now);
    assertThat(n.entryId()).isEqualTo("twin");
    assertThat(n.secondScore()).isEqualTo(exact.search(t, 0.45, now).secondScore());
  }

  @Test
  void searchesExactlyWhileTheGraphIsBuiltAndSwapsItInWhenDone() {
    ConcurrentLinkedQueue<Runnable> pending = new ConcurrentLinkedQueue<>();
    HnswWatchlistIndex hnsw = new HnswWatchlistIndex(CONFIG, pending::add);
    hnsw.replace(entries(1_200));

    assertThat(pending).hasSize(1);
    assertThat(hnsw.builds()).isZero();
    assertThat(hnsw.exactlySearched()).isEqualTo(1_200);
    assertThat(hnsw.search(near(5), 0.45, now).entryId()).isEqualTo("e5");

    hnsw.replace(List.of()); // changed while the build runs: the build's result is re-composed
    pending.poll().run();
    assertThat(hnsw.builds()).isEqualTo(1);
    assertThat(hnsw.size()).isZero();
    assertThat(hnsw.search(near(5), 0.45, now)).isNull();
  }

  @Test
  void queryOfAnotherDimensionMatchesNothing() {
    HnswWatchlistIndex hnsw = new HnswWatchlistIndex(CONFIG, Runnable::run);
    hnsw.replace(entries(50));
    assertThat(hnsw.search(Int8Embedding.quantize(new float[] {1f, 0f, 0f}), 0.1, now)).isNull();
  }
}
