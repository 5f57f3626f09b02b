package io.edgecam.matcher.store;

import io.edgecam.protocol.Alert;
import io.edgecam.protocol.Box;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** SQL of the alert table, common to every dialect; callers own the transaction. */
final class AlertSql {
  private AlertSql() {}

  /**
   * Inserts the alert unpublished, its outbox entry claimed by {@code owner} until {@code
   * claimedUntil}; nothing if (device, sequence) exists. The unique key is the dedup that every
   * matcher sharing the database sees.
   */
  static boolean insertOnce(Connection c, Alert a, String owner, long claimedUntil)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO alert (id, site, device, sequence, capture_time, match_time, entry_id, label,"
                + " score, threshold, track_id, box_x, box_y, box_w, box_h, published, claimed_by,"
                + " claimed_until, second_score, expected_fpir)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)"
                + " ON CONFLICT (device, sequence) DO NOTHING")) {
      ps.setString(1, a.id());
      ps.setString(2, a.site());
      ps.setString(3, a.device());
      ps.setLong(4, a.sequence());
      ps.setLong(5, a.captureTimeMillis());
      ps.setLong(6, a.matchTimeMillis());
      ps.setString(7, a.entryId());
      ps.setString(8, a.label());
      ps.setDouble(9, a.score());
      ps.setDouble(10, a.threshold());
      ps.setInt(11, a.trackId());
      ps.setInt(12, a.box().x());
      ps.setInt(13, a.box().y());
      ps.setInt(14, a.box().width());
      ps.setInt(15, a.box().height());
      ps.setString(16, owner);
      ps.setLong(17, claimedUntil);
      ps.setDouble(18, a.secondScore());
      ps.setDouble(19, a.expectedFpir());
      return ps.executeUpdate() == 1;
    }
  }

  private static final String COLUMNS =
      "SELECT id, site, device, sequence, capture_time, match_time, entry_id, label, score,"
          + " threshold, track_id, box_x, box_y, box_w, box_h, second_score, expected_fpir FROM"
          + " alert";

  static List<Alert> newest(Connection c, int limit) throws SQLException {
    return select(c, COLUMNS + " ORDER BY match_time DESC, id LIMIT ?", limit);
  }

  static @Nullable String first(Connection c, String entryId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id FROM alert WHERE entry_id = ? ORDER BY match_time, id LIMIT 1")) {
      ps.setString(1, entryId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  static List<Alert> open(Connection c, int limit) throws SQLException {
    return select(
        c,
        COLUMNS
            + " WHERE review_state IN ('pending', 'confirmed') ORDER BY match_time DESC, id LIMIT ?",
        limit);
  }

  static List<Alert> unpublished(Connection c, int limit) throws SQLException {
    return select(c, COLUMNS + " WHERE published = 0 ORDER BY match_time, id LIMIT ?", limit);
  }

  private static final String CLAIMABLE =
      " published = 0 AND (claimed_until <= ? OR (claimed_by = ? AND match_time < ?))";

  /**
   * Takes up to {@code limit} unpublished alerts for {@code owner}: those whose claim expired at
   * {@code now} (their matcher died or stalled) and its own stored before {@code ownBefore}, oldest
   * first. Each is taken by a conditional update, so two matchers never take the same one while a
   * claim holds; the claim is renewed for {@code claimMillis}.
   */
  static List<Alert> claim(
      Connection c, int limit, String owner, long now, long ownBefore, long claimMillis)
      throws SQLException {
    List<Alert> candidates;
    try (PreparedStatement ps =
        c.prepareStatement(COLUMNS + " WHERE" + CLAIMABLE + " ORDER BY match_time, id LIMIT ?")) {
      ps.setLong(1, now);
      ps.setString(2, owner);
      ps.setLong(3, ownBefore);
      ps.setInt(4, limit);
      candidates = read(ps);
    }
    List<Alert> taken = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE alert SET claimed_by = ?, claimed_until = ? WHERE id = ? AND" + CLAIMABLE)) {
      for (Alert a : candidates) {
        ps.setString(1, owner);
        ps.setLong(2, now + claimMillis);
        ps.setString(3, a.id());
        ps.setLong(4, now);
        ps.setString(5, owner);
        ps.setLong(6, ownBefore);
        if (ps.executeUpdate() == 1) {
          taken.add(a);
        }
      }
    }
    return taken;
  }

  static List<Alert> unsentVerified(Connection c, int limit, long reviewedBefore)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            COLUMNS
                + " WHERE review_state = 'verified' AND action_sent = 0 AND reviewed_at < ?"
                + " ORDER BY reviewed_at, id LIMIT ?")) {
      ps.setLong(1, reviewedBefore);
      ps.setInt(2, limit);
      return read(ps);
    }
  }

  static boolean markActionSent(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE alert SET action_sent = 1 WHERE id = ?")) {
      ps.setString(1, id);
      return ps.executeUpdate() == 1;
    }
  }

  static boolean markPublished(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE alert SET published = 1 WHERE id = ?")) {
      ps.setString(1, id);
      return ps.executeUpdate() == 1;
    }
  }

  private static List<Alert> select(Connection c, String sql, int limit) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, limit);
      return read(ps);
    }
  }

  private static List<Alert> read(PreparedStatement ps) throws SQLException {
    List<Alert> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(read(rs));
      }
    }
    return out;
  }

  private static Alert read(ResultSet rs) throws SQLException {
    double score = rs.getDouble(9);
    double second = rs.getDouble(16);
    return new Alert(
        1,
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getLong(4),
        rs.getLong(5),
        rs.getLong(6),
        rs.getString(7),
        rs.getString(8),
        score,
        rs.getDouble(10),
        rs.getInt(11),
        new Box(rs.getInt(12), rs.getInt(13), rs.getInt(14), rs.getInt(15)),
        second,
        score - second,
        rs.getDouble(17));
  }

  static AlertPage query(Connection c, AlertQuery q) throws SQLException {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    filter(where, args, " AND site = ?", q.site());
    filter(where, args, " AND device = ?", q.device());
    filter(where, args, " AND entry_id = ?", q.entryId());
    filter(where, args, " AND match_time >= ?", q.fromMillis());
    filter(where, args, " AND match_time < ?", q.toMillis());
    long total;
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM alert" + where)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        total = rs.getLong(1);
      }
    }
    if (q.beforeTime() != null) {
      where.append(" AND (match_time < ? OR (match_time = ? AND id < ?))");
      args.add(q.beforeTime());
      args.add(q.beforeTime());
      args.add(q.beforeId());
    }
    // One more than the page, to know whether another page follows.
    args.add(q.limit() + 1);
    List<Alert> page = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(COLUMNS + where + " ORDER BY match_time DESC, id DESC LIMIT ?")) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          page.add(read(rs));
        }
      }
    }
    boolean more = page.size() > q.limit();
    return new AlertPage(more ? page.subList(0, q.limit()) : page, total, more);
  }

  static @Nullable Alert byId(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(COLUMNS + " WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? read(rs) : null;
      }
    }
  }

  private static void filter(
      StringBuilder where, List<Object> args, String clause, @Nullable Object value) {
    if (value != null) {
      where.append(clause);
      args.add(value);
    }
  }

  private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      if (a instanceof String s) {
        ps.setString(i + 1, s);
      } else if (a instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else {
        ps.setLong(i + 1, (Long) a);
      }
    }
  }

  static long deleteBefore(Connection c, Instant cutoff) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM alert WHERE match_time < ?")) {
      ps.setLong(1, cutoff.toEpochMilli());
      return ps.executeUpdate();
    }
  }

  static long count(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM alert")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
