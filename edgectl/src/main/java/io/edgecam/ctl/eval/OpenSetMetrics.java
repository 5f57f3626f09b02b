package io.edgecam.ctl.eval;

import io.edgecam.matcher.calibration.ClopperPearson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Open-set (watchlist) figures from every scored pair of a labelled image set: FMR and FNMR against
 * the threshold, FNMR at a target FMR with the exact upper bound of the FMR reached, and the false
 * positive identification rate (FPIR: the share of strangers, people not on the list, who raise an
 * alarm) for a list of N entries, both simulated and from the FMR. Immutable and thread-safe; free
 * of plotting and CLI code so that calibration and benchmarks can reuse it.
 *
 * <p>"Supported" follows one rule throughout: a rate {@code r} is supported by {@code n} trials
 * when {@code n >= 1/r}, i.e. at least one error is expected at that rate; every FMR reported also
 * carries its one-sided 95% Clopper-Pearson upper bound, which is what the data can guarantee.
 */
public final class OpenSetMetrics {
  /** Confidence of every upper bound reported. */
  public static final double CONFIDENCE = 0.95;

  private static final int SIMULATED_MAXIMA = 200_000;

  private final double[] genuine;
  private final double[] impostor;
  private final List<double[]> strangers;

  private OpenSetMetrics(double[] genuine, double[] impostor, List<double[]> strangers) {
    this.genuine = genuine;
    this.impostor = impostor;
    this.strangers = strangers;
  }

  /**
   * The figures of {@code pairs}: every pair of images once (a/b order does not matter).
   *
   * @throws IllegalArgumentException when there is no genuine or no impostor pair
   */
  public static OpenSetMetrics of(Collection<ScoredPair> pairs) {
    List<Double> g = new ArrayList<>();
    List<Double> im = new ArrayList<>();
    Map<String, List<Double>> byStranger = new HashMap<>();
    for (ScoredPair p : pairs) {
      if (p.genuine()) {
        g.add(p.score());
      } else {
        im.add(p.score());
        byStranger.computeIfAbsent(p.imageA(), k -> new ArrayList<>()).add(p.score());
        byStranger.computeIfAbsent(p.imageB(), k -> new ArrayList<>()).add(p.score());
      }
    }
    if (g.isEmpty() || im.isEmpty()) {
      throw new IllegalArgumentException(
          "open-set figures need genuine and impostor pairs, got "
              + g.size()
              + " genuine and "
              + im.size()
              + " impostor");
    }
    List<double[]> strangers = new ArrayList<>();
    byStranger.keySet().stream().sorted().forEach(k -> strangers.add(sorted(byStranger.get(k))));
    return new OpenSetMetrics(sorted(g), sorted(im), List.copyOf(strangers));
  }

  /** Same-identity pairs. */
  public int genuinePairs() {
    return genuine.length;
  }

  /** Different-identity pairs. */
  public int impostorPairs() {
    return impostor.length;
  }

  /** Images that served as strangers (those with at least one impostor pair). */
  public int strangers() {
    return strangers.size();
  }

  /**
   * The fewest distinct impostor entries any stranger was compared with: the largest list size
   * whose simulation does not repeat entries.
   */
  public int entriesPerStranger() {
    return strangers.stream().mapToInt(s -> s.length).min().orElse(0);
  }

  /** Genuine scores, ascending (a copy). */
  public double[] genuineScores() {
    return genuine.clone();
  }

  /** Impostor scores, ascending (a copy). */
  public double[] impostorScores() {
    return impostor.clone();
  }

  /** Impostor pairs scoring at or above {@code threshold}. */
  public int impostorsAtOrAbove(double threshold) {
    return impostor.length - lowerBound(impostor, threshold);
  }

  /** False match rate: the share of impostor pairs at or above {@code threshold}. */
  public double fmr(double threshold) {
    return (double) impostorsAtOrAbove(threshold) / impostor.length;
  }

  /** The 95% upper bound of the FMR at {@code threshold} (Clopper-Pearson). */
  public double fmrUpper(double threshold) {
    return ClopperPearson.upper(impostorsAtOrAbove(threshold), impostor.length, 1 - CONFIDENCE);
  }

  /** False non-match rate: the share of genuine pairs below {@code threshold}. */
  public double fnmr(double threshold) {
    return (double) lowerBound(genuine, threshold) / genuine.length;
  }

