package io.edgecam.matcher.audit;

import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.matcher.store.SqliteMatcherStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The audit contract on an SQLite file. */
class SqliteAuditLogTest extends AuditLogContract {
  @Override
  MatcherStore open() {
    return new SqliteMatcherStore(dir.resolve("matcher.db"));
  }

  @Override
  Connection sql() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("matcher.db"));
  }
}
