package io.edgecam.ctl.eval;

/**
 * Exact (Clopper-Pearson) one-sided upper confidence bound of a binomial proportion: the largest
 * error rate {@code p} for which seeing {@code k} or fewer errors in {@code n} trials still has
 * probability {@code 1 - confidence}. With {@code k = 0} it is {@code 1 - (1 - confidence)^(1/n)}
 * (about {@code 3/n} at 95%, the "rule of three"). Pure functions.
 */
public final class ClopperPearson {
  private ClopperPearson() {}

  /**
   * The upper bound of the error rate after {@code k} errors in {@code n} trials.
   *
   * @param confidence e.g. 0.95
   * @throws IllegalArgumentException unless {@code 0 <= k <= n}, {@code n >= 1} and {@code 0 <
   *     confidence < 1}
   */
  public static double upper(long k, long n, double confidence) {
    if (n < 1 || k < 0 || k > n) {
      throw new IllegalArgumentException("need 0 <= k <= n and n >= 1, was k=" + k + ", n=" + n);
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1), was " + confidence);
    }
    double alpha = 1 - confidence;
    if (k == n) {
      return 1;
    }
    if (k == 0) {
      return -Math.expm1(Math.log(alpha) / n);
    }
    // P(X <= k | p) = 1 - I_p(k + 1, n - k) falls with p: bisect for the p where it equals alpha.
    double lo = (double) k / n;
    double hi = 1;
    for (int i = 0; i < 200 && hi - lo > 1e-15 * Math.max(lo, 1e-300); i++) {
      double mid = (lo + hi) / 2;
      double cdf = 1 - IncompleteBeta.regularized(k + 1, n - k, mid);
      if (cdf > alpha) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }
}
