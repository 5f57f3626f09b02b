package io.edgecam.matcher.calibration;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How the matcher sets its threshold for a list of N entries: calibrated (the lowest grid threshold
 * whose expected false alarms per stranger stay within the target) or fixed (a given threshold,
 * with its expected false alarms reported). The false match rate per pair is the Clopper-Pearson
 * upper bound of the pooled impostor tail: the embedder's calibration plus the watchlist's own
 * cross-identity pairs. Never a Gaussian extrapolation (docs/matcher.md, "Operating point").
 * Immutable.
 *
 * @param calibration the embedder's shipped impostor and genuine scores
 * @param targetFpir expected false alarms per stranger the threshold must keep to, in (0, 1)
 * @param fixed a fixed threshold, or null to calibrate
 */
public record ThresholdPolicy(Calibration calibration, double targetFpir, @Nullable Double fixed) {

  public ThresholdPolicy {
    if (!(targetFpir > 0 && targetFpir < 1)) {
      throw new IllegalArgumentException(
          "thresholds.targetFalseAlarmRate must be in (0, 1), was " + targetFpir);
    }
  }

  /**
   * The operating point for {@code listSize} live entries whose cross-identity pairs scored {@code
   * listTail}.
   */
  public OperatingPoint at(int listSize, ScoreTail listTail) {
    ScoreTail pooled = calibration.impostors().plus(listTail);
    // An empty list alerts on nothing; its threshold is the one a first entry would get.
    int n = Math.max(1, listSize);
    if (fixed != null) {
      // Counts at the grid point at or below the threshold: never fewer than at the threshold.
      int i = ScoreTail.index(fixed);
      double bound = pooled.fmrBound(i);
      double fpir = OperatingPoint.fpir(bound, listSize);
      boolean ok = fpir <= targetFpir;
      return point(
          "fixed",
          listSize,
          fixed,
          i,
          bound,
          fpir,
          pooled,
          listTail,
          ok,
          ok
              ? null
              : String.format(
                  Locale.ROOT,
                  "thresholds.global %.2f gives an expected %.2f%% false alarms per stranger at %d"
                      + " entries, above thresholds.targetFalseAlarmRate %.2f%%",
                  fixed,
                  100 * fpir,
                  listSize,
                  100 * targetFpir));
    }
    int lowestZero = ScoreTail.POINTS - 1;
    for (int i = 0; i < ScoreTail.POINTS; i++) {
      double bound = pooled.fmrBound(i);
      if (OperatingPoint.fpir(bound, n) <= targetFpir) {
        return point(
            "calibrated",
            listSize,
            ScoreTail.threshold(i),
            i,
            bound,
            OperatingPoint.fpir(bound, listSize),
            pooled,
            listTail,
            true,
            null);
      }
      if (pooled.atOrAbove(i) == 0 && lowestZero == ScoreTail.POINTS - 1) {
        lowestZero = i;
      }
    }
    // No threshold reaches the target: above every observed impostor score the bound stops
    // falling, so a higher threshold only loses genuine matches without better evidence.
    double bound = pooled.fmrBound(lowestZero);
    double fpir = OperatingPoint.fpir(bound, listSize);
    return point(
        "calibrated",
        listSize,
        ScoreTail.threshold(lowestZero),
        lowestZero,
        bound,
        fpir,
        pooled,
        listTail,
        false,
        String.format(
            Locale.ROOT,
            "the calibration data (%,d impostor pairs) cannot support thresholds."
                + "targetFalseAlarmRate %.2f%% at %d entries: using threshold %.2f, above every"
                + " observed impostor score, with an expected %.2f%% false alarms per stranger",
            pooled.pairs(),
            100 * targetFpir,
            n,
            ScoreTail.threshold(lowestZero),
            100 * fpir));
  }

  private OperatingPoint point(
      String mode,
      int listSize,
      double threshold,
      int i,
      double bound,
      double fpir,
      ScoreTail pooled,
      ScoreTail listTail,
      boolean supported,
      @Nullable String warning) {
    double fnmr = calibration.fnmr(i);
    return new OperatingPoint(
        mode,
        calibration.modelTag(),
        listSize,
        threshold,
        bound,
        fpir,
        targetFpir,
        Double.isNaN(fnmr) ? null : fnmr,
        pooled.pairs(),
        listTail.pairs(),
        calibration.genuinePairs(),
        supported,
        warning);
  }
}
