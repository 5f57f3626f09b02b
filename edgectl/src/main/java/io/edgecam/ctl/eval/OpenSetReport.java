package io.edgecam.ctl.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Open-set figures on a folder of identities ({@code eval --open-set --json} prints this object).
 * Map keys are the thresholds, FMRs, list sizes and FPIRs as written ({@code "0.45"}, {@code
 * "1e-3"}, {@code "1000"}, {@code "0.01"}).
 *
 * @param images images read
 * @param facesMissed images in which no face was found
 * @param precision the precision the pipeline ran
 * @param genuinePairs every same-identity pair
 * @param impostorPairs every different-identity pair
 * @param strangers images used as strangers in the FPIR simulation
 * @param entriesPerStranger fewest distinct impostor entries of a stranger
 * @param confidence of every upper bound
 * @param fmrAtThreshold FMR (with bound) and FNMR at each threshold asked for
 * @param fnmrAtFmr FNMR at FMR 1e-3, 1e-4, 1e-5 where supported
 * @param fpir per list size, per threshold: simulated, from the FMR and from its upper bound
 * @param fnirAtFpir per list size, the operating points at FPIR 1% and 10%
 * @param thresholdFor per list size, the threshold at FPIR 1% (check {@code fnir_at_fpir} for
 *     whether the data supports it)
 */
public record OpenSetReport(
    int images,
    @JsonProperty("faces_missed") int facesMissed,
    String precision,
    @JsonProperty("genuine_pairs") int genuinePairs,
    @JsonProperty("impostor_pairs") int impostorPairs,
    int strangers,
    @JsonProperty("entries_per_stranger") int entriesPerStranger,
    double confidence,
    @JsonProperty("fmr_at_threshold") Map<String, AtThreshold> fmrAtThreshold,
    @JsonProperty("fnmr_at_fmr") Map<String, FnmrAtFmr> fnmrAtFmr,
    Map<String, Map<String, Fpir>> fpir,
    @JsonProperty("fnir_at_fpir") Map<String, Map<String, OperatingPoint>> fnirAtFpir,
    @JsonProperty("threshold_for") Map<String, Double> thresholdFor) {

  /** The FMRs {@code fnmr_at_fmr} reports. */
  public static final List<Double> FMRS = List.of(1e-3, 1e-4, 1e-5);

  /** The FPIRs {@code fnir_at_fpir} reports. */
  public static final List<Double> FPIRS = List.of(0.01, 0.1);

  /** FMR at one threshold. */
  public record AtThreshold(
      @JsonProperty("impostors_at_or_above") int impostorsAtOrAbove,
      double fmr,
      @JsonProperty("fmr_upper95") double fmrUpper95,
      double fnmr) {}

  /** FPIR of one list size at one threshold. */
  public record Fpir(
      double simulated,
      @JsonProperty("from_fmr") double fromFmr,
      @JsonProperty("from_fmr_upper95") double fromFmrUpper95) {}

  /**
   * Computes the report.
   *
   * @param simulations one per list size, from {@code metrics}
   */
  public static OpenSetReport of(
      FaceEvaluation.FaceSet set,
      OpenSetMetrics metrics,
      List<Double> thresholds,
      List<StrangerSimulation> simulations) {
    Map<String, AtThreshold> atThreshold = new LinkedHashMap<>();
    for (double t : thresholds) {
      atThreshold.put(
          key(t),
          new AtThreshold(
              metrics.impostorsAtOrAbove(t), metrics.fmr(t), metrics.fmrUpper(t), metrics.fnmr(t)));
    }
    Map<String, FnmrAtFmr> atFmr = new LinkedHashMap<>();
    for (double f : FMRS) {
      atFmr.put(fmrKey(f), metrics.fnmrAtFmr(f));
    }
    Map<String, Map<String, Fpir>> fpir = new LinkedHashMap<>();
    Map<String, Map<String, OperatingPoint>> fnir = new LinkedHashMap<>();
    Map<String, Double> thresholdFor = new LinkedHashMap<>();
    for (StrangerSimulation sim : simulations) {
      int n = sim.listSize();
      Map<String, Fpir> perThreshold = new LinkedHashMap<>();
      for (double t : thresholds) {
        perThreshold.put(
            key(t),
            new Fpir(sim.fpir(t), metrics.fpirFromFmr(t, n), metrics.fpirUpperFromFmr(t, n)));
      }
      fpir.put(Integer.toString(n), perThreshold);
      Map<String, OperatingPoint> points = new LinkedHashMap<>();
      for (double p : FPIRS) {
        points.put(key(p), metrics.atFpir(sim, p));
      }
      fnir.put(Integer.toString(n), points);
      thresholdFor.put(Integer.toString(n), points.get(key(0.01)).threshold());
    }
    return new OpenSetReport(
        set.images(),
        set.missed().size(),
        set.precision(),
        metrics.genuinePairs(),
        metrics.impostorPairs(),
        metrics.strangers(),
        metrics.entriesPerStranger(),
        OpenSetMetrics.CONFIDENCE,
        atThreshold,
        atFmr,
        fpir,
        fnir,
        thresholdFor);
  }

  /** A number as a map key: {@code 0.45}, {@code 0.6}, {@code 0.01}. */
  static String key(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /** An FMR as a key: {@code 1e-3}. */
  static String fmrKey(double fmr) {
    return "1e-" + Math.round(-Math.log10(fmr));
  }
}
