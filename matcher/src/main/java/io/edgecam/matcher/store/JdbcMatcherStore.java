package io.edgecam.matcher.store;

import io.edgecam.matcher.audit.AuditRecord;
import io.edgecam.matcher.audit.AuditStore;
import io.edgecam.matcher.auth.ApiToken;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Alert;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store on plain JDBC, shared by SQLite and PostgreSQL; subclasses supply the connection and
 * the few dialect differences. One connection, used under this object's lock (the matcher's write
 * rate is one row per match); a connection found broken is reopened once per call.
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
        throw new StoreException(
            description + ": " + what + " failed: " + first.getMessage(), first);
      }
      log.warn("{}: connection lost ({}), reconnecting", description, first.getMessage());
      closeConnection();
      connection = connectOrThrow();
      try {
        return attempt(work);
      } catch (SQLException second) {
        second.addSuppressed(first);
        throw new StoreException(
            description + ": " + what + " failed: " + second.getMessage(), second);
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
    inTransaction(
        "migration",
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                    + "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
          }
          return null;
        });
    // By set, not by maximum: migrations numbered on parallel branches may land out of order.
    Set<Integer> applied = appliedVersions();
    for (Migrations.Migration m : Migrations.ALL) {
      if (applied.contains(m.version())) {
        continue;
      }
      inTransaction(
          "migration " + m.version(),
          c -> {
            try (Statement s = c.createStatement()) {
              for (String sql : m.statements()) {
                s.execute(sql.replace("${blob}", blobType()));
              }
            }
            try (PreparedStatement ps =
                c.prepareStatement(
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

  private Set<Integer> appliedVersions() {
    return inTransaction(
        "reading schema versions",
        c -> {
          Set<Integer> out = new HashSet<>();
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("SELECT version FROM schema_version")) {
            while (rs.next()) {
              out.add(rs.getInt(1));
            }
          }
          return out;
        });
  }

  @Override
  public AuditStore audit() {
    return new AuditSql(this);
  }

  @Override
  public int schemaVersion() {
    return inTransaction(
        "reading schema version",
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
          }
        });
  }

  @Override
  public void putEntry(WatchlistEntry e) {
    inTransaction(
        "storing watchlist entry " + e.id(),
        c -> {
          WatchlistSql.put(c, e);
          return null;
        });
  }

  @Override
  public boolean removeEntry(String id) {
    return inTransaction("removing watchlist entry " + id, c -> WatchlistSql.delete(c, id));
  }

  @Override
  public long watchlistRevision() {
    return inTransaction("reading the watchlist revision", WatchlistSql::revision);
  }

  @Override
  public List<WatchlistEntry> entries() {
    return inTransaction("reading the watchlist", WatchlistSql::all);
  }

  @Override
  public List<String> purgeExpired(Instant now) {
    return inTransaction("purging expired entries", c -> WatchlistSql.purgeExpired(c, now));
  }

  @Override
  public boolean insertAlertOnce(Alert a) {
    return inTransaction("storing alert " + a.id(), c -> AlertSql.insertOnce(c, a));
  }

  @Override
  public @Nullable AuditRecord insertAlertOnce(
      Alert a, Function<@Nullable AuditRecord, AuditRecord> audit) {
    return inTransaction(
        "storing alert " + a.id(),
        c -> AlertSql.insertOnce(c, a) ? AuditSql.append(c, audit) : null);
  }

  @Override
  public List<Alert> alerts(int limit) {
    return inTransaction("reading alerts", c -> AlertSql.newest(c, limit));
  }

  @Override
  public List<Alert> unpublishedAlerts(int limit) {
    return inTransaction("reading unpublished alerts", c -> AlertSql.unpublished(c, limit));
  }

  @Override
  public boolean markPublished(String alertId) {
    return inTransaction(
        "marking alert " + alertId + " published", c -> AlertSql.markPublished(c, alertId));
  }

  @Override
  public long purgeAlertsBefore(Instant cutoff) {
    return inTransaction("purging old alerts", c -> AlertSql.deleteBefore(c, cutoff));
  }

  @Override
  public long alertCount() {
    return inTransaction("counting alerts", AlertSql::count);
  }

  @Override
  public AlertPage alerts(AlertQuery query) {
    return inTransaction("querying alerts", c -> AlertSql.query(c, query));
  }

  @Override
  public @Nullable Alert alert(String id) {
    return inTransaction("reading alert " + id, c -> AlertSql.byId(c, id));
  }

  @Override
  public void insertToken(ApiToken token, String secretSha256) {
    inTransaction(
        "storing API token " + token.id(),
        c -> {
          TokenSql.insert(c, token, secretSha256);
          return null;
        });
  }

  @Override
  public @Nullable ApiToken tokenBySecretSha256(String secretSha256) {
    return inTransaction("looking up an API token", c -> TokenSql.bySecret(c, secretSha256));
  }

  @Override
  public List<ApiToken> tokens() {
    return inTransaction("reading API tokens", TokenSql::all);
  }

  @Override
  public boolean revokeToken(String id, Instant at) {
    return inTransaction("revoking API token " + id, c -> TokenSql.revoke(c, id, at));
  }

  @Override
  public void tokenUsed(String id, Instant at) {
    inTransaction(
        "recording use of API token " + id,
        c -> {
          TokenSql.used(c, id, at);
          return null;
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
