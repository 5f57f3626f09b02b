package io.edgecam.ctl.eval;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulated strangers against a list of {@code listSize} entries: the best score of each search,
 * sorted. A stranger's best of N entries drawn with replacement from its m impostor scores is
 * sampled exactly by inverting its distribution, {@code P(max <= s_(j)) = ((j+1)/m)^N}, so a draw
 * costs O(1) whatever N.
 *
 * @param listSize N, entries on the list
 * @param maxima the simulated best scores, ascending
 */
public record StrangerSimulation(int listSize, double[] maxima) {
  public StrangerSimulation {
    if (listSize < 1) {
      throw new IllegalArgumentException("listSize must be >= 1, was " + listSize);
    }
    if (maxima.length == 0) {
      throw new IllegalArgumentException("no simulated searches");
    }
  }

  static StrangerSimulation run(List<double[]> strangers, int listSize, int total, long seed) {
    if (listSize < 1) {
      throw new IllegalArgumentException("listSize must be >= 1, was " + listSize);
    }
    int per = Math.max(1, (total + strangers.size() - 1) / strangers.size());
    double[] maxima = new double[per * strangers.size()];
    SplittableRandom random = new SplittableRandom(seed);
    int k = 0;
    for (double[] scores : strangers) {
      int m = scores.length;
      for (int r = 0; r < per; r++) {
        double u = 1 - random.nextDouble(); // (0, 1]
        int j = (int) Math.ceil(m * Math.exp(Math.log(u) / listSize)) - 1;
        maxima[k++] = scores[Math.max(0, Math.min(m - 1, j))];
      }
    }
    Arrays.sort(maxima);
    return new StrangerSimulation(listSize, maxima);
  }

  /** Simulated FPIR: the share of searches whose best score is at or above {@code threshold}. */
  public double fpir(double threshold) {
    return (double) (maxima.length - OpenSetMetrics.lowerBound(maxima, threshold)) / maxima.length;
  }
}
