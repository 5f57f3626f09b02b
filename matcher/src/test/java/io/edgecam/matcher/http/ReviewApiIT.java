package io.edgecam.matcher.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgecam.matcher.Watchlist;
import io.edgecam.matcher.alert.VerifiedAlert;
import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.audit.AuditQuery;
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
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.Box;
import io.edgecam.protocol.Health;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review API over real HTTP on loopback (SQLite, signed audit log): roles, validation errors
 * naming their field, 404/409, the queue, per-day statistics and playback links.
 */
class ReviewApiIT {
  @TempDir Path dir;
  private MatcherStore store;
  private AuditLog audit;
  private OperatorServer server;
  private HttpTestClient http;
  private final List<VerifiedAlert> verified = new CopyOnWriteArrayList<>();
  private String viewer;
  private String dana;
  private String eli;

  @BeforeEach
  void start() {
    Clock clock = Clock.systemUTC();
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
                null,
                FakeImageEmbedder::new,
                clock,
                new Oversight(store, audit, 2, clock, verified::add),
                new OversightConfig(
                    2, Map.of("hq/cam-1", "https://nvr.invalid/p?at={captureTime}"))));
    http = new HttpTestClient(server.url());
    ApiTokens tokens = new ApiTokens(store, clock);
    viewer = tokens.issue("wall", "vera", Role.VIEWER, "test", null).secret();
    dana = tokens.issue("laptop", "dana", Role.OPERATOR, "test", null).secret();
    eli = tokens.issue("desk", "eli", Role.OPERATOR, "test", null).secret();
    long now = clock.millis();
    store.insertAlertOnce(alert("a-1", "cam-1", 1, now));
    store.insertAlertOnce(alert("a-2", "cam-2", 2, now));
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  @Test
  void twoOperatorsVerifyViewersCannotAndTheQueueEmpties() throws Exception {
    assertThat(http.postJson("/api/alerts/a-1/confirm", viewer, "{}").status()).isEqualTo(403);
    var one = http.postJson("/api/alerts/a-1/confirm", dana, Map.of("note", "same jacket"));
    assertThat(one.status()).as(one.body()).isEqualTo(200);
    assertThat(one.json().get("state").asText()).isEqualTo("confirmed");
    assertThat(one.json().get("confirmations").asInt()).isEqualTo(1);
    assertThat(one.json().get("needed").asInt()).isEqualTo(2);
    var again = http.postJson("/api/alerts/a-1/confirm", dana, "{}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().get("message").asText()).contains("dana has already confirmed");
    assertThat(verified).isEmpty();

    var two = http.postJson("/api/alerts/a-1/confirm", eli, "");
    assertThat(two.json().get("state").asText()).isEqualTo("verified");
    assertThat(verified)
        .singleElement()
        .satisfies(v -> assertThat(v.verifiedBy()).containsExactly("dana", "eli"));
    assertThat(http.postJson("/api/alerts/a-1/reject", eli, Map.of("reason", "other")).status())
        .isEqualTo(409);

    JsonNode a1 = http.get("/api/alerts/a-1", viewer).json();
    assertThat(a1.get("state").asText()).isEqualTo("verified");
    assertThat(a1.get("review").get("reviews").get(0).get("note").asText())
        .isEqualTo("same jacket");
    assertThat(a1.get("playbackUrl").asText()).startsWith("https://nvr.invalid/p?at=20");
    assertThat(a1.get("firstMatch").asBoolean()).isTrue();
    JsonNode queue = http.get("/api/queue", viewer).json();
    assertThat(queue.get("confirmations").asInt()).isEqualTo(2);
    assertThat(queue.get("alerts")).extracting(x -> x.get("id").asText()).containsExactly("a-2");
    assertThat(queue.get("alerts").get(0).has("playbackUrl")).isFalse();
    assertThat(audit.read(AuditQuery.newest(Long.MAX_VALUE, 10).withAction(AuditAction.ALERT_VIEW)))
        .anySatisfy(
            r -> {
              assertThat(r.subject()).isEqualTo("queue");
              assertThat(r.actor()).startsWith("person:vera/tok_");
            });
  }

  @Test
  void rejectionsNeedAValidReasonAndAreCountedPerDay() throws Exception {
    var none = http.postJson("/api/alerts/a-2/reject", dana, "{}");
    assertThat(none.status()).isEqualTo(400);
    assertThat(none.json().get("field").asText()).isEqualTo("reason");
    var bad = http.postJson("/api/alerts/a-2/reject", dana, Map.of("reason", "bored"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("message").asText()).contains("false-match, poor-image");
    var longNote =
        http.postJson(
            "/api/alerts/a-2/reject", dana, Map.of("reason", "other", "note", "x".repeat(1001)));
    assertThat(longNote.json().get("field").asText()).isEqualTo("note");
    assertThat(http.postJson("/api/alerts/nope/confirm", dana, "{}").status()).isEqualTo(404);

    var rejected = http.postJson("/api/alerts/a-2/reject", dana, Map.of("reason", "false-match"));
    assertThat(rejected.json().get("state").asText()).isEqualTo("rejected");
    assertThat(rejected.json().get("reviews").get(0).get("reason").asText())
        .isEqualTo("false-match");
    // Two 15-minute counts of candidates today (UsageRecorder writes them): the expected false
    // alarms beside the observed ones are their sum times the operating point's expected FPIR.
    audit.append("matcher", AuditAction.USAGE_CANDIDATES, "hq", Map.of("candidates", 600));
    audit.append("matcher", AuditAction.USAGE_CANDIDATES, "hq", Map.of("candidates", 400));
    JsonNode stats = http.get("/api/oversight/stats?days=1", viewer).json();
    double fpir = stats.get("expectedFpir").asDouble();
    assertThat(fpir).isBetween(0.0, 1.0);
    assertThat(stats.get("days"))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.get("day").asText()).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
              assertThat(d.get("alerts").asInt()).isEqualTo(2);
              assertThat(d.get("falseMatches").asInt()).isEqualTo(1);
              assertThat(d.get("open").asInt()).isEqualTo(1);
              assertThat(d.get("candidates").asLong()).isEqualTo(1000);
              assertThat(d.get("expectedFalseAlarms").asDouble())
                  .isCloseTo(1000 * fpir, within(0.05));
            });
    assertThat(http.get("/api/oversight/stats?days=0", viewer).json().get("field").asText())
        .isEqualTo("days");
  }

  private static Alert alert(String id, String device, long seq, long t) {
    return new Alert(
        1,
        id,
        "hq",
        device,
        seq,
        t - 400,
        t,
        "p-1",
        "Jane Doe",
        0.6,
        0.45,
        3,
        new Box(1, 2, 90, 100));
  }
}
