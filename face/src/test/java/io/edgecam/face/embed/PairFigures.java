package io.edgecam.face.embed;

import java.util.Arrays;

/**
 * Verification figures over every genuine and impostor pair of a labelled image set (a test
 * utility, not in the product): FNMR at a bounded FMR, FMR at a bounded FNMR, with exact one-sided
 * 95% Clopper-Pearson upper bounds on each FMR so no figure claims more than its pair count shows.
 */
final class PairFigures {
  private PairFigures() {}

  /** FNMR at the lowest threshold that accepts at most {@code floor(target * n)} impostors. */
  record AtFmr(
      double target,
      boolean supported,
      double threshold,
      int impostorsAccepted,
      double fmr,
      double fmrUpper95,
      int genuineRejected,
      double fnmr) {}

  /** FMR at the highest threshold that rejects at most {@code floor(target * n)} genuine pairs. */
  record AtFnmr(
      double target,
      double threshold,
      int genuineRejected,
      double fnmr,
      int impostorsAccepted,
      double fmr,
      double fmrUpper95) {}

  /**
   * A pair is accepted at or above the threshold. {@code supported} is false when {@code n}
   * impostor pairs cannot show an FMR of {@code target} (zero errors in n pairs only bound it by
   * ~3/n).
   */
  static AtFmr fnmrAtFmr(double[] genuine, double[] impostor, double target) {
    double[] imp = sortedDescending(impostor);
    int k = (int) Math.floor(target * imp.length);
    double threshold = k < imp.length ? Math.nextUp(imp[k]) : Double.NEGATIVE_INFINITY;
    int accepted = countAtOrAbove(impostor, threshold);
    int rejected = genuine.length - countAtOrAbove(genuine, threshold);
    return new AtFmr(
        target,
        imp.length >= 3 / target,
        threshold,
        accepted,
        (double) accepted / imp.length,
        clopperPearsonUpper(accepted, imp.length, 0.95),
        rejected,
        (double) rejected / genuine.length);
  }

  static AtFnmr fmrAtFnmr(double[] genuine, double[] impostor, double target) {
    double[] gen = genuine.clone();
    Arrays.sort(gen);
    double threshold = gen[(int) Math.floor(target * gen.length)];
    int rejected = gen.length - countAtOrAbove(gen, threshold);
    int accepted = countAtOrAbove(impostor, threshold);
    return new AtFnmr(
        target,
        threshold,
        rejected,
        (double) rejected / gen.length,
        accepted,
        (double) accepted / impostor.length,
        clopperPearsonUpper(accepted, impostor.length, 0.95));
  }

  /** ROC AUC: the chance a random genuine pair outscores a random impostor pair (ties half). */
  static double auc(double[] genuine, double[] impostor) {
    double wins = 0;
    for (double g : genuine) {
      for (double i : impostor) {
        wins += g > i ? 1 : g == i ? 0.5 : 0;
      }
    }
    return wins / ((double) genuine.length * impostor.length);
  }

  /**
   * The exact one-sided upper confidence bound of a binomial proportion with {@code k} successes in
   * {@code n} trials: the p at which P(X <= k) = 1 - confidence (bisection on the CDF).
   */
  static double clopperPearsonUpper(int k, int n, double confidence) {
    if (k < 0 || k > n || n < 1) {
      throw new IllegalArgumentException("need 0 <= k <= n, n >= 1; was k=" + k + ", n=" + n);
    }
    if (k == n) {
      return 1;
    }
    double alpha = 1 - confidence;
    double lo = (double) k / n;
    double hi = 1;
    for (int i = 0; i < 200 && hi - lo > 1e-15; i++) {
      double p = (lo + hi) / 2;
      if (binomialCdf(k, n, p) > alpha) {
        lo = p;
      } else {
        hi = p;
      }
    }
    return hi;
  }

  /** P(X <= k) for X ~ Binomial(n, p), summed in log space (no underflow for large n). */
  static double binomialCdf(int k, int n, double p) {
    if (p <= 0) {
      return 1;
    }
    if (p >= 1) {
      return k >= n ? 1 : 0;
    }
    double logPmf = n * Math.log1p(-p);
    double logRatio = Math.log(p) - Math.log1p(-p);
    double max = logPmf;
    double[] logs = new double[k + 1];
    logs[0] = logPmf;
    for (int i = 0; i < k; i++) {
      logPmf += Math.log((double) (n - i) / (i + 1)) + logRatio;
      logs[i + 1] = logPmf;
      max = Math.max(max, logPmf);
    }
    double sum = 0;
    for (double l : logs) {
      sum += Math.exp(l - max);
    }
    return Math.min(1, Math.exp(max) * sum);
  }

  private static int countAtOrAbove(double[] scores, double threshold) {
    int n = 0;
    for (double s : scores) {
      if (s >= threshold) {
        n++;
      }
    }
    return n;
  }

  private static double[] sortedDescending(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    for (int i = 0, j = s.length - 1; i < j; i++, j--) {
      double t = s[i];
      s[i] = s[j];
      s[j] = t;
    }
    return s;
  }
}
