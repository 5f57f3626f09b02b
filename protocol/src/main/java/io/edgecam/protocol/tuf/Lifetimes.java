package io.edgecam.protocol.tuf;

import java.time.Duration;

/**
 * How long each kind of metadata stays valid after it is signed. Short for timestamp and snapshot
 * (they bound how long a freeze attack can go unnoticed), long for root (its keys are kept
 * offline).
 *
 * @param root root expiry
 * @param targets expiry of targets and delegated targets roles
 * @param snapshot snapshot expiry
 * @param timestamp timestamp expiry
 */
public record Lifetimes(Duration root, Duration targets, Duration snapshot, Duration timestamp) {
  /** The defaults: one year, 90 days, 7 days, 1 day. */
  public static final Lifetimes DEFAULTS =
      new Lifetimes(
          Duration.ofDays(365), Duration.ofDays(90), Duration.ofDays(7), Duration.ofDays(1));

  /** Validates that every lifetime is positive. */
  public Lifetimes {
    for (Duration d : new Duration[] {root, targets, snapshot, timestamp}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("metadata lifetime must be > 0, was " + d);
      }
    }
  }
}
