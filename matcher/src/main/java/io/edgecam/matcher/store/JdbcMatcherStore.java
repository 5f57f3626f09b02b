package io.edgecam.matcher.store;

import io.edgecam.matcher.audit.AuditRecord;
import io.edgecam.matcher.audit.AuditStore;
import io.edgecam.matcher.auth.ApiToken;
import io.edgecam.matcher.oversight.AlertReview;
import io.edgecam.matcher.oversight.AlertReviews;
import io.edgecam.matcher.oversight.ReviewDay;
import io.edgecam.matcher.oversight.ReviewState;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Alert;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store on plain JDBC, shared by SQLite and PostgreSQL; subclasses supply connections and the
 * few dialect differences. Every call is one transaction on a connection from {@link #acquire()}; a
 * call that fails on a connection found broken is retried once on a fresh one.
 */
abstract class JdbcMatcherStore implements MatcherStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcMatcherStore.class);

  /** How long an alert's outbox entry belongs to the matcher that stored or took it, ms. */
  static final long CLAIM_MILLIS = 60_000;

  private final String description;
  private final String owner;
  private volatile boolean closed;

  /**
   * @param description names the database in messages (no password)
   * @param owner this matcher's id, recorded on the alerts whose publishing it is responsible for
   */
  JdbcMatcherStore(String description, String owner) {
    this.description = description;
    this.owner = owner;
  }

  /** Applies the schema migrations; subclasses call it at the end of their constructor. */
  final void start() {
    migrate();
  }

  /** A connection for one transaction; {@link #release} returns it. */
  abstract Connection acquire() throws SQLException;

  /** Gives back a connection from {@link #acquire()}; {@code broken} ones are discarded. */
  abstract void release(Connection c, boolean broken);

  /** Closes every connection. */
  abstract void closeConnections();

  /** Serializes migrations of several processes on one database (inside the transaction). */
  abstract void lockForMigration(Connection c) throws SQLException;

  /** Column type for byte strings. */
  abstract String blobType();

  /** A unit of work on the connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} in a transaction; retries once on a fresh connection if it was broken. */
  <T> T inTransaction(String what, Work<T> work) {
    if (closed) {
      throw new IllegalStateException(description + " is closed");
    }
    boolean[] broken = new boolean[1];
    try {
      return attempt(work, broken);
    } catch (SQLException first) {
      if (!broken[0]) {
        throw new StoreException(
            description + ": " + what + " failed: " + first.getMessage(), first);
      }
      log.warn("{}: connection lost ({}), reconnecting", description, first.getMessage());
      try {
        return attempt(work, broken);
      } catch (SQLException second) {
        second.addSuppressed(first);
        throw new StoreException(
            description + ": " + what + " failed: " + second.getMessage(), second);
      }
    }
  }

  private <T> T attempt(Work<T> work, boolean[] broken) throws SQLException {
    Connection c;
    try {
      c = acquire();
    } catch (SQLException e) {
      broken[0] = false; // no connection to be had: retrying at once will not help
      throw e;
    }
    broken[0] = false;
    try {
      c.setAutoCommit(false);
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      broken[0] = !alive(c);
      throw e;
    } finally {
      release(c, broken[0]);
    }
  }

  private static boolean alive(Connection c) {
    try {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  /** Wraps a connection failure at open time. */
  StoreException cannotConnect(Exception e) {
    return new StoreException(description + ": cannot connect: " + e.getMessage(), e);
  }

  private void migrate() {
    inTransaction(
        "migration",
        c -> {
          lockForMigration(c);
          try (Statement s = c.createStatement()) {
            s.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                    + "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
          }
          return null;
        });
    // By set, not by maximum (migrations numbered on parallel branches may land out of order);
    // each step checks again under the lock, since another matcher may have applied it.
    for (Migrations.Migration m : Migrations.ALL) {
      boolean applied =
          inTransaction(
              "migration " + m.version(),
              c -> {
                lockForMigration(c);
                if (applied(c, m.version())) {
                  return false;
                }
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
                return true;
              });
      if (applied) {
        log.info("{}: applied schema migration {} ({})", description, m.version(), m.description());
      }
    }
  }

  private static boolean applied(Connection c, int version) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM schema_version WHERE version = ?")) {
      ps.setInt(1, version);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static int schemaVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  @Override
  public AuditStore audit() {
    return new AuditSql(this);
  }

  @Override
  public int schemaVersion() {
    return inTransaction("reading schema version", JdbcMatcherStore::schemaVersion);
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
    return inTransaction(
        "storing alert " + a.id(),
        c -> AlertSql.insertOnce(c, a, owner, a.matchTimeMillis() + CLAIM_MILLIS));
  }

  @Override
  public @Nullable AuditRecord insertAlertOnce(
      Alert a, Function<@Nullable AuditRecord, AuditRecord> audit) {
    return inTransaction(
        "storing alert " + a.id(),
        c ->
            AlertSql.insertOnce(c, a, owner, a.matchTimeMillis() + CLAIM_MILLIS)
                ? AuditSql.append(c, audit)
                : null);
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
  public List<Alert> claimUnpublished(int limit, long nowMillis, long ownBeforeMillis) {
    return inTransaction(
        "taking unpublished alerts",
        c -> AlertSql.claim(c, limit, owner, nowMillis, ownBeforeMillis, CLAIM_MILLIS));
  }

  @Override
  public boolean markPublished(String alertId) {
    return inTransaction(
        "marking alert " + alertId + " published", c -> AlertSql.markPublished(c, alertId));
  }

  @Override
  public long purgeAlertsBefore(Instant cutoff) {
    return inTransaction(
        "purging old alerts",
        c -> {
          ReviewSql.deleteBefore(c, cutoff);
          return AlertSql.deleteBefore(c, cutoff);
        });
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
  public @Nullable AlertReviews reviews(String alertId) {
    return inTransaction("reading reviews of alert " + alertId, c -> ReviewSql.of(c, alertId));
  }

  @Override
  public Map<String, AlertReviews> reviews(Collection<String> alertIds) {
    return inTransaction("reading alert reviews", c -> ReviewSql.of(c, alertIds));
  }

  @Override
  public @Nullable AuditRecord addReview(
      AlertReview review, ReviewState next, Function<@Nullable AuditRecord, AuditRecord> audit) {
    return inTransaction(
        "storing a review of alert " + review.alertId(),
        c -> ReviewSql.add(c, review, next) ? AuditSql.append(c, audit) : null);
  }

  @Override
  public @Nullable String firstAlertId(String entryId) {
    return inTransaction("reading the first alert of " + entryId, c -> AlertSql.first(c, entryId));
  }

  @Override
  public List<Alert> unsentVerified(int limit, long reviewedBeforeMillis) {
    return inTransaction(
        "reading undelivered verified alerts",
        c -> AlertSql.unsentVerified(c, limit, reviewedBeforeMillis));
  }

  @Override
  public boolean markActionSent(String alertId) {
    return inTransaction(
        "marking verified alert " + alertId + " delivered",
        c -> AlertSql.markActionSent(c, alertId));
  }

  @Override
  public List<Alert> openAlerts(int limit) {
    return inTransaction("reading open alerts", c -> AlertSql.open(c, limit));
  }

  @Override
  public List<ReviewDay> reviewDays(Instant from) {
    return inTransaction("counting reviews", c -> ReviewSql.days(c, from));
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
  public void close() {
    if (!closed) {
      closed = true;
      closeConnections();
    }
  }

  @Override
  public String toString() {
    return description;
  }
}
