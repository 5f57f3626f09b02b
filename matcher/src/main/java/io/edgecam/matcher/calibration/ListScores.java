package io.edgecam.matcher.calibration;

import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Int8Embedding;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The watchlist's own impostor scores: entries are different people, so N entries give N(N-1)/2
 * impostor pairs, far more tail than a shipped calibration set once N is in the hundreds. A pair
 * scores as a stranger's candidate would: the first embedding of one entry against the best of the
 * other's embeddings. Up to {@link #MAX_PAIRS} every pair is scored; above, that many pairs drawn
 * at random (a fixed seed, so the same list gives the same tail). Stateless.
 */
public final class ListScores {
  /** Most pairs scored per list (~0.1 s on one core for 192 dimensions). */
  public static final int MAX_PAIRS = 1_000_000;

  private static final long SEED = 0x5eed_ca11bL;

  private ListScores() {}

  /** The tail of {@code entries}' cross-identity scores (entries of one dimension). */
  public static ScoreTail of(List<WatchlistEntry> entries) {
    return of(entries, MAX_PAIRS);
  }

  static ScoreTail of(List<WatchlistEntry> entries, int maxPairs) {
    int n = entries.size();
    if (n < 2) {
      return ScoreTail.EMPTY;
    }
    long all = (long) n * (n - 1) / 2;
    long[] histogram = new long[ScoreTail.POINTS];
    if (all <= maxPairs) {
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          histogram[ScoreTail.index(score(entries.get(i), entries.get(j)))]++;
        }
      }
      return ScoreTail.fromHistogram(all, histogram);
    }
    SplittableRandom random = new SplittableRandom(SEED);
    for (int k = 0; k < maxPairs; k++) {
      int i = random.nextInt(n);
      int j = random.nextInt(n - 1);
      if (j >= i) {
        j++;
      }
      histogram[ScoreTail.index(score(entries.get(i), entries.get(j)))]++;
    }
    return ScoreTail.fromHistogram(maxPairs, histogram);
  }

  private static double score(WatchlistEntry probe, WatchlistEntry entry) {
    Int8Embedding q = probe.embeddings().get(0);
    double best = -1;
    for (Int8Embedding e : entry.embeddings()) {
      if (e.dimensions() == q.dimensions()) {
        best = Math.max(best, q.cosine(e));
      }
    }
    return best;
  }
}
