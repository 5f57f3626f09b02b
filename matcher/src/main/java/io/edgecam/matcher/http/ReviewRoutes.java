package io.edgecam.matcher.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.audit.AuditQuery;
import io.edgecam.matcher.audit.AuditRecord;
import io.edgecam.matcher.auth.Role;
import io.edgecam.matcher.config.OversightConfig;
import io.edgecam.matcher.oversight.AlertReview;
import io.edgecam.matcher.oversight.AlertReviews;
import io.edgecam.matcher.oversight.Oversight;
import io.edgecam.matcher.oversight.OversightException;
import io.edgecam.matcher.oversight.RejectReason;
import io.edgecam.matcher.oversight.ReviewDay;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.protocol.Alert;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Human verification of alerts: {@code POST /api/alerts/{id}/confirm} and {@code .../reject}
 * (operators; each an audit record naming the person and the token), {@code GET /api/queue} (the
 * open alerts; recorded as {@code alert.view} like the alert list) and {@code GET
 * /api/oversight/stats} (counts per day: alerts, verified, rejected as false match).
 */
final class ReviewRoutes {
  static final int MAX_QUEUE = 1000;
  static final int MAX_DAYS = 90;
  private static final ObjectMapper DETAIL = new ObjectMapper();

  private final MatcherStore store;
  private final AuditLog audit;
  private final Oversight oversight;
  private final AlertViews views;
  private final Clock clock;
  private final DoubleSupplier expectedFpir;

  /**
   * @param expectedFpir expected false alarms per stranger of the current operating point
   *     (docs/matcher.md, "Operating point")
   */
  ReviewRoutes(
      MatcherStore store,
      AuditLog audit,
      Oversight oversight,
      OversightConfig config,
      Clock clock,
      DoubleSupplier expectedFpir) {
    this.store = store;
    this.audit = audit;
    this.oversight = oversight;
    this.views = new AlertViews(store, config);
    this.clock = clock;
    this.expectedFpir = expectedFpir;
  }

  void register(Router r) {
    r.add("POST", "/alerts/{id}/confirm", Role.OPERATOR, this::confirm);
    r.add("POST", "/alerts/{id}/reject", Role.OPERATOR, this::reject);
    r.add("GET", "/queue", Role.VIEWER, this::queue);
    r.add("GET", "/oversight/stats", Role.VIEWER, this::stats);
  }

  private void confirm(Call call) throws IOException {
    ObjectNode body = body(call);
    String note = note(body);
    answer(call, () -> oversight.confirm(call.pathParam(0), call.token(), note));
  }

  private void reject(Call call) throws IOException {
    ObjectNode body = body(call);
    String reasonText = Fields.requireText("reason", Fields.text(body, "reason"), 20);
    RejectReason reason;
    try {
      reason = RejectReason.parse(reasonText);
    } catch (IllegalArgumentException e) {
      throw ApiError.badField("reason", e.getMessage());
    }
    String note = note(body);
    answer(call, () -> oversight.reject(call.pathParam(0), call.token(), reason, note));
  }

  private interface Review {
    AlertReviews run();
  }

  private void answer(Call call, Review review) throws IOException {
    AlertReviews after;
    try {
      after = review.run();
    } catch (OversightException e) {
      throw e.kind() == OversightException.Kind.NOT_FOUND
          ? ApiError.notFound(e.getMessage())
          : ApiError.conflict(e.getMessage());
    }
    call.json(200, Views.review(after, oversight.confirmations()));
  }

  private static ObjectNode body(Call call) throws IOException {
    byte[] raw = call.body(16 * 1024);
    return raw.length == 0 ? Json.object() : Json.parseObject(raw);
  }

  private static @Nullable String note(ObjectNode body) {
    String note = Fields.text(body, "note");
    if (note == null || note.isBlank()) {
      return null;
    }
    if (note.length() > AlertReview.MAX_NOTE) {
      throw ApiError.badField(
          "note", "note must be at most " + AlertReview.MAX_NOTE + " characters");
    }
    return note.strip();
  }

  private void queue(Call call) throws IOException {
    int limit = Fields.intInRange("limit", call.query("limit"), 1, MAX_QUEUE, 200);
    List<Alert> open = store.openAlerts(limit);
    // Like the alert list, a read of personal data (labels), so it is recorded.
    audit.append(call.actor(), AuditAction.ALERT_VIEW, "queue", Map.of("returned", open.size()));
    ObjectNode body = Json.object().put("confirmations", oversight.confirmations());
    body.set("alerts", views.list(open));
    call.json(200, body);
  }

  private void stats(Call call) throws IOException {
    int days = Fields.intInRange("days", call.query("days"), 1, MAX_DAYS, 14);
    LocalDate first = LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(days - 1L);
    ObjectNode body =
        Json.object().put("from", first.toString()).put("confirmations", oversight.confirmations());
    double fpir = expectedFpir.getAsDouble();
    body.put("expectedFpir", fpir);
    Map<LocalDate, Long> candidates = candidatesPerDay(first);
    ArrayNode list = body.putArray("days");
    for (ReviewDay d : store.reviewDays(first.atStartOfDay(ZoneOffset.UTC).toInstant())) {
      ObjectNode day =
          list.addObject()
              .put("day", d.day().toString())
              .put("alerts", d.alerts())
              .put("open", d.open())
              .put("verified", d.verified())
              .put("falseMatches", d.falseMatches())
              .put("otherRejections", d.otherRejections());
      Long n = candidates.get(d.day());
      if (n != null) {
        // Every candidate counted as a stranger: an upper bound at today's operating point.
        day.put("candidates", n).put("expectedFalseAlarms", Math.round(n * fpir * 10) / 10.0);
      }
    }
    call.json(200, body);
  }

  /**
   * Candidates decided per UTC day since {@code first}, from the {@code usage.candidates} records
   * the matcher writes every 15 minutes (so today's lags by up to that).
   */
  private Map<LocalDate, Long> candidatesPerDay(LocalDate first) {
    Map<LocalDate, Long> out = new TreeMap<>();
    Instant from = first.atStartOfDay(ZoneOffset.UTC).toInstant();
    List<AuditRecord> records =
        audit.read(
            AuditQuery.newest(Long.MAX_VALUE, AuditQuery.MAX_LIMIT)
                .withAction(AuditAction.USAGE_CANDIDATES));
    for (AuditRecord r : records) {
      if (r.time().isBefore(from)) {
        continue;
      }
      long n;
      try {
        n = DETAIL.readTree(r.detail()).path("candidates").asLong(0);
      } catch (JsonProcessingException e) {
        continue; // the chain's own check reports a broken record; a statistic skips it
      }
      out.merge(LocalDate.ofInstant(r.time(), ZoneOffset.UTC), n, Long::sum);
    }
    return out;
  }
}
