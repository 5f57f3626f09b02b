package io.edgecam.matcher.oversight;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One person's decision on an alert, as stored ({@code alert_review}) and audited.
 *
 * @param alertId the alert
 * @param index 0 for the alert's first review, then 1, 2...
 * @param person who decided (the token's person)
 * @param tokenId with which token
 * @param confirmed true for a confirmation, false for a rejection
 * @param reason why it was rejected; null exactly for confirmations
 * @param note free text from the operator (at most {@link #MAX_NOTE} characters), or null
 * @param at when
 */
public record AlertReview(
    String alertId,
    int index,
    String person,
    String tokenId,
    boolean confirmed,
    @Nullable RejectReason reason,
    @Nullable String note,
    Instant at) {
  public static final int MAX_NOTE = 1000;

  public AlertReview {
    if (alertId == null || person == null || tokenId == null || at == null) {
      throw new IllegalArgumentException("alertId, person, tokenId and at are required");
    }
    if (index < 0) {
      throw new IllegalArgumentException("index < 0: " + index);
    }
    if (confirmed == (reason != null)) {
      throw new IllegalArgumentException("a rejection needs a reason, a confirmation has none");
    }
    if (note != null && note.length() > MAX_NOTE) {
      throw new IllegalArgumentException("note must be at most " + MAX_NOTE + " characters");
    }
  }

  /** {@code confirm} or {@code reject}, as stored. */
  public String decision() {
    return confirmed ? "confirm" : "reject";
  }
}
