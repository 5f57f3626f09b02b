package io.edgecam.ctl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.edgecam.matcher.calibration.ClopperPearson;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OpenSetMetricsTest {
  /** a1, a2 (identity a), b1, b2 (b), c1 (c): 2 genuine and 8 impostor pairs. */
  private static OpenSetMetrics small() {
    List<ScoredPair> pairs = new ArrayList<>();
    pairs.add(pair("a1", "a2", 0.80));
    pairs.add(pair("b1", "b2", 0.50));
    pairs.add(pair("a1", "b1", 0.10));
    pairs.add(pair("a1", "b2", 0.20));
    pairs.add(pair("a1", "c1", 0.30));
    pairs.add(pair("a2", "b1", 0.40));
    pairs.add(pair("a2", "b2", 0.55));
    pairs.add(pair("a2", "c1", 0.00));
    pairs.add(pair("b1", "c1", -0.10));
    pairs.add(pair("b2", "c1", 0.60));
    return OpenSetMetrics.of(pairs);
  }

  private static ScoredPair pair(String a, String b, double score) {
    return new ScoredPair(a, a.substring(0, 1), b, b.substring(0, 1), score);
  }

  @Test
  void countsEveryPairByIdentity() {
    OpenSetMetrics m = small();
    assertThat(m.genuinePairs()).isEqualTo(2);
    assertThat(m.impostorPairs()).isEqualTo(8);
    assertThat(m.strangers()).isEqualTo(5);
    // c1 meets the 4 images of a and b; a1 meets b1, b2, c1: 3 at least.
    assertThat(m.entriesPerStranger()).isEqualTo(3);
  }

  @Test
  void fmrAndFnmrAtThresholdsByHand() {
    OpenSetMetrics m = small();
    // impostors >= 0.45: 0.55, 0.60 -> 2 of 8; genuine below 0.45: none.
    assertThat(m.impostorsAtOrAbove(0.45)).isEqualTo(2);
    assertThat(m.fmr(0.45)).isEqualTo(0.25);
    assertThat(m.fnmr(0.45)).isZero();
    // at 0.55 (inclusive): 0.55 and 0.60 still count; genuine 0.50 fails.
    assertThat(m.fmr(0.55)).isEqualTo(0.25);
    assertThat(m.fnmr(0.55)).isEqualTo(0.5);
    assertThat(m.fmr(0.61)).isZero();
    assertThat(m.fmrUpper(0.61)).isCloseTo(1 - Math.pow(0.05, 1.0 / 8), within(1e-12));
  }

  @Test
  void fnmrAtFmrOnlyWhereTheImpostorCountSupportsIt() {
    double[] g = {0.5, 0.6, 0.95};
    List<ScoredPair> pairs = new ArrayList<>();
    for (int k = 0; k < g.length; k++) {
      pairs.add(new ScoredPair("g" + k + "a", "g" + k, "g" + k + "b", "g" + k, g[k]));
    }
    for (int k = 0; k < 1000; k++) { // 1000 impostors; the two highest 0.9 and 0.8
      double s = k == 999 ? 0.9 : k == 998 ? 0.8 : k / 1000.0 * 0.5;
      pairs.add(new ScoredPair("i" + k + "a", "x" + k, "i" + k + "b", "y" + k, s));
    }
    OpenSetMetrics m = OpenSetMetrics.of(pairs);
    FnmrAtFmr at = m.fnmrAtFmr(1e-3);
    // 1 impostor allowed: the threshold sits just above 0.8, only 0.95 passes.
    assertThat(at.supported()).isTrue();
    assertThat(at.threshold()).isGreaterThan(0.8).isLessThan(0.8 + 1e-12);
    assertThat(at.fmr()).isEqualTo(1e-3);
    assertThat(at.fmrUpper95()).isCloseTo(ClopperPearson.upper(1, 1000, 0.05), within(1e-15));
    assertThat(at.fnmr()).isCloseTo(2.0 / 3, within(1e-12));
    FnmrAtFmr tooFew = m.fnmrAtFmr(1e-4);
    assertThat(tooFew.supported()).isFalse();
    assertThat(tooFew.fnmr()).isNull();
    assertThat(tooFew.note()).isEqualTo("not supported: 1000 impostor pairs (needs 10000)");
  }

  @Test
  void fpirFromFmrIsOneMinusTheChanceOfNoFalseMatchInN() {
    OpenSetMetrics m = small();
    assertThat(m.fpirFromFmr(0.45, 1)).isCloseTo(0.25, within(1e-12));
    assertThat(m.fpirFromFmr(0.45, 3)).isCloseTo(1 - Math.pow(0.75, 3), within(1e-12));
    assertThat(OpenSetMetrics.fpir(1e-5, 1000)).isCloseTo(0.00995, within(1e-5));
  }

  @Test
  void simulationAgreesWithTheClosedFormWhenStrangersAreAlike() {
    // 600 strangers x 598 entries, impostor scores iid N(0, 0.14): every stranger has the same
    // tail, so the simulated FPIR approaches 1 - (1 - FMR)^N. It stays a little below: each
    // stranger's tail is estimated from 598 scores, and the FPIR is concave in the FMR.
    OpenSetMetrics m = OpenSetMetrics.of(syntheticPairs(300, 11));
    int checked = 0;
    for (int n : new int[] {10, 100}) {
      StrangerSimulation sim = m.simulate(n, 5);
      for (double t : new double[] {0.25, 0.3, 0.35, 0.4, 0.45}) {
        double closed = m.fpirFromFmr(t, n);
        if (closed > 0.05 && closed < 0.95) {
          assertThat(sim.fpir(t)).as("N=%d t=%.2f", n, t).isCloseTo(closed, within(0.15 * closed));
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(5);
  }

  @Test
  void thresholdForAnFpirRisesWithTheListSize() {
    OpenSetMetrics m = OpenSetMetrics.of(syntheticPairs(300, 12));
    double previous = Double.NEGATIVE_INFINITY;
    for (int n : new int[] {1, 10, 100}) {
      OperatingPoint p = m.atFpir(m.simulate(n, 3), 0.05);
      assertThat(p.threshold()).as("N=%d", n).isGreaterThan(previous);
      assertThat(p.fpirSimulated()).isLessThanOrEqualTo(0.05);
      assertThat(p.fpirFromFmr()).isLessThanOrEqualTo(0.05);
      // the lowest such threshold: one step below, an estimate exceeds the target
      double below = Math.nextDown(p.threshold());
      assertThat(Math.max(m.simulate(n, 3).fpir(below), m.fpirFromFmr(below, n)))
          .isGreaterThan(0.05);
      assertThat(p.fnir()).isEqualTo(m.fnmr(p.threshold()));
      previous = p.threshold();
    }
  }

  @Test
  void operatingPointSaysWhenTheDataCannotSupportIt() {
    OpenSetMetrics m = small();
    OperatingPoint p = m.atFpir(m.simulate(1000, 1), 0.01);
    assertThat(p.supported()).isFalse();
    assertThat(p.note()).startsWith("not supported: FPIR 0.01 at N=1000 needs FMR ~1.0e-05");
    assertThat(p.threshold()).isGreaterThan(0.60); // above every impostor: FPIR 0
    OpenSetMetrics big = OpenSetMetrics.of(syntheticPairs(300, 13));
    OperatingPoint q = big.atFpir(big.simulate(1000, 1), 0.5);
    assertThat(q.supported()).isFalse();
    assertThat(q.note()).contains("beyond the 598 distinct impostor entries");
  }

  @Test
  void needsBothKindsOfPair() {
    assertThatThrownBy(() -> OpenSetMetrics.of(List.of(pair("a1", "b1", 0.1))))
        .hasMessageContaining("got 0 genuine and 1 impostor");
  }

  /**
   * {@code ids} identities of 2 images each, every pair scored: genuine ~ N(0.7, 0.1), impostor iid
   * ~ N(0, 0.14), so every stranger has the same impostor tail.
   */
  static List<ScoredPair> syntheticPairs(int ids, long seed) {
    Random r = new Random(seed);
    List<ScoredPair> pairs = new ArrayList<>();
    int images = 2 * ids;
    for (int a = 0; a < images; a++) {
      for (int b = a + 1; b < images; b++) {
        String ia = "p" + a / 2;
        String ib = "p" + b / 2;
        double score = ia.equals(ib) ? 0.7 + 0.1 * r.nextGaussian() : 0.14 * r.nextGaussian();
        pairs.add(new ScoredPair(ia + "/" + a, ia, ib + "/" + b, ib, score));
      }
    }
    return pairs;
  }
}
