package io.edgecam.matcher.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ThresholdPolicyTest {
  /** 2,000 impostor pairs like the shipped set's: a normal body and a few high scores. */
  static Calibration calibration() {
    Random r = new Random(7);
    double[] scores = new double[2_000];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = 0.02 + 0.14 * r.nextGaussian();
    }
    scores[0] = 0.58;
    scores[1] = 0.52;
    scores[2] = 0.47;
    long[] genuineBelow = new long[ScoreTail.POINTS];
    for (int i = 0; i < ScoreTail.POINTS; i++) {
      genuineBelow[i] = i <= 50 ? 0 : (long) ((i - 50) * 2); // 100 genuine pairs, 0.50 .. 1.00
    }
    return new Calibration(
        "test.json",
        "mfn-test",
        "synthetic",
        "test",
        ScoreTail.count(scores, scores.length),
        100,
        genuineBelow);
  }

  /** {@code pairs} list pairs, all scoring {@code score}. */
  static ScoreTail listTail(int pairs, double score) {
    double[] s = new double[pairs];
    java.util.Arrays.fill(s, score);
    return ScoreTail.count(s, pairs);
  }

  @Test
  void thresholdRisesWithTheListSize() {
    ThresholdPolicy p = new ThresholdPolicy(calibration(), 0.01, null);
    double previous = 0;
    for (int n : new int[] {1, 2, 3, 5}) {
      OperatingPoint op = p.at(n, ScoreTail.EMPTY);
      assertThat(op.threshold()).as("N=%d", n).isGreaterThanOrEqualTo(previous);
      assertThat(op.expectedFpir()).isLessThanOrEqualTo(0.01);
      assertThat(op.supported()).isTrue();
      previous = op.threshold();
    }
    assertThat(p.at(5, ScoreTail.EMPTY).threshold())
        .isGreaterThan(p.at(1, ScoreTail.EMPTY).threshold());
  }

  @Test
  void thresholdIsTheLowestGridPointWithinTheTarget() {
    ThresholdPolicy p = new ThresholdPolicy(calibration(), 0.01, null);
    OperatingPoint op = p.at(2, ScoreTail.EMPTY);
    int i = ScoreTail.index(op.threshold());
    ScoreTail tail = calibration().impostors();
    assertThat(OperatingPoint.fpir(tail.fmrBound(i), 2)).isLessThanOrEqualTo(0.01);
    assertThat(OperatingPoint.fpir(tail.fmrBound(i - 1), 2)).isGreaterThan(0.01);
    assertThat(op.fmrBound()).isEqualTo(tail.fmrBound(i));
    assertThat(op.expectedFpir()).isCloseTo(1 - Math.pow(1 - op.fmrBound(), 2), within(1e-12));
  }

  @Test
  void theListsOwnPairsAddEvidence() {
    ThresholdPolicy p = new ThresholdPolicy(calibration(), 0.01, null);
    // 1,000 entries: 2,000 shipped pairs alone cannot show FMR ~1e-5; 499,500 list pairs can.
    OperatingPoint alone = p.at(1_000, ScoreTail.EMPTY);
    assertThat(alone.supported()).isFalse();
    assertThat(alone.warning()).contains("cannot support").contains("1000 entries");
    // Above every observed impostor (0.58): the highest threshold the data supports.
    assertThat(alone.threshold()).isEqualTo(0.59);
    OperatingPoint pooled = p.at(1_000, listTail(499_500, 0.1));
    assertThat(pooled.supported()).isTrue();
    assertThat(pooled.expectedFpir()).isLessThanOrEqualTo(0.01);
    assertThat(pooled.impostorPairs()).isEqualTo(2_000 + 499_500);
    assertThat(pooled.listPairs()).isEqualTo(499_500);
  }

  @Test
  void highListScoresRaiseTheThreshold() {
    ThresholdPolicy p = new ThresholdPolicy(calibration(), 0.01, null);
    double low = p.at(1_000, listTail(499_500, 0.1)).threshold();
    ScoreTail lookalikes = listTail(499_490, 0.1).plus(listTail(10, 0.7));
    assertThat(p.at(1_000, lookalikes).threshold()).isGreaterThan(low);
  }

  @Test
  void fixedThresholdReportsItsExpectedFalseAlarms() {
    ThresholdPolicy p = new ThresholdPolicy(calibration(), 0.01, 0.30);
    OperatingPoint op = p.at(1_000, listTail(499_500, 0.1));
    assertThat(op.mode()).isEqualTo("fixed");
    assertThat(op.threshold()).isEqualTo(0.30);
    assertThat(op.supported()).isFalse();
    assertThat(op.warning())
        .contains("thresholds.global 0.30")
        .contains(String.format(java.util.Locale.ROOT, "%.2f%%", 100 * op.expectedFpir()))
        .contains("thresholds.targetFalseAlarmRate 1.00%");
    assertThat(new ThresholdPolicy(calibration(), 0.01, 0.9).at(3, ScoreTail.EMPTY).supported())
        .isTrue();
  }

  @Test
  void missRateComesFromTheGenuinePairs() {
    OperatingPoint op = new ThresholdPolicy(calibration(), 0.01, 0.60).at(1, ScoreTail.EMPTY);
    assertThat(op.fnmr()).isEqualTo(0.20);
    assertThat(op.genuinePairs()).isEqualTo(100);
    OperatingPoint none = new ThresholdPolicy(Calibration.NONE, 0.01, 0.60).at(1, ScoreTail.EMPTY);
    assertThat(none.fnmr()).isNull();
    assertThat(none.expectedFpir()).isEqualTo(1.0);
  }
}
