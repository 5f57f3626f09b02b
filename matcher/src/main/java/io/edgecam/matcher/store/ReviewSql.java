package io.edgecam.matcher.store;

import io.edgecam.matcher.oversight.AlertReview;
import io.edgecam.matcher.oversight.AlertReviews;
import io.edgecam.matcher.oversight.RejectReason;
import io.edgecam.matcher.oversight.ReviewDay;
import io.edgecam.matcher.oversight.ReviewState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * SQL of alert reviews (migration 8): the {@code review_*} columns of {@code alert} and the {@code
 * alert_review} table; callers own the transaction.
 */
final class ReviewSql {
  private static final String REVIEW_COLUMNS =
      "SELECT alert_id, idx, person, token_id, decision, reason, note, at FROM alert_review";

  private ReviewSql() {}

  static @Nullable AlertReviews of(Connection c, String alertId) throws SQLException {
    ReviewState state;
    try (PreparedStatement ps = c.prepareStatement("SELECT review_state FROM alert WHERE id = ?")) {
      ps.setString(1, alertId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        state = ReviewState.parse(rs.getString(1));
      }
    }
    List<AlertReview> reviews = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(REVIEW_COLUMNS + " WHERE alert_id = ? ORDER BY idx")) {
      ps.setString(1, alertId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          reviews.add(read(rs));
        }
      }
    }
    return new AlertReviews(alertId, state, reviews);
  }

  /** The reviews of many alerts (a page of the list); alerts without a row are left out. */
  static Map<String, AlertReviews> of(Connection c, Collection<String> alertIds)
      throws SQLException {
    Map<String, AlertReviews> out = new HashMap<>();
    if (alertIds.isEmpty()) {
      return out;
    }
    String marks = String.join(", ", java.util.Collections.nCopies(alertIds.size(), "?"));
    Map<String, ReviewState> states = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id, review_state FROM alert WHERE id IN (" + marks + ")")) {
      bindAll(ps, alertIds);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          states.put(rs.getString(1), ReviewState.parse(rs.getString(2)));
        }
      }
    }
    Map<String, List<AlertReview>> reviews = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            REVIEW_COLUMNS + " WHERE alert_id IN (" + marks + ") ORDER BY alert_id, idx")) {
      bindAll(ps, alertIds);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          AlertReview r = read(rs);
          reviews.computeIfAbsent(r.alertId(), k -> new ArrayList<>()).add(r);
        }
      }
    }
    states.forEach(
        (id, state) ->
            out.put(id, new AlertReviews(id, state, reviews.getOrDefault(id, List.of()))));
    return out;
  }

  /**
   * Adds a review as the alert's {@code r.index()}-th and sets its state, if the alert still has
   * exactly {@code r.index()} reviews (else someone else's came first: false, nothing written).
   */
  static boolean add(Connection c, AlertReview r, ReviewState next) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE alert SET review_state = ?, review_count = review_count + 1, reviewed_at = ?"
                + " WHERE id = ? AND review_count = ?")) {
      ps.setString(1, next.key());
      ps.setLong(2, r.at().toEpochMilli());
      ps.setString(3, r.alertId());
      ps.setInt(4, r.index());
      if (ps.executeUpdate() != 1) {
        return false;
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO alert_review (alert_id, idx, person, token_id, decision, reason, note, at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, r.alertId());
      ps.setInt(2, r.index());
      ps.setString(3, r.person());
      ps.setString(4, r.tokenId());
      ps.setString(5, r.decision());
      if (r.reason() == null) {
        ps.setNull(6, Types.VARCHAR);
      } else {
        ps.setString(6, r.reason().key());
      }
      if (r.note() == null) {
        ps.setNull(7, Types.VARCHAR);
      } else {
        ps.setString(7, r.note());
      }
      ps.setLong(8, r.at().toEpochMilli());
      ps.executeUpdate();
    }
    return true;
  }

  /** Per UTC day of the match time, from {@code from}: alerts and what became of them. */
  static List<ReviewDay> days(Connection c, Instant from) throws SQLException {
    Map<LocalDate, long[]> days = new TreeMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT a.match_time, a.review_state, r.reason FROM alert a LEFT JOIN alert_review r"
                + " ON r.alert_id = a.id AND r.decision = 'reject' WHERE a.match_time >= ?")) {
      ps.setLong(1, from.toEpochMilli());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          LocalDate day =
              Instant.ofEpochMilli(rs.getLong(1)).atOffset(ZoneOffset.UTC).toLocalDate();
          long[] n = days.computeIfAbsent(day, d -> new long[5]);
          n[0]++;
          switch (ReviewState.parse(rs.getString(2))) {
            case PENDING, CONFIRMED -> n[1]++;
            case VERIFIED -> n[2]++;
            case REJECTED -> n["false-match".equals(rs.getString(3)) ? 3 : 4]++;
          }
        }
      }
    }
    List<ReviewDay> out = new ArrayList<>();
    days.forEach((d, n) -> out.add(new ReviewDay(d, n[0], n[1], n[2], n[3], n[4])));
    return out;
  }

  /** Deletes the reviews of the alerts matched before {@code cutoff} (with them, by retention). */
  static void deleteBefore(Connection c, Instant cutoff) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM alert_review WHERE alert_id IN"
                + " (SELECT id FROM alert WHERE match_time < ?)")) {
      ps.setLong(1, cutoff.toEpochMilli());
      ps.executeUpdate();
    }
  }

  private static void bindAll(PreparedStatement ps, Collection<String> ids) throws SQLException {
    int i = 1;
    for (String id : ids) {
      ps.setString(i++, id);
    }
  }

  private static AlertReview read(ResultSet rs) throws SQLException {
    String reason = rs.getString(6);
    return new AlertReview(
        rs.getString(1),
        rs.getInt(2),
        rs.getString(3),
        rs.getString(4),
        "confirm".equals(rs.getString(5)),
        reason == null ? null : RejectReason.parse(reason),
        rs.getString(7),
        Instant.ofEpochMilli(rs.getLong(8)));
  }
}
