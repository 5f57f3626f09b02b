package io.edgecam.matcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.matcher.audit.AuditQuery;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.Vectors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WatchlistCommandTest {
  @TempDir Path dir;
  private Path db;
  private final StringWriter out = new StringWriter();

  @BeforeEach
  void enrolled() {
    db = dir.resolve("m.db");
    try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
      s.putEntry(Entries.entry("alice", Vectors.unit(new Random(1)), Instant.now()));
    }
  }

  private int run(String... args) {
    CommandLine cl = new CommandLine(new WatchlistCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(new StringWriter(), true));
    return cl.execute(args);
  }

  @Test
  void listsEntriesAsJsonWithoutEmbeddings() {
    assertThat(run("list", "--json", "--store", db.toString())).isZero();
    assertThat(out.toString())
        .contains("\"id\":\"alice\"")
        .contains("\"embeddings\":1")
        .contains("\"legal_basis\":\"test warrant 42, district court\"");
  }

  /** Security review, issue 17: reads of personal data are on record. */
  @Test
  void listingIsRecordedInTheAuditLog() {
    assertThat(run("list", "--store", db.toString())).isZero();
    try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
      assertThat(s.audit().read(AuditQuery.after(0, 100)))
          .anySatisfy(
              r -> {
                assertThat(r.action()).isEqualTo("watchlist.view");
                assertThat(r.detail()).contains("\"entries\":1");
              });
    }
  }

  @Test
  void listEndsWithTheOperatingPoint() throws Exception {
    assertThat(run("list", "--json", "--store", db.toString())).isZero();
    String[] lines = out.toString().strip().split("\n");
    assertThat(lines).hasSize(2);
    var op =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines[1]).get("operatingPoint");
    assertThat(op.get("listSize").asInt()).isEqualTo(1);
    assertThat(op.get("mode").asText()).isEqualTo("calibrated");
    assertThat(op.get("model").asText()).isEqualTo("mfn-1.0.24");
    // What the shipped calibration gives one entry (no list pairs yet).
    var expected =
        io.edgecam.matcher.config.ThresholdConfig.defaults()
            .policy()
            .at(1, io.edgecam.matcher.calibration.ScoreTail.EMPTY);
    assertThat(op.get("threshold").asDouble()).isEqualTo(expected.threshold());
    assertThat(op.get("expectedFpir").asDouble())
        .isEqualTo(expected.expectedFpir())
        .isLessThanOrEqualTo(0.01);
    assertThat(op.get("expectedMissRate").asDouble()).isEqualTo(expected.fnmr());

    out.getBuffer().setLength(0);
    assertThat(run("list", "--store", db.toString())).isZero();
    assertThat(out.toString())
        .contains(
            String.format(
                java.util.Locale.ROOT,
                "1 entry; threshold %.2f (calibrated, model mfn-1.0.24)",
                expected.threshold()))
        .contains(
            String.format(
                java.util.Locale.ROOT,
                "expected false alarms per 1,000 strangers: %.2f (target 10.00)",
                expected.falseAlarmsPer1000()))
        .contains("genuine pairs)");
  }

  @Test
  void removesAnEntryAndFailsForAnUnknownOne() {
    assertThat(run("remove", "alice", "--store", db.toString())).isZero();
    assertThat(run("remove", "alice", "--store", db.toString())).isEqualTo(1);
    try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
      assertThat(s.entries()).isEmpty();
    }
  }
}
