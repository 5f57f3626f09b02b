package io.edgecam.matcher.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClopperPearsonTest {

  @Test
  void zeroEventsGiveTheClosedForm() {
    // 1 - 0.025^(1/n): the "rule of 3.7" for n large.
    assertThat(ClopperPearson.upper(0, 1932)).isCloseTo(1.907e-3, within(1e-6));
    assertThat(ClopperPearson.upper(0, 1_000_000) * 1_000_000).isCloseTo(3.689, within(1e-3));
  }

  @Test
  void matchesPublishedExactIntervals() {
    // Exact two-sided 95% intervals (tables of Clopper and Pearson, 1934; R binom.test).
    assertThat(ClopperPearson.upper(1, 10)).isCloseTo(0.44502, within(1e-4));
    assertThat(ClopperPearson.upper(5, 10)).isCloseTo(0.81291, within(1e-4));
    assertThat(ClopperPearson.upper(23, 1932)).isCloseTo(0.017812, within(2e-5));
  }

  @Test
  void oneSidedNinetyFivePercentMatchesExactBinomialSums() {
    // eval --open-set's bound (alpha 0.05). Reference: bisection on
    // sum_{i<=k} C(n,i) p^i (1-p)^(n-i) = 0.05, in Python.
    assertThat(ClopperPearson.upper(0, 3000, 0.05))
        .isCloseTo(1 - Math.pow(0.05, 1.0 / 3000), within(1e-15));
    assertThat(ClopperPearson.upper(1, 10, 0.05)).isCloseTo(0.3941633024, within(1e-9));
    assertThat(ClopperPearson.upper(5, 100, 0.05)).isCloseTo(0.1022533776, within(1e-9));
    assertThat(ClopperPearson.upper(10, 1000, 0.05)).isCloseTo(0.0169031751, within(1e-9));
    assertThat(ClopperPearson.upper(1, 1932, 0.05)).isCloseTo(0.0024530386, within(1e-10));
    assertThat(ClopperPearson.upper(23, 1932, 0.05)).isCloseTo(0.0168242543, within(1e-9));
  }

  @Test
  void boundIsAboveTheObservedRateAndFallsWithMorePairs() {
    double small = ClopperPearson.upper(2, 1_000);
    double large = ClopperPearson.upper(2, 100_000);
    assertThat(small).isGreaterThan(0.002);
    assertThat(large).isGreaterThan(0.00002).isLessThan(small);
    assertThat(ClopperPearson.upper(3, 1_000)).isGreaterThan(small);
  }

  @Test
  void noTrialsMeansNoEvidence() {
    assertThat(ClopperPearson.upper(0, 0)).isEqualTo(1.0);
    assertThat(ClopperPearson.upper(7, 7)).isEqualTo(1.0);
  }

  @Test
  void rejectsImpossibleCounts() {
    assertThatThrownBy(() -> ClopperPearson.upper(3, 2)).hasMessageContaining("k=3, n=2");
  }
}
