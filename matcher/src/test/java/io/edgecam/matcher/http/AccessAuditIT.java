package io.edgecam.matcher.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.matcher.Watchlist;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.audit.AuditQuery;
import io.edgecam.matcher.audit.AuditRecord;
import io.edgecam.matcher.auth.ApiTokens;
import io.edgecam.matcher.auth.Role;
import io.edgecam.matcher.config.AuditConfig;
import io.edgecam.matcher.config.HttpConfig;
import io.edgecam.matcher.config.OversightConfig;
import io.edgecam.matcher.device.DeviceRegistry;
import io.edgecam.matcher.index.ExactWatchlistIndex;
import io.edgecam.matcher.oversight.Oversight;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.matcher.testing.FakeImageEmbedder;
import io.edgecam.protocol.Health;
import io.edgecam.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security review, issue 17: refused requests on every route and {@code /metrics} are in the audit
 * log, aggregated per source and minute; listing the watchlist is recorded; repeated failed logins
 * lock the source out for a while. Real HTTP on loopback, real SQLite, a clock the test moves.
 */
class AccessAuditIT {
  @TempDir Path dir;
  MatcherStore store;
  AuditLog audit;
  OperatorServer server;
  HttpTestClient http;
  ApiTokens tokens;
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));

  @BeforeEach
  void start() {
    store = new SqliteMatcherStore(dir.resolve("matcher.db"));
    audit = AuditLog.open(store.audit(), AuditConfig.in(dir), clock);
    server =
        OperatorServer.start(
            HttpConfig.loopbackEphemeral(),
            new OperatorServer.Backend(
                store,
                new Watchlist(store, new ExactWatchlistIndex(), 0.45, clock, audit),
                new DeviceRegistry(clock),
                audit,
                l -> {},
                () -> Map.of("store", Health.ok()),
                () -> "edgecam_test 1\n",
                FakeImageEmbedder::new,
                clock,
                new Oversight(store, audit, 2, clock, v -> {}),
                OversightConfig.defaults()));
    http = new HttpTestClient(server.url());
    tokens = new ApiTokens(store, clock);
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private List<AuditRecord> records(String action) {
    return audit.read(new AuditQuery(0, Long.MAX_VALUE, false, action, null, 1000));
  }

  @Test
  void refusedRequestsOnEveryRouteAndMetricsAreRecordedOncePerSourceAndMinute() throws Exception {
    String wrong = "ect_" + "B".repeat(43);
    for (int i = 0; i < 3; i++) {
      assertThat(http.get("/api/alerts", null).status()).isEqualTo(401);
      assertThat(http.get("/api/watchlist", wrong).status()).isEqualTo(401);
      assertThat(http.get("/metrics", null).status()).isEqualTo(401);
    }
    List<AuditRecord> first = records("auth.login-failed");
    assertThat(first).hasSize(1);
    assertThat(first.get(0).subject()).isEqualTo("127.0.0.1");
    assertThat(first.get(0).detail()).contains("\"status\":401").doesNotContain(wrong);

    clock.advance(Duration.ofMinutes(1));
    String viewer = tokens.issue("vera", Role.VIEWER, "test", null).secret();
    assertThat(http.get("/api/devices", viewer).status()).isEqualTo(200);
    List<AuditRecord> all = records("auth.login-failed");
    assertThat(all).hasSize(2);
    assertThat(all.get(1).detail())
        .contains("\"repeated\":8")
        .contains("\"minute\":\"2026-03-01T10:00:00Z\"")
        .contains("/api/alerts", "/api/watchlist", "/metrics");
  }

  @Test
  void aMissingRoleIsRecordedWithTheToken() throws Exception {
    String viewer = tokens.issue("vera", Role.VIEWER, "test", null).secret();
    assertThat(http.get("/api/audit", viewer).status()).isEqualTo(403);
    assertThat(http.get("/api/tokens", viewer).status()).isEqualTo(403);
    assertThat(records("auth.denied"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.actor()).matches("person:vera/tok_[0-9a-f]{12}");
              assertThat(r.detail()).contains("\"status\":403", "/api/audit");
            });
  }

  @Test
  void listingTheWatchlistIsRecorded() throws Exception {
    String viewer = tokens.issue("vera", Role.VIEWER, "test", null).secret();
    assertThat(http.get("/api/watchlist", viewer).status()).isEqualTo(200);
    assertThat(records("watchlist.view"))
        .singleElement()
        .satisfies(r -> assertThat(r.actor()).matches("person:vera/tok_[0-9a-f]{12}"));
  }

  @Test
  void repeatedFailedLoginsLockTheSourceOutForAWhile() throws Exception {
    String viewer = tokens.issue("vera", Role.VIEWER, "test", null).secret();
    String wrong = "ect_" + "C".repeat(43);
    for (int i = 0; i < AccessGuard.FREE_FAILURES; i++) {
      assertThat(http.postJson("/api/login", wrong, "{}").status()).isEqualTo(401);
    }
    var locked = http.postJson("/api/login", viewer, "{}");
    assertThat(locked.status()).isEqualTo(429);
    assertThat(locked.json().get("error").asText()).isEqualTo("too_many_failures");
    assertThat(locked.raw().headers().firstValue("Retry-After")).hasValue("30");
    assertThat(http.get("/metrics", viewer).status()).isEqualTo(429);

    clock.advance(AccessGuard.FIRST_LOCK);
    assertThat(http.postJson("/api/login", viewer, "{}").status()).isEqualTo(200);
    // A success starts the count again.
    assertThat(http.postJson("/api/login", wrong, "{}").status()).isEqualTo(401);
    assertThat(http.postJson("/api/login", viewer, "{}").status()).isEqualTo(200);
  }
}
