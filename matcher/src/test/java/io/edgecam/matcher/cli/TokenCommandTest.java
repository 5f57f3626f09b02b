package io.edgecam.matcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.audit.AuditQuery;
import io.edgecam.matcher.auth.ApiTokens;
import io.edgecam.matcher.config.AuditConfig;
import io.edgecam.matcher.store.SqliteMatcherStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TokenCommandTest {
  @TempDir Path dir;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cl = new CommandLine(new TokenCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void createdTokenAuthenticatesIsListedWithoutSecretAndCanBeRevoked() throws Exception {
    Path db = dir.resolve("m.db");
    assertThat(
            run("create", "--role", "admin", "--name", "ops", "--json", "--store", db.toString()))
        .isZero();
    JsonNode created = new ObjectMapper().readTree(out.toString());
    String secret = created.get("secret").asText();
    String id = created.at("/token/id").asText();
    try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
      assertThat(new ApiTokens(s, Clock.systemUTC()).authenticate(secret)).isNotNull();
    }
    assertThat(run("list", "--store", db.toString())).isZero();
    assertThat(out.toString())
        .contains(id)
        .contains("ops")
        .contains("admin")
        .doesNotContain(secret);
    assertThat(run("revoke", id, "--store", db.toString())).isZero();
    assertThat(run("revoke", id, "--store", db.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("no active token " + id);
    try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
      assertThat(new ApiTokens(s, Clock.systemUTC()).authenticate(secret)).isNull();
      var records =
          AuditLog.open(s.audit(), AuditConfig.in(dir), Clock.systemUTC())
              .read(AuditQuery.after(0, 10));
      assertThat(records)
          .extracting(r -> r.action() + " " + r.subject())
          .containsExactly("auth.change ops", "auth.change ops");
      assertThat(records.get(0).actor()).startsWith("cli:");
      assertThat(records.get(0).detail()).doesNotContain(secret);
    }
  }

  @Test
  void tokensBelongToAPersonAndASecondTokenIsThatPersonsToo() throws Exception {
    String db = dir.resolve("m.db").toString();
    assertThat(
            run(
                "create",
                "--role",
                "operator",
                "--person",
                "Dana Scully",
                "--name",
                "laptop",
                "--json",
                "--store",
                db))
        .isZero();
    JsonNode first = new ObjectMapper().readTree(out.toString());
    assertThat(first.at("/token/person").asText()).isEqualTo("Dana Scully");
    assertThat(
            run(
                "create",
                "--role",
                "viewer",
                "--person",
                "dana scully",
                "--name",
                "phone",
                "--store",
                db))
        .isZero();
    assertThat(err.toString()).contains("'phone' of Dana Scully");
    assertThat(run("list", "--json", "--store", db)).isZero();
    assertThat(out.toString().lines().map(l -> l.contains("\"person\":\"Dana Scully\"")))
        .containsExactly(true, true);
    assertThat(run("create", "--role", "viewer", "--person", "a/b", "--store", db)).isEqualTo(2);
    assertThat(err.toString()).contains("--person: person must not contain '/'");
  }

  @Test
  void plainCreatePrintsOnlyTheSecretOnStdout() {
    assertThat(run("create", "--role", "viewer", "--store", dir.resolve("m.db").toString()))
        .isZero();
    assertThat(out.toString().strip()).startsWith("ect_").hasSize(47);
    assertThat(err.toString()).contains("viewer").contains("shown only now");
  }

  @Test
  void badRoleOrExpiryIsAUsageError() {
    assertThat(run("create", "--role", "root", "--store", dir.resolve("m.db").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("role must be viewer, operator or admin");
    assertThat(
            run(
                "create",
                "--role",
                "viewer",
                "--expires-days",
                "0",
                "--store",
                dir.resolve("m.db").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--expires-days must be in 1..3650");
  }
}
