package io.edgecam.protocol.fuzz;

import io.edgecam.protocol.MalformedMessageException;

/** Shared checks of the fuzz targets: what counts as a finding. */
public final class Findings {
  private Findings() {}

  /**
   * Fails if a decoder rejected input through its last-resort branch ("undecodable payload"): that
   * branch wraps an unexpected RuntimeException of the parser, i.e. a bug, even though the contract
   * (only {@link MalformedMessageException}) holds.
   */
  public static void requireDeliberate(MalformedMessageException e, String what) {
    if (e.getMessage().startsWith(what + ": undecodable payload (")) {
      throw new AssertionError("decoder fell through to its last-resort branch", e);
    }
  }

  /** Fails with {@code message} unless {@code ok}. */
  public static void check(boolean ok, String message) {
    if (!ok) {
      throw new AssertionError(message);
    }
  }
}
