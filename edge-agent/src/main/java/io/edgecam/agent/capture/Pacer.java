package io.edgecam.agent.capture;

import java.util.concurrent.locks.LockSupport;

/** Spaces frames at a fixed rate on the capture thread; 0 fps means no pacing. */
final class Pacer {
  private final long periodNanos;
  private long next = Long.MIN_VALUE;

  Pacer(double fps) {
    this.periodNanos = fps <= 0 ? 0 : (long) (1_000_000_000L / fps);
  }

  /** Blocks until the next frame is due. */
  void await() throws InterruptedException {
    if (periodNanos == 0) {
      return;
    }
    long now = System.nanoTime();
    if (next == Long.MIN_VALUE || now - next > periodNanos) {
      next = now; // first frame, or we fell behind: do not burst to catch up
    }
    while (next - System.nanoTime() > 0) {
      LockSupport.parkNanos(next - System.nanoTime());
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
    next += periodNanos;
  }

  /** Whether a frame arriving now is due (live sources drop frames above the rate). */
  boolean due() {
    if (periodNanos == 0) {
      return true;
    }
    long now = System.nanoTime();
    if (next == Long.MIN_VALUE || now - next >= 0) {
      next = (next == Long.MIN_VALUE || now - next > periodNanos) ? now + periodNanos : next + periodNanos;
      return true;
    }
    return false;
  }
}
