package io.edgecam.matcher.calibration;

import java.util.Arrays;

/**
 * Impostor scores (pairs of different people) counted on the threshold grid: how many of {@link
 * #pairs()} scored at or above each of the thresholds 0.00, 0.01, ..., 1.00. Immutable.
 */
public final class ScoreTail {
  /** Grid thresholds: {@code i * STEP} for {@code i} in {@code 0 .. POINTS - 1}. */
  public static final int POINTS = 101;

  /** Grid step. */
  public static final double STEP = 0.01;

  /** No pairs at all. */
  public static final ScoreTail EMPTY = new ScoreTail(0, new long[POINTS]);

  private final long pairs;
  private final long[] atOrAbove;

  private ScoreTail(long pairs, long[] atOrAbove) {
    this.pairs = pairs;
    this.atOrAbove = atOrAbove;
  }

  /**
   * A tail from its counts.
   *
   * @param pairs impostor pairs scored
   * @param atOrAbove {@link #POINTS} counts, non-increasing, none above {@code pairs}
   * @throws IllegalArgumentException describing what is wrong with the counts
   */
  public static ScoreTail of(long pairs, long[] atOrAbove) {
    if (pairs < 0) {
      throw new IllegalArgumentException("pairs must be >= 0, was " + pairs);
    }
    if (atOrAbove.length != POINTS) {
      throw new IllegalArgumentException(
          "must have "
              + POINTS
              + " counts (thresholds 0.00 to 1.00 in steps of 0.01), has "
              + atOrAbove.length);
    }
    for (int i = 0; i < POINTS; i++) {
      if (atOrAbove[i] < 0 || atOrAbove[i] > pairs) {
        throw new IllegalArgumentException(
            "count at " + threshold(i) + " must be in 0.." + pairs + ", was " + atOrAbove[i]);
      }
      if (i > 0 && atOrAbove[i] > atOrAbove[i - 1]) {
        throw new IllegalArgumentException(
            "counts must not increase with the threshold: "
                + atOrAbove[i - 1]
                + " at "
                + threshold(i - 1)
                + ", "
                + atOrAbove[i]
                + " at "
                + threshold(i));
      }
    }
    return new ScoreTail(pairs, atOrAbove.clone());
  }

  /** Counts {@code n} scores of {@code scores}. */
  public static ScoreTail count(double[] scores, int n) {
    long[] histogram = new long[POINTS];
    for (int i = 0; i < n; i++) {
      histogram[index(scores[i])]++;
    }
    return fromHistogram(n, histogram);
  }

  /** The tail of {@code pairs} scores, {@code histogram[i]} of them on grid point {@code i}. */
  static ScoreTail fromHistogram(long pairs, long[] histogram) {
    long[] tail = new long[POINTS];
    long sum = 0;
    for (int i = POINTS - 1; i >= 0; i--) {
      sum += histogram[i];
      tail[i] = sum;
    }
    return new ScoreTail(pairs, tail);
  }

  /** The grid point at or below {@code score} (scores below 0 count at 0, above 1 at 1). */
  static int index(double score) {
    if (!(score > 0)) {
      return 0;
    }
    return (int) Math.min(POINTS - 1, Math.floor(score / STEP + 1e-9));
  }

  /** Threshold of grid point {@code i}. */
  public static double threshold(int i) {
    return Math.round(i * STEP * 100) / 100.0;
  }

  /** Pooled counts: every pair of both tails. */
  public ScoreTail plus(ScoreTail other) {
    long[] sum = new long[POINTS];
    for (int i = 0; i < POINTS; i++) {
      sum[i] = atOrAbove[i] + other.atOrAbove[i];
    }
    return new ScoreTail(pairs + other.pairs, sum);
  }

  /** Pairs scored. */
  public long pairs() {
    return pairs;
  }

  /** Pairs at or above grid point {@code i}. */
  public long atOrAbove(int i) {
    return atOrAbove[i];
  }

  /** The counts, a copy. */
  public long[] counts() {
    return atOrAbove.clone();
  }

  /**
   * Upper bound of the false match rate per pair at grid point {@code i}: the Clopper-Pearson upper
   * end of the 95% interval of the observed rate.
   */
  public double fmrBound(int i) {
    return ClopperPearson.upper(atOrAbove[i], pairs);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScoreTail t && t.pairs == pairs && Arrays.equals(t.atOrAbove, atOrAbove);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(pairs) + Arrays.hashCode(atOrAbove);
  }

  @Override
  public String toString() {
    return "ScoreTail[" + pairs + " pairs]";
  }
}
