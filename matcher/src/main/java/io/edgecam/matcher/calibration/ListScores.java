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
  /**
   * Most pairs scored per list: ~0.3 s on one core for 192 dimensions; with none above a threshold
   * they bound the false match rate at 9.2e-7, enough for a 1% target up to ~10,900 entries.
   */
  public static final int MAX_PAIRS = 4_000_000;

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
    Vectors v = new Vectors(entries);
    long all = (long) n * (n - 1) / 2;
    long[] histogram = new long[ScoreTail.POINTS];
    if (all <= maxPairs) {
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          histogram[ScoreTail.index(v.score(i, j))]++;
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
      histogram[ScoreTail.index(v.score(i, j))]++;
    }
    return ScoreTail.fromHistogram(maxPairs, histogram);
  }

  /**
   * The entries' quantized values and norms, copied once (the pair loop reads them millions of
   * times).
   */
  private static final class Vectors {
    private final byte[][][] values;
    private final double[][] norms;

    Vectors(List<WatchlistEntry> entries) {
      values = new byte[entries.size()][][];
      norms = new double[entries.size()][];
      for (int e = 0; e < values.length; e++) {
        List<Int8Embedding> embeddings = entries.get(e).embeddings();
        values[e] = new byte[embeddings.size()][];
        norms[e] = new double[embeddings.size()];
        for (int k = 0; k < embeddings.size(); k++) {
          values[e][k] = embeddings.get(k).values();
          norms[e][k] = Math.sqrt((double) embeddings.get(k).rawNormSquared());
        }
      }
    }

    /** Entry {@code i}'s first embedding against the best of entry {@code j}'s. */
    double score(int i, int j) {
      byte[] q = values[i][0];
      double qNorm = norms[i][0];
      double best = -1;
      for (int k = 0; k < values[j].length; k++) {
        byte[] e = values[j][k];
        if (e.length != q.length) {
          continue;
        }
        int dot = 0;
        for (int d = 0; d < q.length; d++) {
          dot += q[d] * e[d];
        }
        best = Math.max(best, dot / (qNorm * norms[j][k]));
      }
      return best;
    }
  }
}
