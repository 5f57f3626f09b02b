package io.edgecam.matcher.store;

import java.sql.Connection;

/**
 * The production store: PostgreSQL by JDBC URL ({@code jdbc:postgresql://host/db?user=...}; a
 * {@code currentSchema} parameter selects the schema). Thread-safe.
 */
public final class PostgresMatcherStore extends JdbcMatcherStore {

  /** Connects and brings the schema up to date. */
  public PostgresMatcherStore(String jdbcUrl) {
    super("PostgreSQL store " + redact(jdbcUrl), jdbcUrl);
  }

  /** Drops the query string, which may hold a password, from log and error messages. */
  private static String redact(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  @Override
  void configure(Connection c) {
    // PostgreSQL needs no session settings.
  }

  @Override
  String blobType() {
    return "BYTEA";
  }
}
