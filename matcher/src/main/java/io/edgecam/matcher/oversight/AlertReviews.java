package io.edgecam.matcher.oversight;

import java.util.ArrayList;
import java.util.List;

/**
 * An alert's review state and every review so far, oldest first. Immutable.
 *
 * @param alertId the alert
 * @param state where it stands
 * @param reviews the decisions that led there
 */
public record AlertReviews(String alertId, ReviewState state, List<AlertReview> reviews) {
  public AlertReviews {
    reviews = List.copyOf(reviews);
  }

  /** A new alert's: pending, no reviews. */
  public static AlertReviews pending(String alertId) {
    return new AlertReviews(alertId, ReviewState.PENDING, List.of());
  }

  /** The persons who confirmed it, in order, each once. */
  public List<String> confirmedBy() {
    List<String> out = new ArrayList<>();
    for (AlertReview r : reviews) {
      if (r.confirmed() && out.stream().noneMatch(p -> p.equalsIgnoreCase(r.person()))) {
        out.add(r.person());
      }
    }
    return out;
  }

  /** The same with {@code review} added and the state it led to. */
  public AlertReviews with(AlertReview review, ReviewState next) {
    List<AlertReview> all = new ArrayList<>(reviews);
    all.add(review);
    return new AlertReviews(alertId, next, all);
  }
}
