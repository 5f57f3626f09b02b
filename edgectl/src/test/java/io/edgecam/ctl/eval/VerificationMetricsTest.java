package io.edgecam.ctl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VerificationMetricsTest {
  @Test
  void perfectSeparationGivesAucOneAndAThresholdBetween() {
    double[] g = {0.7, 0.8, 0.9};
    double[] i = {0.0, 0.1, 0.2};
    assertThat(VerificationMetrics.auc(g, i)).isEqualTo(1.0);
    double t = VerificationMetrics.bestThreshold(g, i);
    assertThat(t).isBetween(0.2, 0.7);
    assertThat(VerificationMetrics.accuracy(g, i, t)).isEqualTo(1.0);
  }

  @Test
  void aucCountsTiesAsHalf() {
    assertThat(VerificationMetrics.auc(new double[] {0.5}, new double[] {0.5})).isEqualTo(0.5);
    assertThat(VerificationMetrics.auc(new double[] {0.6, 0.4}, new double[] {0.5})).isEqualTo(0.5);
  }

  @Test
  void inverseScoresGiveAucZero() {
    assertThat(VerificationMetrics.auc(new double[] {0.1}, new double[] {0.9})).isZero();
  }

  @Test
  void accuracyAtThresholdCountsBothSides() {
    double[] g = {0.9, 0.3};
    double[] i = {0.1, 0.6};
    assertThat(VerificationMetrics.accuracy(g, i, 0.5)).isEqualTo(0.5);
  }

  @Test
  void tenFoldAccuracyOnOverlappingClassesIsBelowOneButAboveChance() {
    Random r = new Random(1);
    double[] g = new double[500];
    double[] i = new double[500];
    for (int k = 0; k < 500; k++) {
      g[k] = 0.6 + 0.15 * r.nextGaussian();
      i[k] = 0.2 + 0.15 * r.nextGaussian();
    }
    double acc = VerificationMetrics.tenFoldAccuracy(g, i, 7);
    // Two Gaussians 2.67 sigma apart: Bayes accuracy = Phi(1.33) ~ 0.909.
    assertThat(acc).isCloseTo(0.909, within(0.03));
  }

  @Test
  void tarAtFarOnlyWhereImpostorCountAllows() {
    double[] g = {0.5, 0.6, 0.95};
    double[] i = new double[100];
    for (int k = 0; k < 100; k++) {
      i[k] = k / 100.0 * 0.5; // 0 .. 0.495
    }
    i[99] = 0.9; // the one impostor above 0.5 is the 1% allowed
    var tar = VerificationMetrics.tarAtFar(g, i);
    assertThat(tar).containsOnlyKeys("1e-2");
    assertThat(tar.get("1e-2")).isEqualTo(1.0);

    i[98] = 0.8; // now two impostors above 0.5: the threshold must rise above 0.8
    assertThat(VerificationMetrics.tarAtFar(g, i).get("1e-2")).isCloseTo(1.0 / 3, within(1e-9));
  }
}
