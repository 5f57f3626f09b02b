package io.edgecam.matcher.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.matcher.store.PostgresMatcherStore;
import io.edgecam.testing.Services;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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

  @Test
  void twoMatcherProcessesAndThisOneAppendingAtOnceFormOneChain() throws Exception {
    int each = 150;
    String jdbc = url + "&currentSchema=" + schema;
    List<Process> others = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      others.add(
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  AuditAppender.class.getName(),
                  jdbc,
                  dir.resolve("audit.key").toString(),
                  Integer.toString(each),
                  "process-" + p)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("appender-" + p + ".log").toFile())
              .start());
    }
    // Start appending only once both others are appending, so that all three really overlap.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                audit.read(AuditQuery.after(0, 1000)).stream()
                        .map(AuditRecord::actor)
                        .filter(a -> a.startsWith("process-"))
                        .distinct()
                        .count()
                    == 2);
    for (int i = 0; i < each; i++) {
      audit.append("process-main", AuditAction.ALERT_VIEW, "m" + i, Map.of("i", i));
    }
    for (Process p : others) {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue())
          .as(Files.readString(dir.resolve("appender-" + others.indexOf(p) + ".log")))
          .isZero();
    }
    List<AuditRecord> all = audit.read(AuditQuery.after(0, 1000));
    assertThat(all).hasSize(5 + 3 * each);
    assertThat(all.stream().map(AuditRecord::actor).distinct())
        .contains("process-0", "process-1", "process-main");
    long switches = 0;
    for (int i = 1; i < all.size(); i++) {
      switches += all.get(i).actor().equals(all.get(i - 1).actor()) ? 0 : 1;
    }
    assertThat(switches).as("appends of the three processes interleave").isGreaterThan(10);
    AuditVerifier.Report r = AuditVerifier.verify(store.audit(), List.of(key.publicKey()), null);
    assertThat(r.ok()).as("%s", r.problem()).isTrue();
    assertThat(r.lastSeq()).isEqualTo(5 + 3 * each);
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
