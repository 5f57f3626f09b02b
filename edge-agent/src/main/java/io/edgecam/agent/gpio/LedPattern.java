package io.edgecam.agent.gpio;

import io.edgecam.protocol.Health;
import java.util.Collection;

/**
 * What the status LED shows (docs/gpio.md): one cycle of lit/dark phases, repeated. Steady patterns
 * have one phase; its length is how often the LED looks at the agent's state again.
 */
public enum LedPattern {
  /** Dark: the agent is not running. */
  OFF(new boolean[] {false}, new int[] {250}),
  /** Steady on: every component healthy. */
  OK(new boolean[] {true}, new int[] {250}),
  /** Slow blink, 1 s on, 1 s off: working with reduced function (broker or camera away). */
  DEGRADED(new boolean[] {true, false}, new int[] {1000, 1000}),
  /** Fast blink, 5 Hz: a component failed (model, GPIO, pipeline stopped). */
  ERROR(new boolean[] {true, false}, new int[] {100, 100}),
  /** Double blink every 1.5 s: an update is being applied; do not cut the power. */
  UPDATING(new boolean[] {true, false, true, false}, new int[] {150, 150, 150, 1050});

  private final boolean[] lit;
  private final int[] millis;

  LedPattern(boolean[] lit, int[] millis) {
    this.lit = lit;
    this.millis = millis;
  }

  /** Phases in one cycle. */
  public int phases() {
    return lit.length;
  }

  /** Whether the LED is lit in phase {@code i}. */
  public boolean lit(int i) {
    return lit[i];
  }

  /** How long phase {@code i} lasts, in milliseconds. */
  public int millis(int i) {
    return millis[i];
  }

  /**
   * The pattern for the agent's state. An update in progress wins (the one thing a technician must
   * not interrupt); then any FAILED component or a stopped pipeline; then any DEGRADED one.
   *
   * @param health the agent's health by component (camera, model, broker, spool, gpio)
   * @param pipelineFailed whether the pipeline thread stopped on an error
   * @param updating whether an update is being applied
   */
  public static LedPattern of(Collection<Health> health, boolean pipelineFailed, boolean updating) {
    if (updating) {
      return UPDATING;
    }
    if (pipelineFailed || health.stream().anyMatch(h -> h.state() == Health.State.FAILED)) {
      return ERROR;
    }
    if (health.stream().anyMatch(h -> h.state() == Health.State.DEGRADED)) {
      return DEGRADED;
    }
    return OK;
  }
}
