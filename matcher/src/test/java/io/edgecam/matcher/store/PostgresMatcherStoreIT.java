package io.edgecam.matcher.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.testing.Services;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store contract on the PostgreSQL of this machine, in a schema of its own per test. */
class PostgresMatcherStoreIT extends MatcherStoreContract {
  private String url;
  private String schema;

  @BeforeEach
  void createSchema() throws Exception {
    url = Services.postgresUrl();
    schema = Services.createSchema(url);
  }

  @AfterEach
  void dropSchema() throws Exception {
    if (schema != null) {
      Services.dropSchema(url, schema);
    }
  }

  @Override
  MatcherStore open(String owner) {
    return new PostgresMatcherStore(url + "&currentSchema=" + schema, 2, owner);
  }

  @Test
  void matchersStartingTogetherMigrateAFreshDatabaseOnce() throws Exception {
    int n = 4;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<MatcherStore>> opening = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String owner = "matcher-" + i;
        opening.add(pool.submit(() -> open(owner)));
      }
      for (Future<MatcherStore> f : opening) {
        f.get().close(); // throws if a migration collided
      }
    } finally {
      pool.shutdownNow();
    }
    try (Connection c = DriverManager.getConnection(url + "&currentSchema=" + schema);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_version")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(Migrations.ALL.size()).isEqualTo(rs.getInt(2));
    }
  }

  @Test
  void concurrentInsertsOfOneKeyStoreItOnce() throws Exception {
    try (MatcherStore s = open("matcher-a")) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Boolean>> inserts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          long seq = i % 100; // every key twice, from different threads
          int id = i;
          inserts.add(pool.submit(() -> s.insertAlertOnce(alert("p" + id, "cam-9", seq))));
        }
        int fresh = 0;
        for (Future<Boolean> f : inserts) {
          fresh += f.get() ? 1 : 0;
        }
        assertThat(fresh).as("one insert per (device, sequence) wins").isEqualTo(100);
        assertThat(s.alertCount()).isEqualTo(100);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void unreachableDatabaseIsAClearError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new PostgresMatcherStore("jdbc:postgresql://127.0.0.1:1/none?user=x", 1, "m"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(
            "PostgreSQL store jdbc:postgresql://127.0.0.1:1/none: cannot connect");
  }
}
