package io.edgecam.matcher.store;

import io.edgecam.matcher.audit.AuditQuery;
import io.edgecam.matcher.audit.AuditRecord;
import io.edgecam.matcher.audit.AuditStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The audit chain in the {@code audit_log} table (migration 6). An append first updates the single
 * {@code audit_lock} row: PostgreSQL then holds that row lock and SQLite its write lock until the
 * commit, so appenders in other processes wait and read the new tail (READ COMMITTED takes a fresh
 * snapshot per statement). The primary key on {@code seq} is the backstop: a forked chain cannot be
 * inserted.
 */
final class AuditSql implements AuditStore {
  private static final String COLUMNS =
      "SELECT seq, time, actor, action, subject, detail, prev_hash, hash, key_id, signature"
          + " FROM audit_log";

  private final JdbcMatcherStore store;

  AuditSql(JdbcMatcherStore store) {
    this.store = store;
  }

  @Override
  public AuditRecord append(Function<@Nullable AuditRecord, AuditRecord> next) {
    return store.inTransaction("appending to the audit log", c -> append(c, next));
  }

  /** Appends within the caller's transaction (e.g. with the alert it records). */
  static AuditRecord append(Connection c, Function<@Nullable AuditRecord, AuditRecord> next)
      throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE audit_lock SET appends = appends + 1 WHERE id = 1");
    }
    AuditRecord r = next.apply(last(c));
    insert(c, r);
    return r;
  }

  @Override
  public List<AuditRecord> read(AuditQuery q) {
    return store.inTransaction("reading the audit log", c -> read(c, q));
  }

  @Override
  public @Nullable AuditRecord last() {
    return store.inTransaction("reading the audit log", AuditSql::last);
  }

  private static @Nullable AuditRecord last(Connection c) throws SQLException {
    List<AuditRecord> r = read(c, AuditQuery.newest(Long.MAX_VALUE, 1));
    return r.isEmpty() ? null : r.get(0);
  }

  private static void insert(Connection c, AuditRecord r) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO audit_log (seq, time, actor, action, subject, detail, prev_hash, hash,"
                + " key_id, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, r.seq());
      ps.setLong(2, r.time().toEpochMilli());
      ps.setString(3, r.actor());
      ps.setString(4, r.action());
      ps.setString(5, r.subject());
      ps.setString(6, r.detail());
      ps.setString(7, r.prevHash());
      ps.setString(8, r.hash());
      ps.setString(9, r.keyId());
      ps.setString(10, r.signature());
      ps.executeUpdate();
    }
  }

  private static List<AuditRecord> read(Connection c, AuditQuery q) throws SQLException {
    StringBuilder sql = new StringBuilder(COLUMNS).append(" WHERE seq > ? AND seq < ?");
    if (q.action() != null) {
      sql.append(" AND action = ?");
    }
    if (q.actor() != null) {
      // "person:dana" finds every token of dana's ("person:dana/tok_..."), as well as itself.
      sql.append(" AND (actor = ? OR substr(actor, 1, ?) = ?)");
    }
    sql.append(q.newestFirst() ? " ORDER BY seq DESC" : " ORDER BY seq").append(" LIMIT ?");
    List<AuditRecord> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int i = 1;
      ps.setLong(i++, q.afterSeq());
      ps.setLong(i++, q.beforeSeq());
      if (q.action() != null) {
        ps.setString(i++, q.action());
      }
      if (q.actor() != null) {
        ps.setString(i++, q.actor());
        ps.setInt(i++, q.actor().length() + 1);
        ps.setString(i++, q.actor() + "/");
      }
      ps.setInt(i, q.limit());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new AuditRecord(
                  rs.getLong(1),
                  Instant.ofEpochMilli(rs.getLong(2)),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getString(8),
                  rs.getString(9),
                  rs.getString(10)));
        }
      }
    }
    return out;
  }
}
