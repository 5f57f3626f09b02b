package io.edgecam.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.ingest.IngestCounters;
import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.Vectors;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The end-to-end scenarios through the embedded HiveMQ broker, with the SQLite store. */
class EmbeddedBrokerEndToEndIT extends MatcherEndToEndScenarios {

  @Override
  MatcherConfig config(Path dir) {
    return MatcherConfig.embeddedIn(dir);
  }

  @Test
  void nonMatchLeavesNoTraceInTheDatabase() throws Exception {
    startMatcher();
    float[] alice = Vectors.unit(random);
    matcher.watchlist().enroll(Entries.entry("alice", alice, clock.instant()));
    float[] stranger = Vectors.unit(random);

    agent.publishCandidate(SITE, DEVICE, Vectors.encoded(DEVICE, 77, stranger));
    IngestCounters.Snapshot c = awaitReceived(1);
    assertThat(c.discarded()).isEqualTo(1);
    stopMatcher();
    matcher = null;
    agent = null;

    byte[] strangerBytes = int8(stranger);
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("matcher.db"))) {
      List<String> tables = new ArrayList<>();
      try (Statement s = db.createStatement();
          ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      assertThat(tables).contains("alert", "watchlist_entry", "watchlist_embedding");
      for (String table : tables) {
        try (Statement s = db.createStatement();
            ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
              Object value = rs.getObject(i);
              assertThat(value)
                  .as("%s column %d", table, i)
                  .isNotEqualTo(DEVICE)
                  .isNotEqualTo(77L)
                  .isNotEqualTo(77);
              if (value instanceof byte[] bytes) {
                assertThat(Arrays.equals(bytes, strangerBytes))
                    .as("%s holds the stranger's embedding", table)
                    .isFalse();
              }
            }
          }
        }
      }
      try (Statement s = db.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM alert")) {
        rs.next();
        assertThat(rs.getLong(1)).isZero();
      }
    }
  }
}
