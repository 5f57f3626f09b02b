package io.edgecam.agent.gpio;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.protocol.Health;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedPatternTest {
  private static final Health OK = Health.ok();
  private static final Health AWAY = Health.degraded("disconnected");
  private static final Health BROKEN = Health.failed("model missing");

  @Test
  void allHealthyIsSteadyOn() {
    assertThat(LedPattern.of(List.of(OK, OK), false, false)).isEqualTo(LedPattern.OK);
    assertThat(LedPattern.OK.phases()).isEqualTo(1);
    assertThat(LedPattern.OK.lit(0)).isTrue();
  }

  @Test
  void degradedComponentBlinksSlowlyAndFailedOneFast() {
    assertThat(LedPattern.of(List.of(OK, AWAY), false, false)).isEqualTo(LedPattern.DEGRADED);
    assertThat(LedPattern.of(List.of(AWAY, BROKEN), false, false)).isEqualTo(LedPattern.ERROR);
    assertThat(LedPattern.ERROR.millis(0) * 5).isLessThan(LedPattern.DEGRADED.millis(0));
  }

  @Test
  void stoppedPipelineIsAnErrorEvenWithHealthyComponents() {
    assertThat(LedPattern.of(List.of(OK), true, false)).isEqualTo(LedPattern.ERROR);
  }

  @Test
  void updateWinsOverEverythingElse() {
    assertThat(LedPattern.of(List.of(BROKEN), true, true)).isEqualTo(LedPattern.UPDATING);
  }

  @Test
  void updatingIsTwoShortFlashesThenALongPause() {
    LedPattern p = LedPattern.UPDATING;
    assertThat(p.phases()).isEqualTo(4);
    assertThat(new boolean[] {p.lit(0), p.lit(1), p.lit(2), p.lit(3)})
        .containsExactly(true, false, true, false);
    assertThat(p.millis(3)).isGreaterThan(3 * p.millis(1));
  }
}
