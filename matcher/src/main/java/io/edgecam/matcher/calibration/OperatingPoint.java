package io.edgecam.matcher.calibration;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * The matcher's operating point for the current watchlist: the threshold it applies and what that
 * threshold is expected to cost. Immutable.
 *
 * @param mode {@code calibrated} (threshold from the target) or {@code fixed} ({@code
 *     thresholds.global})
 * @param modelTag embedding space the calibration describes, the one the matcher expects
 * @param listSize live watchlist entries N
 * @param threshold effective global threshold (per-entry thresholds may only raise it)
 * @param fmrBound upper bound (Clopper-Pearson 95%) of the false match rate per impostor pair at
 *     {@code threshold}
 * @param expectedFpir expected false alarms per stranger, {@code 1 - (1 - fmrBound)^N}
 * @param targetFpir {@code thresholds.targetFalseAlarmRate}
 * @param fnmr expected miss rate (share of the calibration's genuine pairs below the threshold), or
 *     null when the calibration has no genuine scores
 * @param impostorPairs impostor pairs behind the bound: the calibration's plus the list's own
 * @param listPairs of those, pairs of different watchlist entries
 * @param genuinePairs genuine pairs behind {@code fnmr}
 * @param supported false when no threshold reaches the target with this data at N (calibrated), or
 *     when the fixed threshold exceeds it
 * @param warning what an operator should know (target not supported, fixed threshold above target),
 *     or null
 */
public record OperatingPoint(
    String mode,
    String modelTag,
    int listSize,
    double threshold,
    double fmrBound,
    double expectedFpir,
    double targetFpir,
    @Nullable Double fnmr,
    long impostorPairs,
    long listPairs,
    long genuinePairs,
    boolean supported,
    @Nullable String warning) {

  /** Expected false alarms per 1,000 strangers. */
  public double falseAlarmsPer1000() {
    return 1000 * expectedFpir;
  }

  /** FPIR for {@code n} entries when each pair matches falsely at most at rate {@code fmr}. */
  public static double fpir(double fmr, int n) {
    if (n <= 0 || fmr <= 0) {
      return 0;
    }
    if (fmr >= 1) {
      return 1;
    }
    return -Math.expm1(n * Math.log1p(-fmr));
  }

  /**
   * The JSON form of the matcher status topic, {@code GET /api/status} and {@code watchlist list
   * --json} (docs/api.md).
   */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("mode", mode);
    o.put("model", modelTag);
    o.put("listSize", listSize);
    o.put("threshold", threshold);
    o.put("expectedFpir", expectedFpir);
    o.put("falseAlarmsPer1000Strangers", falseAlarmsPer1000());
    o.put("targetFpir", targetFpir);
    o.put("fmrBound", fmrBound);
    if (fnmr == null) {
      o.putNull("expectedMissRate");
    } else {
      o.put("expectedMissRate", fnmr);
    }
    o.put("impostorPairs", impostorPairs);
    o.put("listPairs", listPairs);
    o.put("genuinePairs", genuinePairs);
    o.put("supported", supported);
    if (warning == null) {
      o.putNull("warning");
    } else {
      o.put("warning", warning);
    }
    return o;
  }

  /** One line for logs and the CLI. */
  public String describe() {
    return String.format(
        java.util.Locale.ROOT,
        "%s threshold %.2f for %d %s (model %s): expected %.2f false alarms per 1,000"
            + " strangers (target %.2f; FMR bound %.2g from %,d impostor pairs), expected miss"
            + " rate %s",
        mode,
        threshold,
        listSize,
        listSize == 1 ? "entry" : "entries",
        modelTag,
        falseAlarmsPer1000(),
        1000 * targetFpir,
        fmrBound,
        impostorPairs,
        fnmr == null
            ? "unknown"
            : String.format(
                java.util.Locale.ROOT, "%.1f%% (%d genuine pairs)", 100 * fnmr, genuinePairs));
  }
}
