package io.edgecam.agent.capture;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/** Spaces frames at a fixed rate on the capture thread; 0 fps means no pacing. */
final class Pacer {
  /** How the pacer waits: parks until the given {@code nanoTime}. */
  interface Sleeper {
    void parkUntil(long deadlineNanos) throws InterruptedException;
  }

  private static final Sleeper PARK =
      deadline -> {
        for (long left = deadline - System.nanoTime();
            left > 0;
            left = deadline - System.nanoTime()) {
          LockSupport.parkNanos(left);
          if (Thread.interrupted()) {
            throw new InterruptedException();
          }
        }
      };

  private final long periodNanos;
  private final LongSupplier clock;
  private final Sleeper sleeper;
  private long next = Long.MIN_VALUE;

  Pacer(double fps) {
    this(fps, System::nanoTime, PARK);
  }

  /** A pacer on another clock (tests). */
  Pacer(double fps, LongSupplier clock, Sleeper sleeper) {
    this.periodNanos = fps <= 0 ? 0 : (long) (1_000_000_000L / fps);
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** Blocks until the next frame is due. */
  void await() throws InterruptedException {
    if (periodNanos == 0) {
      return;
    }
    long now = clock.getAsLong();
    if (next == Long.MIN_VALUE || now - next > periodNanos) {
      next = now; // first frame, or we fell behind: do not burst to catch up
    }
    if (next - now > 0) {
      sleeper.parkUntil(next);
    }
    next += periodNanos;
  }

  /** Whether a frame arriving now is due (live sources drop frames above the rate). */
  boolean due() {
    if (periodNanos == 0) {
      return true;
    }
    long now = clock.getAsLong();
    if (next == Long.MIN_VALUE || now - next >= 0) {
      next =
          (next == Long.MIN_VALUE || now - next > periodNanos)
              ? now + periodNanos
              : next + periodNanos;
      return true;
    }
    return false;
  }
}
