package io.edgecam.matcher.oversight;

import io.edgecam.matcher.alert.VerifiedAlert;
import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.audit.AuditRecord;
import io.edgecam.matcher.auth.ApiToken;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.protocol.Alert;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Two-person verification of alerts (EU AI Act Art. 14(5)): an alert becomes {@link
 * ReviewState#VERIFIED} only when {@link #confirmations()} different persons confirmed it, and only
 * then is it handed to the action sinks; one rejection closes it. Persons, not tokens, count: two
 * tokens of one person are one confirmation. Every review is stored with its audit record in one
 * transaction; two reviews of one alert at the same time (in this process or another on the same
 * database) are serialized by the alert's review count, the loser re-reads and decides again.
 * Thread-safe.
 */
public final class Oversight {
  private static final int ATTEMPTS = 5;

  private final MatcherStore store;
  private final AuditLog audit;
  private final int confirmations;
  private final Clock clock;
  private final Consumer<VerifiedAlert> verified;
  private final List<Consumer<AlertReviews>> listeners = new CopyOnWriteArrayList<>();

  /**
   * @param confirmations persons needed to verify an alert, >= 1
   * @param verified receives each alert once it is verified (the action sinks); must not block
   */
  public Oversight(
      MatcherStore store,
      AuditLog audit,
      int confirmations,
      Clock clock,
      Consumer<VerifiedAlert> verified) {
    if (confirmations < 1) {
      throw new IllegalArgumentException("confirmations < 1: " + confirmations);
    }
    this.store = store;
    this.audit = audit;
    this.confirmations = confirmations;
    this.clock = clock;
    this.verified = verified;
  }

  /** How many different persons must confirm an alert. */
  public int confirmations() {
    return confirmations;
  }

  /** The alert's review state and reviews, or null if there is no such alert. */
  public @Nullable AlertReviews reviews(String alertId) {
    return store.reviews(alertId);
  }

  /** Adds a listener told of every review recorded here (the live stream); must not block. */
  public void addListener(Consumer<AlertReviews> listener) {
    listeners.add(listener);
  }

  /**
   * Records {@code by}'s confirmation of an open alert.
   *
   * @return the alert's reviews after it
   * @throws OversightException NOT_FOUND for an unknown alert; CONFLICT if it is already verified
   *     or rejected, or this person confirmed it already
   */
  public AlertReviews confirm(String alertId, ApiToken by, @Nullable String note) {
    return review(alertId, by, null, note);
  }

  /**
   * Records {@code by}'s rejection of an open alert, which closes it.
   *
   * @throws OversightException NOT_FOUND for an unknown alert; CONFLICT if it is already verified
   *     or rejected
   */
  public AlertReviews reject(
      String alertId, ApiToken by, RejectReason reason, @Nullable String note) {
    return review(alertId, by, reason, note);
  }

  private AlertReviews review(
      String alertId, ApiToken by, @Nullable RejectReason reason, @Nullable String note) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      AlertReviews current = store.reviews(alertId);
      if (current == null) {
        throw new OversightException(OversightException.Kind.NOT_FOUND, "no alert " + alertId);
      }
      if (!current.state().isOpen()) {
        throw new OversightException(
            OversightException.Kind.CONFLICT,
            "alert " + alertId + " is already " + current.state().key());
      }
      List<String> confirmedBy = current.confirmedBy();
      boolean confirm = reason == null;
      if (confirm && confirmedBy.stream().anyMatch(p -> p.equalsIgnoreCase(by.person()))) {
        throw new OversightException(
            OversightException.Kind.CONFLICT,
            by.person()
                + " has already confirmed alert "
                + alertId
                + "; it needs "
                + confirmations
                + " different persons ("
                + confirmedBy.size()
                + " so far)");
      }
      AlertReview r =
          new AlertReview(
              alertId,
              current.reviews().size(),
              by.person(),
              by.id(),
              confirm,
              reason,
              note,
              clock.instant());
      int confirmed = confirmedBy.size() + (confirm ? 1 : 0);
      ReviewState next =
          !confirm
              ? ReviewState.REJECTED
              : confirmed >= confirmations ? ReviewState.VERIFIED : ReviewState.CONFIRMED;
      AuditRecord recorded =
          audit.appendWith(
              by.actor(),
              confirm ? AuditAction.ALERT_CONFIRM : AuditAction.ALERT_REJECT,
              alertId,
              detail(r, next, confirmed),
              f -> store.addReview(r, next, f));
      if (recorded != null) {
        AlertReviews after = current.with(r, next);
        if (next == ReviewState.VERIFIED) {
          Alert alert = store.alert(alertId);
          if (alert != null) {
            verified.accept(new VerifiedAlert(alert, after.confirmedBy(), r.at()));
          }
        }
        listeners.forEach(l -> l.accept(after));
        return after;
      }
      // Another review of this alert was stored since we read it: decide again on the new state.
    }
    throw new OversightException(
        OversightException.Kind.CONFLICT,
        "alert " + alertId + " is being reviewed by others right now; try again");
  }

  private Map<String, Object> detail(AlertReview r, ReviewState next, int confirmed) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("person", r.person());
    d.put("token", r.tokenId());
    d.put("decision", r.decision());
    if (r.reason() != null) {
      d.put("reason", r.reason().key());
    }
    if (r.note() != null) {
      d.put("note", r.note());
    }
    d.put("state", next.key());
    d.put("confirmations", confirmed);
    d.put("needed", confirmations);
    return d;
  }
}