  /** Whether {@code n} trials support a rate as low as {@code rate} ({@code n >= 1/rate}). */
  public static boolean supports(long n, double rate) {
    return n * rate >= 1 - 1e-9;
  }

  /**
   * FNMR at the lowest threshold whose FMR does not exceed {@code targetFmr}; unsupported (no
   * figures) when there are fewer than {@code 1/targetFmr} impostor pairs.
   */
  public FnmrAtFmr fnmrAtFmr(double targetFmr) {
    if (!supports(impostor.length, targetFmr)) {
      return FnmrAtFmr.unsupported(targetFmr, impostor.length);
    }
    int allowed = (int) Math.floor(targetFmr * impostor.length + 1e-9);
    double threshold =
        allowed >= impostor.length
            ? impostor[0]
            : Math.nextUp(impostor[impostor.length - 1 - allowed]);
    return new FnmrAtFmr(
        targetFmr, true, threshold, fmr(threshold), fmrUpper(threshold), fnmr(threshold), null);
  }

  /** FPIR for a list of {@code listSize} entries from the FMR: {@code 1 - (1 - FMR)^N}. */
  public double fpirFromFmr(double threshold, int listSize) {
    return fpir(fmr(threshold), listSize);
  }

  /** {@link #fpirFromFmr} with the FMR's 95% upper bound: what the data can guarantee. */
  public double fpirUpperFromFmr(double threshold, int listSize) {
    return fpir(fmrUpper(threshold), listSize);
  }

  static double fpir(double fmr, int listSize) {
    return -Math.expm1(listSize * Math.log1p(-fmr));
  }

  /**
   * Simulates strangers searching a list of {@code listSize} entries: for each stranger, many
   * times, the best of {@code listSize} entries drawn (with replacement) from the images of the
   * other identities. Deterministic for a seed.
   */
  public StrangerSimulation simulate(int listSize, long seed) {
    return StrangerSimulation.run(strangers, listSize, SIMULATED_MAXIMA, seed);
  }

  /**
   * The operating point for a list: the lowest threshold at which both the simulated FPIR and the
   * FPIR from the FMR are at most {@code targetFpir}, and the FNIR (genuine scores below it) there.
   */
  public OperatingPoint atFpir(StrangerSimulation simulation, double targetFpir) {
    int n = simulation.listSize();
    double[] candidates = candidates(simulation);
    int lo = 0;
    int hi = candidates.length - 1; // the last candidate is above every score: FPIR 0
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      double t = candidates[mid];
      if (simulation.fpir(t) <= targetFpir && fpirFromFmr(t, n) <= targetFpir) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    double t = candidates[lo];
    boolean pairsSupport = supports(impostor.length, targetFpir / n);
    boolean entriesSupport = n <= entriesPerStranger();
    String note = null;
    if (!pairsSupport) {
      note =
          String.format(
              "not supported: FPIR %s at N=%d needs FMR ~%.1e, i.e. >= %d impostor pairs; %d here",
              targetFpir, n, targetFpir / n, (long) Math.ceil(n / targetFpir), impostor.length);
    } else if (!entriesSupport) {
      note =
          String.format(
              "N=%d is beyond the %d distinct impostor entries per stranger: the simulation"
                  + " repeats entries",
              n, entriesPerStranger());
    }
    return new OperatingPoint(
        n,
        targetFpir,
        t,
        simulation.fpir(t),
        fpirFromFmr(t, n),
        fnmr(t),
        pairsSupport && entriesSupport,
        note);
  }

  private double[] candidates(StrangerSimulation simulation) {
    double[] maxima = simulation.maxima();
    double[] all = new double[impostor.length + maxima.length + 1];
    System.arraycopy(impostor, 0, all, 0, impostor.length);
    System.arraycopy(maxima, 0, all, impostor.length, maxima.length);
    all[all.length - 1] = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < all.length - 1; i++) {
      all[i] = Math.nextUp(all[i]); // just above a score: that score no longer counts
    }
    Arrays.sort(all);
    return all;
  }

  private static double[] sorted(List<Double> values) {
    double[] a = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    return a;
  }

  /** Index of the first element >= key. */
  static int lowerBound(double[] sorted, double key) {
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
}
