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
import org.junit.jupiter.api.Test;

class AdaptiveWatchlistIndexTest {
  private final Random random = new Random(5);
  private final Instant now = Instant.parse("2025-06-01T00:00:00Z");
  private final IndexConfig config = IndexConfig.defaults().withApproximateFrom(1_000);
  private final HnswWatchlistIndex hnsw = new HnswWatchlistIndex(config, Runnable::run);
  private final AdaptiveWatchlistIndex index = new AdaptiveWatchlistIndex(config, hnsw);
  private final List<float[]> vectors = new ArrayList<>();

  private List<WatchlistEntry> entries(int n) {
    List<WatchlistEntry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (i >= vectors.size()) {
        vectors.add(Vectors.unit(random));
      }
      out.add(Entries.entry("e" + i, vectors.get(i), now));
    }
    return out;
  }

  @Test
  void exactBelowTheLimitHnswFromItWithHysteresisOnTheWayDown() {
    index.replace(entries(999));
    assertThat(index.approximate()).isFalse();
    assertThat(hnsw.builds()).isZero();

    index.replace(entries(1_000));
    assertThat(index.approximate()).isTrue();
    assertThat(hnsw.builds()).isEqualTo(1);
    assertThat(index.size()).isEqualTo(1_000);

    index.replace(entries(950)); // above 90% of the limit: stays approximate
    assertThat(index.approximate()).isTrue();
    assertThat(index.size()).isEqualTo(950);

    index.replace(entries(899));
    assertThat(index.approximate()).isFalse();
    assertThat(hnsw.size()).as("the HNSW index let its entries go").isZero();
    assertThat(index.size()).isEqualTo(899);
  }

  @Test
  void theConfiguredKindIsTheApproximateIndex() {
    try (AdaptiveWatchlistIndex bits = new AdaptiveWatchlistIndex(config)) {
      bits.replace(entries(1_200));
      assertThat(bits.approximate()).isTrue();
      Int8Embedding q = Int8Embedding.quantize(Vectors.near(vectors.get(33), 0.8, random));
      assertThat(bits.search(q, 0.45, now).entryId()).isEqualTo("e33");
      assertThat(bits.vectors()).isEqualTo(1_200);
    }
    try (AdaptiveWatchlistIndex graph =
        new AdaptiveWatchlistIndex(config.withKind(IndexConfig.Kind.HNSW))) {
      graph.replace(entries(1_200));
      assertThat(graph.approximate()).isTrue();
      Int8Embedding q = Int8Embedding.quantize(Vectors.near(vectors.get(44), 0.8, random));
      assertThat(graph.search(q, 0.45, now).entryId()).isEqualTo("e44"); // exact until built
    }
  }

  @Test
  void findsTheSameEntryEitherWay() {
    index.replace(entries(1_200));
    assertThat(index.approximate()).isTrue();
    Int8Embedding q = Int8Embedding.quantize(Vectors.near(vectors.get(77), 0.8, random));
    assertThat(index.search(q, 0.45, now).entryId()).isEqualTo("e77");
    index.replace(entries(100));
    assertThat(index.approximate()).isFalse();
    assertThat(index.search(q, 0.45, now).entryId()).isEqualTo("e77");
  }
}
