package io.edgecam.matcher.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokensTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T00:00:00Z"));
  private MatcherStore store;
  private ApiTokens tokens;

  @BeforeEach
  void open() {
    store = new SqliteMatcherStore(dir.resolve("m.db"));
    tokens = new ApiTokens(store, clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void issuedSecretAuthenticatesAndOnlyItsHashIsStored() throws Exception {
    ApiTokens.Issued issued = tokens.issue("alice", Role.OPERATOR, "cli:root", null);
    assertThat(issued.secret()).startsWith("ect_").hasSize(47);
    ApiToken t = tokens.authenticate(issued.secret());
    assertThat(t).isNotNull();
    assertThat(t.role()).isEqualTo(Role.OPERATOR);
    assertThat(t.actor()).isEqualTo("person:alice/" + t.id());
    store.close();
    String db = new String(Files.readAllBytes(dir.resolve("m.db")), StandardCharsets.ISO_8859_1);
    assertThat(db).doesNotContain(issued.secret()).contains(ApiTokens.sha256(issued.secret()));
    store = new SqliteMatcherStore(dir.resolve("m.db"));
  }

  @Test
  void wrongRevokedAndExpiredSecretsAreRefused() {
    ApiTokens.Issued a = tokens.issue("a", Role.VIEWER, "t", Duration.ofDays(1));
    ApiTokens.Issued b = tokens.issue("b", Role.ADMIN, "t", null);
    assertThat(tokens.authenticate(a.secret().substring(0, 46) + "x")).isNull();
    assertThat(tokens.authenticate("not-a-token")).isNull();
    assertThat(tokens.authenticate(b.secret().toLowerCase())).isNull();
    assertThat(tokens.revoke(b.token().id())).isTrue();
    assertThat(tokens.revoke(b.token().id())).isFalse();
    assertThat(tokens.authenticate(b.secret())).isNull();
    assertThat(tokens.authenticate(a.secret())).isNotNull();
    clock.advance(Duration.ofDays(1));
    assertThat(tokens.authenticate(a.secret())).isNull();
  }

  @Test
  void useIsRecordedAtMostOnceAMinute() {
    ApiTokens.Issued a = tokens.issue("a", Role.VIEWER, "t", null);
    Instant first = clock.instant();
    tokens.authenticate(a.secret());
    clock.advance(Duration.ofSeconds(30));
    tokens.authenticate(a.secret());
    assertThat(tokens.list().get(0).lastUsedAt()).isEqualTo(first);
    clock.advance(Duration.ofSeconds(31));
    tokens.authenticate(a.secret());
    assertThat(tokens.list().get(0).lastUsedAt()).isEqualTo(clock.instant());
  }

  @Test
  void rolesIncludeTheLowerOnes() {
    assertThat(Role.ADMIN.includes(Role.OPERATOR)).isTrue();
    assertThat(Role.OPERATOR.includes(Role.VIEWER)).isTrue();
    assertThat(Role.VIEWER.includes(Role.OPERATOR)).isFalse();
    assertThat(Role.parse("admin")).isEqualTo(Role.ADMIN);
  }
}
