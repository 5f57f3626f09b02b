package io.edgecam.runtime.systemd;

/**
 * Whether the agent is making progress, asked by {@link SystemdNotifier} before each watchdog ping.
 * Called on the notifier's thread; implementations must be thread-safe.
 */
@FunctionalInterface
public interface Liveness {

  /**
   * Judges progress now.
   *
   * @param nowNanos {@link System#nanoTime()} of the check
   */
  Verdict check(long nowNanos);

  /**
   * The answer.
   *
   * @param progressing whether the watchdog may be fed
   * @param status one line for {@code systemctl status} ({@code STATUS=}); no newlines
   */
  record Verdict(boolean progressing, String status) {
    public Verdict {
      if (status == null || status.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("status must be one line, was " + status);
      }
    }

    /** Progressing, with a status line. */
    public static Verdict progressing(String status) {
      return new Verdict(true, status);
    }

    /** Stalled: the watchdog is starved until progress resumes. */
    public static Verdict stalled(String status) {
      return new Verdict(false, status);
    }
  }
}
