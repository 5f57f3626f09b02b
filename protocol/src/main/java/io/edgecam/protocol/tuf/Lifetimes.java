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
  // Before DEFAULTS: the constructor reads them while DEFAULTS is initialised.
  /** Shortest and longest lifetime allowed for timestamp, snapshot, targets and root. */
  private static final Duration[][] LIMITS = {
    {Duration.ofHours(1), Duration.ofDays(30)},
    {Duration.ofHours(1), Duration.ofDays(90)},
    {Duration.ofDays(1), Duration.ofDays(730)},
    {Duration.ofDays(30), Duration.ofDays(5 * 365)}
  };

  private static final String[] NAMES = {"timestamp", "snapshot", "targets", "root"};

  /** The defaults: one year, 90 days, 7 days, 1 day. */
  public static final Lifetimes DEFAULTS =
      new Lifetimes(
          Duration.ofDays(365), Duration.ofDays(90), Duration.ofDays(7), Duration.ofDays(1));

  /**
   * Validates each lifetime against sane limits (timestamp 1 h..30 d, snapshot 1 h..90 d, targets
   * 1..730 d, root 30 d..5 years) and their order: a role signed more often must not outlive the
   * one that names it (timestamp <= snapshot <= targets <= root).
   */
  public Lifetimes {
    Duration[] d = {timestamp, snapshot, targets, root};
    for (int i = 0; i < d.length; i++) {
      if (d[i].compareTo(LIMITS[i][0]) < 0 || d[i].compareTo(LIMITS[i][1]) > 0) {
        throw new IllegalArgumentException(
            NAMES[i]
                + " lifetime must be between "
                + human(LIMITS[i][0])
                + " and "
                + human(LIMITS[i][1])
                + ", was "
                + human(d[i]));
      }
      if (i > 0 && d[i].compareTo(d[i - 1]) < 0) {
        throw new IllegalArgumentException(
            NAMES[i]
                + " lifetime ("
                + human(d[i])
                + ") must not be shorter than the "
                + NAMES[i - 1]
                + " lifetime ("
                + human(d[i - 1])
                + ")");
      }
    }
  }

  /** This with the lifetimes of {@code role} (root, targets, snapshot, timestamp) replaced. */
  public Lifetimes with(String role, Duration lifetime) {
    return switch (role) {
      case "root" -> new Lifetimes(lifetime, targets, snapshot, timestamp);
      case "targets" -> new Lifetimes(root, lifetime, snapshot, timestamp);
      case "snapshot" -> new Lifetimes(root, targets, lifetime, timestamp);
      case "timestamp" -> new Lifetimes(root, targets, snapshot, lifetime);
      default ->
          throw new IllegalArgumentException(
              "unknown role '" + role + "': root, targets, snapshot or timestamp");
    };
  }

  /** {@code 36h} or {@code 7d}: whole days in days, else hours, else minutes. */
  public static String human(Duration d) {
    if (d.toSeconds() % 86_400 == 0) {
      return d.toDays() + "d";
    }
    return d.toSeconds() % 3_600 == 0 ? d.toHours() + "h" : d.toMinutes() + "m";
  }
}
