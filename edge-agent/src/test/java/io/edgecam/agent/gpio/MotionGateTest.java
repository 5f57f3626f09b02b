package io.edgecam.agent.gpio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MotionGateTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final MotionGate gate = new MotionGate(Duration.ofSeconds(10), now::get);

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void closedUntilTheFirstMotion() {
    assertThat(gate.admit()).isFalse();
    advance(Duration.ofMinutes(5));
    assertThat(gate.admit()).isFalse();
  }

  @Test
  void openWhileMotionLastsHowLongEver() {
    gate.motion(true);
    advance(Duration.ofMinutes(3));
    assertThat(gate.admit()).isTrue();
  }

  @Test
  void staysOpenForTheHoldTimeAfterTheSensorGoesQuiet() {
    gate.motion(true);
    advance(Duration.ofSeconds(2));
    gate.motion(false);
    advance(Duration.ofSeconds(9));
    assertThat(gate.admit()).isTrue();
    advance(Duration.ofMillis(1001));
    assertThat(gate.admit()).isFalse();
  }

  @Test
  void newMotionRestartsTheHold() {
    gate.motion(true);
    gate.motion(false);
    advance(Duration.ofSeconds(8));
    gate.motion(true);
    gate.motion(false);
    advance(Duration.ofSeconds(8));
    assertThat(gate.admit()).isTrue();
  }
}
