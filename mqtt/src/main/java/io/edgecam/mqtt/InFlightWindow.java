package io.edgecam.mqtt;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts unacknowledged publishes and makes publishers wait while the count is at the limit. The
 * limit can shrink or grow on reconnect (the broker's receive maximum may change). Thread-safe.
 */
final class InFlightWindow {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition roomOrClosed = lock.newCondition();
  private int limit;
  private int inFlight;
  private boolean closed;

  InFlightWindow(int limit) {
    this.limit = checkLimit(limit);
  }

  private static int checkLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("in-flight limit < 1: " + limit);
    }
    return limit;
  }

  /**
   * Takes one slot, waiting up to {@code timeoutNanos}.
   *
   * @return false on timeout or when the window was closed
   */
  boolean acquire(long timeoutNanos) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      long left = timeoutNanos;
      while (!closed && inFlight >= limit) {
        if (left <= 0) {
          return false;
        }
        left = roomOrClosed.awaitNanos(left);
      }
      if (closed) {
        return false;
      }
      inFlight++;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Returns one slot. */
  void release() {
    lock.lock();
    try {
      if (inFlight > 0) {
        inFlight--;
      }
      roomOrClosed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void setLimit(int newLimit) {
    lock.lock();
    try {
      limit = checkLimit(newLimit);
      roomOrClosed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every waiter; later acquires fail. */
  void close() {
    lock.lock();
    try {
      closed = true;
      roomOrClosed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  int inFlight() {
    lock.lock();
    try {
      return inFlight;
    } finally {
      lock.unlock();
    }
  }

  int limit() {
    lock.lock();
    try {
      return limit;
    } finally {
      lock.unlock();
    }
  }

  boolean await(long timeout, TimeUnit unit, int atMost) throws InterruptedException {
    long left = unit.toNanos(timeout);
    lock.lockInterruptibly();
    try {
      while (inFlight > atMost) {
        if (left <= 0) {
          return false;
        }
        left = roomOrClosed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }
}
