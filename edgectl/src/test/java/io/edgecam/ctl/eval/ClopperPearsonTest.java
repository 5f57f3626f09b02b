package io.edgecam.ctl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClopperPearsonTest {
  @Test
  void zeroErrorsGiveTheClosedForm() {
    // P(0 errors | p) = (1 - p)^n = 0.05  =>  p = 1 - 0.05^(1/n); ~3/n, the rule of three.
    assertThat(ClopperPearson.upper(0, 3000, 0.95))
        .isCloseTo(1 - Math.pow(0.05, 1.0 / 3000), within(1e-15))
        .isCloseTo(9.98079e-4, within(1e-9));
  }

  @Test
  void matchesExactBinomialSumsComputedIndependently() {
    // Reference: bisection on sum_{i<=k} C(n,i) p^i (1-p)^(n-i) = 0.05, in Python.
    assertThat(ClopperPearson.upper(1, 10, 0.95)).isCloseTo(0.3941633024, within(1e-9));
    assertThat(ClopperPearson.upper(5, 100, 0.95)).isCloseTo(0.1022533776, within(1e-9));
    assertThat(ClopperPearson.upper(10, 1000, 0.95)).isCloseTo(0.0169031751, within(1e-9));
    assertThat(ClopperPearson.upper(1, 1932, 0.95)).isCloseTo(0.0024530386, within(1e-10));
    assertThat(ClopperPearson.upper(23, 1932, 0.95)).isCloseTo(0.0168242543, within(1e-9));
  }

  @Test
  void boundIsAboveTheObservedRateAndFallsWithMoreTrials() {
    double small = ClopperPearson.upper(1, 1_000, 0.95);
    double large = ClopperPearson.upper(100, 100_000, 0.95);
    assertThat(small).isGreaterThan(1e-3);
    assertThat(large).isGreaterThan(1e-3).isLessThan(small);
    assertThat(ClopperPearson.upper(7, 7, 0.95)).isEqualTo(1.0);
  }

  @Test
  void rejectsImpossibleCounts() {
    assertThatThrownBy(() -> ClopperPearson.upper(5, 4, 0.95))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("k=5, n=4");
    assertThatThrownBy(() -> ClopperPearson.upper(0, 10, 1.0))
        .hasMessageContaining("confidence must be in (0, 1)");
  }
}
