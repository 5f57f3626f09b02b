package io.edgecam.matcher.calibration;

/**
 * The exact (Clopper-Pearson) binomial upper confidence bound: the largest rate {@code p} for which
 * observing at most {@code k} events in {@code n} trials still has probability {@code alpha}. It
 * never relies on a normal approximation, so it holds for the zero and near-zero counts of a score
 * tail (with {@code k = 0} it is {@code 1 - alpha^(1/n)}, about {@code 3.7 / n} at {@code alpha =
 * 0.025}). Stateless.
 */
public final class ClopperPearson {
  /** One-sided alpha: the upper end of the two-sided 95% interval. */
  public static final double ALPHA = 0.025;

  private static final int BISECTIONS = 64;
  private static final int MAX_FRACTION_TERMS = 100_000;
  private static final double EPS = 1e-15;

  private ClopperPearson() {}

  /**
   * Upper end of the two-sided 95% Clopper-Pearson interval of a rate with {@code k} events in
   * {@code n} trials; 1 when {@code n == 0} (no evidence) or {@code k == n}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= k <= n}
   */
  public static double upper(long k, long n) {
    return upper(k, n, ALPHA);
  }

  /** As {@link #upper(long, long)}, with a one-sided {@code alpha} in (0, 1). */
  public static double upper(long k, long n, double alpha) {
    if (k < 0 || n < 0 || k > n) {
      throw new IllegalArgumentException("need 0 <= k <= n, was k=" + k + ", n=" + n);
    }
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1), was " + alpha);
    }
    if (n == 0 || k == n) {
      return 1.0;
    }
    if (k == 0) {
      return -Math.expm1(Math.log(alpha) / n);
    }
    // P(X <= k | p) = 1 - I_p(k + 1, n - k) falls from 1 to 0 as p rises: bisect for alpha.
    double lo = (double) k / n;
    double hi = 1.0;
    for (int i = 0; i < BISECTIONS; i++) {
      double mid = 0.5 * (lo + hi);
      double atMostK = 1.0 - regularizedBeta(mid, k + 1.0, (double) (n - k));
      if (atMostK > alpha) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi;
  }

  /** The regularized incomplete beta function I_x(a, b), by its continued fraction (Lentz). */
  static double regularizedBeta(double x, double a, double b) {
    if (x <= 0) {
      return 0;
    }
    if (x >= 1) {
      return 1;
    }
    double logFront =
        logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
    if (x < (a + 1) / (a + b + 2)) {
      return Math.exp(logFront) * continuedFraction(x, a, b) / a;
    }
    return 1 - Math.exp(logFront) * continuedFraction(1 - x, b, a) / b;
  }

  private static double continuedFraction(double x, double a, double b) {
    double tiny = 1e-300;
    double qab = a + b;
    double qap = a + 1;
    double qam = a - 1;
    double c = 1;
    double d = 1 - qab * x / qap;
    d = Math.abs(d) < tiny ? tiny : d;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= MAX_FRACTION_TERMS; m++) {
      int m2 = 2 * m;
      double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
      d = 1 + aa * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = 1 + aa / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      h *= d * c;
      aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
      d = 1 + aa * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = 1 + aa / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      double del = d * c;
      h *= del;
      if (Math.abs(del - 1) < EPS) {
        return h;
      }
    }
    return h;
  }

  private static final double[] LANCZOS = {
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7
  };

  /** ln(Gamma(x)) for x > 0 (Lanczos, g = 7; ~15 significant digits). */
  static double logGamma(double x) {
    if (x < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    }
    double z = x - 1;
    double sum = LANCZOS[0];
    double t = z + 7.5;
    for (int i = 1; i < LANCZOS.length; i++) {
      sum += LANCZOS[i] / (z + i);
    }
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
  }
}
