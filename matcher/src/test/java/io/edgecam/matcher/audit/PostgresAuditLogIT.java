package io.edgecam.matcher.audit;

import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.matcher.store.PostgresMatcherStore;
import io.edgecam.matcher.testing.Services;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;

/**
 * The audit contract on this machine's PostgreSQL, in a schema of its own; its concurrency case is
 * two matchers (two connections, two sessions) appending to one chain.
 */
class PostgresAuditLogIT extends AuditLogContract {
  private static String url;
  private static String schema;

  @Override
  MatcherStore open() {
    if (schema == null) {
      url = Services.postgresUrl();
      try {
        schema = Services.createSchema(url);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    return new PostgresMatcherStore(url + "&currentSchema=" + schema);
  }

  @Override
  Connection sql() throws SQLException {
    return DriverManager.getConnection(url + "&currentSchema=" + schema);
  }

  @AfterEach
  void dropSchema() throws SQLException {
    if (store != null) {
      store.close();
      store = null;
    }
    if (schema != null) {
      Services.dropSchema(url, schema);
      schema = null;
    }
  }
}
