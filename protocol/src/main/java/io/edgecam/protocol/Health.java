package io.edgecam.protocol;

/** Health of one component (camera, model, broker link, GPIO...): a value, not an exception. */
public record Health(State state, String reason) {
  /** How a component is doing. */
  public enum State {
    OK,
    DEGRADED,
    FAILED
  }

  public Health {
    if (state == null) {
      throw new IllegalArgumentException("health state must not be null");
    }
    reason = reason == null ? "" : reason;
  }

  public static Health ok() {
    return new Health(State.OK, "");
  }

  public static Health degraded(String reason) {
    return new Health(State.DEGRADED, reason);
  }

  public static Health failed(String reason) {
    return new Health(State.FAILED, reason);
  }
}
