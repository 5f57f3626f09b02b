package io.edgecam.matcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.matcher.audit.AuditKeys;
import io.edgecam.matcher.audit.AuditQuery;
import io.edgecam.matcher.audit.AuditRecord;
import io.edgecam.matcher.audit.AuditVerifier;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.Vectors;
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.Box;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PurgeCommandTest {
  @TempDir Path dir;
  private Path db;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void oldAndNewData() {
    db = dir.resolve("m.db");
    Instant now = Instant.now();
    try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
      s.putEntry(Entries.entry("current", Vectors.unit(new Random(1)), now));
      s.putEntry(
          Entries.entry(
              "expired", Vectors.unit(new Random(2)), now.minus(Duration.ofDays(1)), null, now));
      s.insertAlertOnce(alert("old", 1, now.minus(Duration.ofDays(40))));
      s.insertAlertOnce(alert("new", 2, now.minus(Duration.ofDays(2))));
    }
  }

  private static Alert alert(String id, long seq, Instant matched) {
    return new Alert(
        1,
        id,
        "s",
        "cam",
        seq,
        matched.toEpochMilli(),
        matched.toEpochMilli(),
        "current",
        "Label",
        0.8,
        0.45,
        1,
        new Box(1, 1, 10, 10));
  }

  private int run(String... args) {
    CommandLine cl = new CommandLine(new PurgeCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void deletesOldMatchesAndExpiredEntriesAndRecordsTheCounts() {
    assertThat(run("--store", db.toString(), "--json")).isZero();
    assertThat(out.toString()).contains("\"alerts_deleted\":1,\"entries_expired\":1");
    try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
      assertThat(s.alerts(10)).extracting(Alert::id).containsExactly("new");
      assertThat(s.entries()).extracting(e -> e.id()).containsExactly("current");
      List<AuditRecord> log = s.audit().read(AuditQuery.after(0, 10));
      assertThat(log)
          .extracting(AuditRecord::action)
          .containsExactly("watchlist.expire", "retention.purge");
      assertThat(log.get(1).detail()).contains("\"alerts_deleted\":1", "\"match_days\":30");
      assertThat(log.get(1).actor()).startsWith("cli:");
      assertThat(log.get(1).detail()).doesNotContain("old", "Label");
      var report =
          AuditVerifier.verify(
              s.audit(), List.of(AuditKeys.readPublic(dir.resolve("audit.key.pub"))), null);
      assertThat(report.ok()).isTrue();
    }
  }

  @Test
  void shorterRetentionFromTheCommandLine() {
    assertThat(run("--store", db.toString(), "--match-days", "1")).isZero();
    assertThat(out.toString()).startsWith("deleted 2 alerts matched before");
  }

  @Test
  void rejectsARetentionBelowOneDay() {
    assertThat(run("--store", db.toString(), "--match-days", "0")).isEqualTo(2);
    assertThat(err.toString())
        .contains("--match-days")
        .contains("retention.matchDays must be in 1..36500, was 0");
  }
}
