package io.edgecam.matcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.matcher.Watchlist;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.config.AuditConfig;
import io.edgecam.matcher.index.ExactWatchlistIndex;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.Vectors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AuditCommandTest {
  @TempDir Path dir;
  private Path db;
  private StringWriter out;
  private StringWriter err;

  @BeforeEach
  void threeRecords() {
    db = dir.resolve("m.db");
    try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
      Clock clock = Clock.systemUTC();
      AuditLog audit = AuditLog.open(s.audit(), AuditConfig.in(dir), clock);
      Watchlist w = new Watchlist(s, new ExactWatchlistIndex(), 0.45, clock, audit);
      w.enroll(Entries.entry("alice", Vectors.unit(new Random(1)), Instant.now()));
      w.enroll(Entries.entry("bob", Vectors.unit(new Random(2)), Instant.now()));
      w.remove("alice", "cli:test");
    }
  }

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cl = new CommandLine(new AuditCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.executeUpdate(statement);
    }
  }

  @Test
  void verifyReportsAnIntactLogWithItsHeadAndExitsZero() {
    assertThat(run("verify", "--store", db.toString())).isZero();
    assertThat(out.toString())
        .contains("audit log intact: 3 records (last seq 3), head checkpoint at 3 matches");
  }

  @Test
  void verifyNamesTheFirstEditedRecordAndExitsOne() throws Exception {
    sql("UPDATE audit_log SET detail = replace(detail, 'test warrant 42', 'none') WHERE seq = 2");
    assertThat(run("verify", "--store", db.toString(), "--json")).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("ok").asBoolean()).isFalse();
    assertThat(json.get("records").asLong()).isEqualTo(1);
    assertThat(json.at("/failure/seq").asLong()).isEqualTo(2);
    assertThat(json.at("/failure/kind").asText()).isEqualTo("hash");
    assertThat(run("verify", "--store", db.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("audit log TAMPERED: first bad record 2 (hash)");
  }

  @Test
  void verifyFindsARemovedTailThroughTheHeadFileOnly() throws Exception {
    sql("DELETE FROM audit_log WHERE seq = 3");
    assertThat(run("verify", "--store", db.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("first bad record 3 (truncated)");
    assertThat(run("verify", "--store", db.toString(), "--no-head")).isZero();
  }

  @Test
  void verifyWithTheWrongKeyFailsOnTheFirstRecord() throws Exception {
    assertThat(
            new CommandLine(new AuditCommand())
                .execute("key", "--key", dir.resolve("other.key").toString()))
        .isZero();
    assertThat(
            run(
                "verify",
                "--store",
                db.toString(),
                "--key",
                dir.resolve("other.key.pub").toString()))
        .isEqualTo(1);
    assertThat(out.toString()).contains("first bad record 1 (unknown-key)");
  }

  @Test
  void verifyWithoutAnyKeyIsAUsageError() throws Exception {
    Files.delete(dir.resolve("audit.key"));
    Files.delete(dir.resolve("audit.key.pub"));
    assertThat(run("verify", "--store", db.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("no audit key at").contains("--key FILE");
  }

  @Test
  void aLostKeyIsNotSilentlyReplacedWhileTheLogHasRecords() throws Exception {
    Files.move(dir.resolve("audit.key"), dir.resolve("saved.key"));
    try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
      assertThatThrownBy(() -> AuditLog.open(s.audit(), AuditConfig.in(dir), Clock.systemUTC()))
          .hasMessageContaining("audit key " + dir.resolve("audit.key") + " does not exist")
          .hasMessageContaining("already has 3 records")
          .hasMessageContaining("edgecam audit key --key");
    }
    assertThat(Files.exists(dir.resolve("audit.key"))).isFalse();
  }

  @Test
  void exportPrintsEveryRecordWithItsSignature() throws Exception {
    assertThat(run("export", "--store", db.toString(), "--after", "1")).isZero();
    String[] lines = out.toString().trim().split("\n");
    assertThat(lines).hasSize(2);
    JsonNode first = new ObjectMapper().readTree(lines[0]);
    assertThat(first.get("seq").asLong()).isEqualTo(2);
    assertThat(first.get("action").asText()).isEqualTo("watchlist.create");
    assertThat(first.get("signature").asText()).hasSize(128);
    assertThat(first.get("prev_hash").asText()).hasSize(64);
    assertThat(err.toString()).contains("2 records");
  }

  @Test
  void keyPrintsTheExistingKeysId() {
    assertThat(run("key", "--store", db.toString())).isZero();
    assertThat(out.toString()).contains("existing key").contains("key id");
  }
}
