package io.edgecam.protocol;

/**
 * Health of one component (camera, model, broker link, GPIO...): a value, not an exception.
 * Published in {@link Status#health()}.
 *
 * @param state how the component is doing
 * @param reason short human-readable detail, empty when OK; never personal data
 */
public record Health(State state, String reason) {
  /** How a component is doing. */
  public enum State {
    /** Working. */
    OK,
    /** Working with reduced function (e.g. reconnecting, fallback model). */
    DEGRADED,
    /** Not working. */
    FAILED
  }

  /** Throws {@link IllegalArgumentException} if {@code state} is null; null reason becomes "". */
  public Health {
    if (state == null) {
      throw new IllegalArgumentException("health state must not be null");
    }
    reason = reason == null ? "" : reason;
  }

  /** A healthy component. */
  public static Health ok() {
    return new Health(State.OK, "");
  }

  /** A component that works with reduced function, and why. */
  public static Health degraded(String reason) {
    return new Health(State.DEGRADED, reason);
  }

  /** A component that does not work, and why. */
  public static Health failed(String reason) {
    return new Health(State.FAILED, reason);
  }
}
