package io.edgecam.matcher.oversight;

import java.util.Locale;

/**
 * Where an alert stands in its human review. An alert is {@link #PENDING} when raised, {@link
 * #CONFIRMED} once confirmed by fewer persons than {@code oversight.confirmations}, {@link
 * #VERIFIED} once enough different persons confirmed it, {@link #REJECTED} after one rejection.
 * Verified and rejected are final.
 */
public enum ReviewState {
  PENDING,
  CONFIRMED,
  VERIFIED,
  REJECTED;

  /** The lower-case name used in the API and the store. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True while the alert still waits for a decision (pending or confirmed by too few). */
  public boolean isOpen() {
    return this == PENDING || this == CONFIRMED;
  }

  /**
   * Parses {@link #key()}.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static ReviewState parse(String key) {
    for (ReviewState s : values()) {
      if (s.key().equals(key)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "state must be pending, confirmed, verified or rejected, was '" + key + "'");
  }
}
