package io.edgecam.matcher.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteMatcherStoreTest extends MatcherStoreContract {
  @TempDir Path dir;

  @Override
  MatcherStore open(String owner) {
    return new SqliteMatcherStore(dir.resolve("sub/matcher.db"), owner);
  }

  @Test
  void tokensFromBeforePersonsBelongToAPersonNamedLikeTheToken() throws Exception {
    Path db = dir.resolve("v7.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
              + " applied_at BIGINT NOT NULL)");
      for (Migrations.Migration m : Migrations.ALL) {
        if (m.version() <= 7) {
          for (String sql : m.statements()) {
            s.execute(sql.replace("${blob}", "BLOB"));
          }
          s.execute("INSERT INTO schema_version VALUES (" + m.version() + ", 'x', 0)");
        }
      }
      s.execute(
          "INSERT INTO api_token (id, name, role, secret_sha256, created_by, created_at)"
              + " VALUES ('tok_0123456789ab', 'prometheus', 'viewer', 'ab', 'cli:root', 0)");
    }
    try (MatcherStore store = new SqliteMatcherStore(db)) {
      assertThat(store.schemaVersion()).isGreaterThanOrEqualTo(8);
      assertThat(store.tokens())
          .singleElement()
          .satisfies(t -> assertThat(t.person()).isEqualTo("prometheus"));
    }
  }
}
