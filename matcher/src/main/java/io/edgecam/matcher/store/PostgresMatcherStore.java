package io.edgecam.matcher.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The production store: PostgreSQL by JDBC URL ({@code jdbc:postgresql://host/db?user=...}; a
 * {@code currentSchema} parameter selects the schema), through a HikariCP connection pool so that
 * concurrent calls (ingest, alert delivery, the watchlist thread, the REST API) do not queue behind
 * one connection. Several matchers may share one database: schema migrations take a PostgreSQL
 * advisory lock, and the dedup key and outbox claims are rows every matcher sees. Thread-safe.
 */
public final class PostgresMatcherStore extends JdbcMatcherStore {
  /** Advisory lock key of schema migrations ("edgecam" in ASCII). */
  private static final long MIGRATION_LOCK = 0x65_64_67_65_63_61_6dL;

  private final HikariDataSource pool;

  /** Connects with a pool of 4 and brings the schema up to date. */
  public PostgresMatcherStore(String jdbcUrl) {
    this(jdbcUrl, 4, "local");
  }

  /**
   * Connects and brings the schema up to date.
   *
   * @param poolSize most connections open at once
   * @param owner this matcher's id (its MQTT client id), recorded on the alerts it stores
   * @throws StoreException if the database cannot be reached
   */
  public PostgresMatcherStore(String jdbcUrl, int poolSize, String owner) {
    super("PostgreSQL store " + redact(jdbcUrl), owner);
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(jdbcUrl);
    c.setPoolName("matcher-store");
    c.setMaximumPoolSize(poolSize);
    c.setMinimumIdle(1);
    c.setConnectionTimeout(10_000);
    c.setAutoCommit(false);
    try {
      // Fails here, with the driver's reason, when the database is unreachable.
      this.pool = new HikariDataSource(c);
    } catch (RuntimeException e) {
      throw cannotConnect(e);
    }
    try {
      start();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /** Drops the query string, which may hold a password, from log and error messages. */
  private static String redact(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  @Override
  Connection acquire() throws SQLException {
    return pool.getConnection();
  }

  @Override
  void release(Connection c, boolean broken) {
    if (broken) {
      pool.evictConnection(c);
    } else {
      try {
        c.close(); // back to the pool
      } catch (SQLException e) {
        pool.evictConnection(c);
      }
    }
  }

  @Override
  void closeConnections() {
    pool.close();
  }

  @Override
  void lockForMigration(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
    }
  }

  @Override
  String blobType() {
    return "BYTEA";
  }
}
