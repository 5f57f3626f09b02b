package io.edgecam.ctl.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Face-verification figures from genuine (same person) and impostor (different people) pair scores,
 * higher = more similar. Pure functions.
 */
public final class VerificationMetrics {
  private static final int FOLDS = 10;

  private VerificationMetrics() {}

  /**
   * ROC AUC: the probability that a random genuine pair scores above a random impostor pair (ties
   * count half).
   */
  public static double auc(double[] genuine, double[] impostor) {
    double[] imp = impostor.clone();
    Arrays.sort(imp);
    double wins = 0;
    for (double g : genuine) {
      int below = lowerBound(imp, g);
      int notAbove = upperBound(imp, g);
      wins += below + 0.5 * (notAbove - below);
    }
    return wins / ((double) genuine.length * impostor.length);
  }

  /** The threshold maximising accuracy (score >= threshold means "same"), midway between scores. */
  public static double bestThreshold(double[] genuine, double[] impostor) {
    double[] all = new double[genuine.length + impostor.length];
    System.arraycopy(genuine, 0, all, 0, genuine.length);
    System.arraycopy(impostor, 0, all, genuine.length, impostor.length);
    Arrays.sort(all);
    double[] g = genuine.clone();
    double[] im = impostor.clone();
    Arrays.sort(g);
    Arrays.sort(im);
    double best = all[0];
    int bestCorrect = -1;
    for (int i = 0; i <= all.length; i++) {
      double t =
          i == 0 ? all[0] - 1e-6 : i == all.length ? all[i - 1] + 1e-6 : (all[i - 1] + all[i]) / 2;
      int correct = (g.length - lowerBound(g, t)) + lowerBound(im, t);
      if (correct > bestCorrect) {
        bestCorrect = correct;
        best = t;
      }
    }
    return best;
  }

  /** Fraction of pairs classified right at {@code threshold}. */
  public static double accuracy(double[] genuine, double[] impostor, double threshold) {
    int correct = 0;
    for (double s : genuine) {
      correct += s >= threshold ? 1 : 0;
    }
    for (double s : impostor) {
      correct += s < threshold ? 1 : 0;
    }
    return (double) correct / (genuine.length + impostor.length);
  }

  /**
   * 10-fold cross-validated accuracy: pairs are shuffled (seeded), split in 10 folds, the threshold
   * is chosen on 9 and applied to the 10th; the mean over folds.
   */
  public static double tenFoldAccuracy(double[] genuine, double[] impostor, long seed) {
    List<double[]> pairs = new ArrayList<>(); // {score, isGenuine}
    for (double s : genuine) {
      pairs.add(new double[] {s, 1});
    }
    for (double s : impostor) {
      pairs.add(new double[] {s, 0});
    }
    Collections.shuffle(pairs, new Random(seed));
    int folds = Math.min(FOLDS, pairs.size());
    double sum = 0;
    for (int f = 0; f < folds; f++) {
      List<Double> trainG = new ArrayList<>();
      List<Double> trainI = new ArrayList<>();
      List<Double> testG = new ArrayList<>();
      List<Double> testI = new ArrayList<>();
      for (int i = 0; i < pairs.size(); i++) {
        boolean test = i % folds == f;
        double[] p = pairs.get(i);
        (p[1] == 1 ? (test ? testG : trainG) : (test ? testI : trainI)).add(p[0]);
      }
      double t = bestThreshold(toArray(trainG), toArray(trainI));
      sum += accuracy(toArray(testG), toArray(testI), t);
    }
    return sum / folds;
  }

  /**
   * True accept rate at each false accept rate the impostor count supports (at least {@code 1/far}
   * impostor pairs); key is the FAR as written, e.g. {@code "1e-2"}.
   */
  public static Map<String, Double> tarAtFar(double[] genuine, double[] impostor) {
    Map<String, Double> out = new LinkedHashMap<>();
    double[] imp = impostor.clone();
    Arrays.sort(imp);
    for (int exp = 2; exp <= 3; exp++) {
      double far = Math.pow(10, -exp);
      if (imp.length < Math.round(1 / far)) {
        continue;
      }
      // Largest threshold index such that at most far * n impostors score >= threshold.
      int allowed = (int) Math.floor(far * imp.length);
      double threshold = Math.nextUp(imp[imp.length - 1 - allowed]);
      int accepted = 0;
      for (double g : genuine) {
        accepted += g >= threshold ? 1 : 0;
      }
      out.put("1e-" + exp, (double) accepted / genuine.length);
    }
    return out;
  }

  private static double[] toArray(List<Double> list) {
    return list.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Index of the first element >= key. */
  private static int lowerBound(double[] sorted, double key) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Index of the first element > key. */
  private static int upperBound(double[] sorted, double key) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
