package io.edgecam.agent.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.agent.config.PrefilterConfig;
import io.edgecam.agent.config.PrefilterConfig.WithoutWatchlist;
import io.edgecam.agent.track.BestShot;
import io.edgecam.agent.track.Face;
import io.edgecam.protocol.Box;
import io.edgecam.protocol.Int8Embedding;
import io.edgecam.protocol.bundle.WatchlistBundle;
import io.edgecam.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The prefilter rule on constructed vectors: a face passes if its cosine to an unexpired entry
 * reaches min(global threshold, entry threshold); without a usable watchlist it follows the
 * configuration; after a wipe nothing passes.
 */
class WatchlistPrefilterTest {
  private static final String TAG = "mfn-test";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final long later = clock.millis() + Duration.ofDays(1).toMillis();

  /** A unit vector at cosine {@code c} from e0, in the e0/e1 plane (8 dimensions). */
  private static float[] atCosine(double c) {
    float[] v = new float[8];
    v[0] = (float) c;
    v[1] = (float) Math.sqrt(1 - c * c);
    return v;
  }

  private static float[] e0() {
    return atCosine(1);
  }

  private static BestShot shot(float[] embedding) {
    return new BestShot(1, 0, new Face(new Box(0, 0, 10, 10), 0.9f, 0.9f, embedding));
  }

  private WatchlistPrefilter prefilter(
      double global, WithoutWatchlist without, float entryThreshold, long expires) {
    WatchlistPrefilter p =
        new WatchlistPrefilter(new PrefilterConfig(true, global, without), () -> TAG, clock);
    WatchlistBundle b =
        new WatchlistBundle(
            1,
            0,
            TAG,
            List.of(
                new WatchlistBundle.Entry(
                    "p1", List.of(Int8Embedding.quantize(e0())), entryThreshold, expires)));
    p.install(LocalWatchlist.of(b, global));
    return p;
  }

  @Test
  void passesAtTheLowerOfGlobalAndEntryThreshold() {
    WatchlistPrefilter lowEntry = prefilter(0.3, WithoutWatchlist.PASS, 0.2f, later);
    assertThat(lowEntry.accept(shot(atCosine(0.25)))).isTrue(); // entry's 0.2 applies
    assertThat(lowEntry.accept(shot(atCosine(0.15)))).isFalse();

    WatchlistPrefilter highEntry = prefilter(0.3, WithoutWatchlist.PASS, 0.8f, later);
    assertThat(highEntry.accept(shot(atCosine(0.35)))).isTrue(); // global 0.3 applies
    assertThat(highEntry.accept(shot(atCosine(0.25)))).isFalse();
  }

  @Test
  void expiredEntriesNoLongerPass() {
    WatchlistPrefilter p = prefilter(0.3, WithoutWatchlist.PASS, 0.5f, later);
    assertThat(p.accept(shot(e0()))).isTrue();

    clock.advance(Duration.ofDays(1));

    assertThat(p.accept(shot(e0()))).isFalse();
  }

  @Test
  void withoutWatchlistFollowsTheConfiguration() {
    WatchlistPrefilter pass =
        new WatchlistPrefilter(
            new PrefilterConfig(true, 0.3, WithoutWatchlist.PASS), () -> TAG, clock);
    WatchlistPrefilter block =
        new WatchlistPrefilter(
            new PrefilterConfig(true, 0.3, WithoutWatchlist.BLOCK), () -> TAG, clock);

    assertThat(pass.accept(shot(e0()))).isTrue();
    assertThat(block.accept(shot(e0()))).isFalse();
  }

  @Test
  void watchlistOfAnotherEmbedderCountsAsNone() {
    WatchlistPrefilter p =
        new WatchlistPrefilter(
            new PrefilterConfig(true, 0.3, WithoutWatchlist.BLOCK), () -> "mfn-other", clock);
    p.install(prefilter(0.3, WithoutWatchlist.BLOCK, 0.5f, later).watchlist());

    assertThat(p.accept(shot(e0()))).isFalse(); // not compared across embedding spaces
  }

  @Test
  void disabledPassesEverythingButAWipeStopsEverything() {
    WatchlistPrefilter p =
        new WatchlistPrefilter(
            new PrefilterConfig(false, 0.3, WithoutWatchlist.BLOCK), () -> TAG, clock);
    assertThat(p.accept(shot(atCosine(0)))).isTrue();

    p.wipe();

    assertThat(p.accept(shot(e0()))).isFalse();
    assertThat(p.isWiped()).isTrue();
  }
}
