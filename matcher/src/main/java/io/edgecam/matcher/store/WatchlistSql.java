package io.edgecam.matcher.store;

import io.edgecam.matcher.watchlist.Authorization;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Int8Embedding;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** SQL of the watchlist tables, common to every dialect; callers own the transaction. */
final class WatchlistSql {
  private WatchlistSql() {}

  static void put(Connection c, WatchlistEntry e) throws SQLException {
    delete(c, e.id());
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO watchlist_entry (id, label, legal_basis, expires_at, created_by, created_at, threshold,"
                + " model, auth_body, auth_reference, scope_sites, scope_devices, window_from,"
                + " window_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, e.id());
      ps.setString(2, e.label());
      ps.setString(3, e.legalBasis());
      ps.setLong(4, e.expiresAt().toEpochMilli());
      ps.setString(5, e.createdBy());
      ps.setLong(6, e.createdAt().toEpochMilli());
      if (e.threshold() == null) {
        ps.setNull(7, Types.DOUBLE);
      } else {
        ps.setDouble(7, e.threshold());
      }
      ps.setString(8, e.model());
      Authorization a = e.authorization();
      ps.setString(9, a.body());
      ps.setString(10, a.reference());
      ps.setString(11, a.sites().isEmpty() ? null : String.join(",", a.sites()));
      ps.setString(12, a.devices().isEmpty() ? null : String.join(",", a.devices()));
      setInstant(ps, 13, a.from());
      setInstant(ps, 14, a.until());
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO watchlist_embedding (entry_id, idx, scale, vec) VALUES (?, ?, ?, ?)")) {
      int idx = 0;
      for (Int8Embedding emb : e.embeddings()) {
        ps.setString(1, e.id());
        ps.setInt(2, idx++);
        ps.setFloat(3, emb.scale());
        ps.setBytes(4, emb.values());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  static boolean delete(Connection c, String id) throws SQLException {
    bumpRevision(c);
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM watchlist_embedding WHERE entry_id = ?")) {
      ps.setString(1, id);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM watchlist_entry WHERE id = ?")) {
      ps.setString(1, id);
      return ps.executeUpdate() > 0;
    }
  }

  static void bumpRevision(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE watchlist_revision SET revision = revision + 1 WHERE id = 1");
    }
  }

  static long revision(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT revision FROM watchlist_revision WHERE id = 1")) {
      return rs.next() ? rs.getLong(1) : 0L;
    }
  }

  static List<WatchlistEntry> all(Connection c) throws SQLException {
    Map<String, List<Int8Embedding>> embeddings = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT entry_id, scale, vec FROM watchlist_embedding ORDER BY entry_id, idx")) {
      while (rs.next()) {
        embeddings
            .computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
            .add(new Int8Embedding(rs.getBytes(3), rs.getFloat(2)));
      }
    }
    List<WatchlistEntry> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT id, label, legal_basis, expires_at, created_by, created_at, threshold, model,"
                    + " auth_body, auth_reference, scope_sites, scope_devices, window_from,"
                    + " window_until FROM watchlist_entry ORDER BY id")) {
      while (rs.next()) {
        String id = rs.getString(1);
        double threshold = rs.getDouble(7);
        Double t = rs.wasNull() ? null : threshold;
        out.add(
            new WatchlistEntry(
                id,
                rs.getString(2),
                embeddings.getOrDefault(id, List.of()),
                rs.getString(8),
                rs.getString(3),
                Instant.ofEpochMilli(rs.getLong(4)),
                rs.getString(5),
                Instant.ofEpochMilli(rs.getLong(6)),
                t,
                new Authorization(
                    rs.getString(9),
                    rs.getString(10),
                    ids(rs.getString(11)),
                    ids(rs.getString(12)),
                    instant(rs, 13),
                    instant(rs, 14))));
      }
    }
    return out;
  }

  private static void setInstant(PreparedStatement ps, int i, @Nullable Instant t)
      throws SQLException {
    if (t == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, t.toEpochMilli());
    }
  }

  private static @Nullable Instant instant(ResultSet rs, int i) throws SQLException {
    long v = rs.getLong(i);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  private static List<String> ids(@Nullable String joined) {
    return joined == null || joined.isEmpty() ? List.of() : List.of(joined.split(","));
  }

  static List<String> purgeExpired(Connection c, Instant now) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id FROM watchlist_entry WHERE expires_at <= ?")) {
      ps.setLong(1, now.toEpochMilli());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    for (String id : ids) {
      delete(c, id);
    }
    return ids;
  }
}
