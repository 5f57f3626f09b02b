package io.edgecam.agent.gpio;

import io.edgecam.agent.service.FrameGate;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits frames while a PIR sensor reports motion and for a hold time after it last did; closed
 * from start until the first motion. Fed by the sensor's input line ({@link #motion}, provider
 * thread), asked by the pipeline thread ({@link #admit}). Thread-safe.
 */
final class MotionGate implements FrameGate {
  private static final Logger log = LoggerFactory.getLogger(MotionGate.class);

  private final long holdNanos;
  private final LongSupplier nanoTime;
  private volatile boolean moving;
  private volatile long lastMotionNanos;

  /**
   * @param hold how long frames are still admitted after the sensor went quiet
   * @param nanoTime the clock ({@link System#nanoTime} outside tests)
   */
  MotionGate(Duration hold, LongSupplier nanoTime) {
    this.holdNanos = hold.toNanos();
    this.nanoTime = nanoTime;
    this.lastMotionNanos = nanoTime.getAsLong() - holdNanos - 1; // idle until the first motion
  }

  /** The sensor's output changed: {@code true} while it sees motion. */
  void motion(boolean active) {
    lastMotionNanos = nanoTime.getAsLong();
    moving = active;
    log.debug(active ? "motion: analyzing frames" : "motion ended: analyzing for the hold time");
  }

  @Override
  public boolean admit() {
    return moving || nanoTime.getAsLong() - lastMotionNanos <= holdNanos;
  }
}
