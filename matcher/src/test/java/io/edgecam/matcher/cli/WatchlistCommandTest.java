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
  void removesAnEntryAndFailsForAnUnknownOne() {
    assertThat(run("remove", "alice", "--store", db.toString())).isZero();
    assertThat(run("remove", "alice", "--store", db.toString())).isEqualTo(1);
    try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
      assertThat(s.entries()).isEmpty();
    }
  }
}
