package io.edgecam.matcher.store;

import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.Box;
import io.edgecam.protocol.Int8Embedding;
import java.sql.Connection;
import java.sql.DriverManager;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store on plain JDBC, shared by SQLite and PostgreSQL; subclasses supply the connection and
 * the few dialect differences. One connection, used under this object's lock (the matcher's
 * write rate is one row per match); a connection found broken is reopened once per call.
 */
abstract class JdbcMatcherStore implements MatcherStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcMatcherStore.class);

  private final String description;
  private final String jdbcUrl;
  private Connection connection;
  private boolean closed;

  JdbcMatcherStore(String description, String jdbcUrl) {
    this.description = description;
    this.jdbcUrl = jdbcUrl;
    this.connection = connectOrThrow();
    migrate();
  }

  /** Applies the session settings this database needs to a new connection. */
  abstract void configure(Connection c) throws SQLException;

  /** Column type for byte strings. */
  abstract String blobType();

  private Connection connectOrThrow() {
    try {
      Connection c = DriverManager.getConnection(jdbcUrl);
      try {
        configure(c);
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      return c;
    } catch (SQLException e) {
      throw new StoreException(description + ": cannot connect: " + e.getMessage(), e);
    }
  }

  /** A unit of work on the connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} in a transaction; retries once on a fresh connection if it was broken. */
  synchronized <T> T inTransaction(String what, Work<T> work) {
    if (closed) {
      throw new IllegalStateException(description + " is closed");
    }
    try {
      return attempt(work);
    } catch (SQLException first) {
      if (connectionAlive()) {
        throw new StoreException(description + ": " + what + " failed: " + first.getMessage(), first);
      }
      log.warn("{}: connection lost ({}), reconnecting", description, first.getMessage());
      closeConnection();
      connection = connectOrThrow();
      try {
        return attempt(work);
      } catch (SQLException second) {
        second.addSuppressed(first);
        throw new StoreException(description + ": " + what + " failed: " + second.getMessage(), second);
      }
    }
  }

  private <T> T attempt(Work<T> work) throws SQLException {
    Connection c = connection;
    c.setAutoCommit(false);
    try {
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      throw e;
    }
  }

  private boolean connectionAlive() {
    try {
      return connection.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private void migrate() {
    inTransaction("migration", c -> {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS schema_version ("
            + "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
      }
      return null;
    });
    int current = schemaVersion();
    for (Migrations.Migration m : Migrations.ALL) {
      if (m.version() <= current) {
        continue;
      }
      inTransaction("migration " + m.version(), c -> {
        try (Statement s = c.createStatement()) {
          for (String sql : m.statements()) {
            s.execute(sql.replace("${blob}", blobType()));
          }
        }
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
          ps.setInt(1, m.version());
          ps.setString(2, m.description());
          ps.setLong(3, System.currentTimeMillis());
          ps.executeUpdate();
        }
        return null;
      });
      log.info("{}: applied schema migration {} ({})", description, m.version(), m.description());
    }
  }

  @Override
  public int schemaVersion() {
    return inTransaction("reading schema version", c -> {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    });
  }

  @Override
  public void putEntry(WatchlistEntry e) {
    inTransaction("storing watchlist entry " + e.id(), c -> {
      deleteEntry(c, e.id());
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO watchlist_entry (id, label, legal_basis, expires_at, created_by, created_at, threshold)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
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
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(
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
      return null;
    });
  }

  @Override
  public boolean removeEntry(String id) {
    return inTransaction("removing watchlist entry " + id, c -> deleteEntry(c, id));
  }

  private static boolean deleteEntry(Connection c, String id) throws SQLException {
    bumpRevision(c);
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM watchlist_embedding WHERE entry_id = ?")) {
      ps.setString(1, id);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM watchlist_entry WHERE id = ?")) {
      ps.setString(1, id);
      return ps.executeUpdate() > 0;
    }
  }

  private static void bumpRevision(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE watchlist_revision SET revision = revision + 1 WHERE id = 1");
    }
  }

  @Override
  public long watchlistRevision() {
    return inTransaction("reading the watchlist revision", c -> {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT revision FROM watchlist_revision WHERE id = 1")) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    });
  }

  @Override
  public List<WatchlistEntry> entries() {
    return inTransaction("reading the watchlist", c -> {
      Map<String, List<Int8Embedding>> embeddings = new LinkedHashMap<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(
              "SELECT entry_id, scale, vec FROM watchlist_embedding ORDER BY entry_id, idx")) {
        while (rs.next()) {
          embeddings.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
              .add(new Int8Embedding(rs.getBytes(3), rs.getFloat(2)));
        }
      }
      List<WatchlistEntry> out = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(
              "SELECT id, label, legal_basis, expires_at, created_by, created_at, threshold"
                  + " FROM watchlist_entry ORDER BY id")) {
        while (rs.next()) {
          String id = rs.getString(1);
          double threshold = rs.getDouble(7);
          Double t = rs.wasNull() ? null : threshold;
          out.add(new WatchlistEntry(id, rs.getString(2), embeddings.getOrDefault(id, List.of()),
              rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5),
              Instant.ofEpochMilli(rs.getLong(6)), t));
        }
      }
      return out;
    });
  }

  @Override
  public List<String> purgeExpired(Instant now) {
    return inTransaction("purging expired entries", c -> {
      List<String> ids = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT id FROM watchlist_entry WHERE expires_at <= ?")) {
        ps.setLong(1, now.toEpochMilli());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
      }
      for (String id : ids) {
        deleteEntry(c, id);
      }
      return ids;
    });
  }

  @Override
  public boolean insertAlertOnce(Alert a) {
    return inTransaction("storing alert " + a.id(), c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO alert (id, site, device, sequence, capture_time, match_time, entry_id, label,"
              + " score, threshold, track_id, box_x, box_y, box_w, box_h)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
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
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public List<Alert> alerts(int limit) {
    return inTransaction("reading alerts", c -> {
      List<Alert> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT id, site, device, sequence, capture_time, match_time, entry_id, label, score,"
              + " threshold, track_id, box_x, box_y, box_w, box_h FROM alert"
              + " ORDER BY match_time DESC, id LIMIT ?")) {
        ps.setInt(1, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Alert(1, rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                rs.getLong(5), rs.getLong(6), rs.getString(7), rs.getString(8), rs.getDouble(9),
                rs.getDouble(10), rs.getInt(11),
                new Box(rs.getInt(12), rs.getInt(13), rs.getInt(14), rs.getInt(15))));
          }
        }
      }
      return out;
    });
  }

  @Override
  public long alertCount() {
    return inTransaction("counting alerts", c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM alert")) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      closeConnection();
    }
  }

  private void closeConnection() {
    try {
      connection.close();
    } catch (SQLException e) {
      log.debug("{}: closing the connection failed", description, e);
    }
  }

  @Override
  public String toString() {
    return description;
  }
}
