package io.edgecam.face.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PairFiguresTest {
  private static final double[] GENUINE = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.35, 0.3, 0.2, 0.1};
  private static final double[] IMPOSTOR = {
    0.65, 0.45, 0.25, 0.15, 0.05, 0.0, -0.1, -0.2, -0.3, -0.4,
  };

  @Test
  void fnmrAtFmrAcceptsAtMostTheAllowedImpostors() {
    // 10% of 10 impostors = 1 may pass: threshold just above 0.45, so 0.65 passes; genuine below
    // 0.45+: 0.4, 0.35, 0.3, 0.2, 0.1 = 5 of 10.
    PairFigures.AtFmr f = PairFigures.fnmrAtFmr(GENUINE, IMPOSTOR, 0.1);
    assertThat(f.impostorsAccepted()).isEqualTo(1);
    assertThat(f.threshold()).isGreaterThan(0.45).isLessThan(0.4500001);
    assertThat(f.genuineRejected()).isEqualTo(5);
    assertThat(f.fnmr()).isEqualTo(0.5);
    assertThat(f.supported()).as("10 pairs cannot show 10%").isFalse();
  }

  @Test
  void fnmrAtZeroFmrRejectsEveryImpostor() {
    PairFigures.AtFmr f = PairFigures.fnmrAtFmr(GENUINE, IMPOSTOR, 0.01);
    assertThat(f.impostorsAccepted()).isZero();
    assertThat(f.genuineRejected()).isEqualTo(7); // only 0.9, 0.8, 0.7 beat 0.65
  }

  @Test
  void fmrAtFnmrRejectsAtMostTheAllowedGenuinePairs() {
    // 20% of 10 genuine = 2 may fail: threshold 0.3 (0.2, 0.1 fail); impostors >= 0.3: 0.65, 0.45.
    PairFigures.AtFnmr f = PairFigures.fmrAtFnmr(GENUINE, IMPOSTOR, 0.2);
    assertThat(f.threshold()).isEqualTo(0.3);
    assertThat(f.genuineRejected()).isEqualTo(2);
    assertThat(f.impostorsAccepted()).isEqualTo(2);
    assertThat(f.fmr()).isEqualTo(0.2);
  }

  @Test
  void clopperPearsonWithNoErrorsIsTheClosedForm() {
    // P(X = 0) = (1 - p)^n = alpha  =>  p = 1 - alpha^(1/n); 3/n is the "rule of three".
    for (int n : new int[] {10, 148, 1932, 100_000}) {
      assertThat(PairFigures.clopperPearsonUpper(0, n, 0.95))
          .isCloseTo(1 - Math.pow(0.05, 1.0 / n), within(1e-12));
    }
    assertThat(PairFigures.clopperPearsonUpper(0, 1932, 0.95) * 1932).isCloseTo(3, within(0.01));
  }

  @Test
  void clopperPearsonWithOneErrorSolvesTheBinomial() {
    // k = 1, n = 10: (1-p)^10 + 10 p (1-p)^9 = 0.05  at p = 0.3941633 (hand-solved).
    double p = PairFigures.clopperPearsonUpper(1, 10, 0.95);
    assertThat(Math.pow(1 - p, 10) + 10 * p * Math.pow(1 - p, 9)).isCloseTo(0.05, within(1e-9));
    assertThat(p).isCloseTo(0.3941633, within(1e-6));
    assertThat(PairFigures.clopperPearsonUpper(10, 10, 0.95)).isEqualTo(1);
  }

  @Test
  void binomialCdfDoesNotUnderflowForLargeN() {
    assertThat(PairFigures.binomialCdf(1000, 2000, 0.5)).isCloseTo(0.5089, within(1e-3));
  }

  @Test
  void aucCountsTiesAsHalf() {
    assertThat(PairFigures.auc(new double[] {1, 0.5}, new double[] {0.5, 0})).isEqualTo(0.875);
  }
}
