package io.edgecam.matcher.http;

import static io.edgecam.matcher.http.HttpTestClient.fields;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.matcher.Watchlist;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.audit.AuditQuery;
import io.edgecam.matcher.auth.ApiTokens;
import io.edgecam.matcher.auth.Role;
import io.edgecam.matcher.config.AuditConfig;
import io.edgecam.matcher.config.HttpConfig;
import io.edgecam.matcher.config.OversightConfig;
import io.edgecam.matcher.config.WatchlistConfig;
import io.edgecam.matcher.device.DeviceRegistry;
import io.edgecam.matcher.index.ExactWatchlistIndex;
import io.edgecam.matcher.oversight.Oversight;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.matcher.testing.FakeImageEmbedder;
import io.edgecam.protocol.Health;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17.3 through the REST API: an enrollment carries its authorisation (body, reference, sites,
 * devices, window), and enrollment and extension refuse a short legal basis and an expiry beyond
 * {@code watchlist.maxRetentionDays}, naming the field and the limit.
 */
class ScopedEnrollmentIT {
  static final String BASIS = "court order 1 of the district court";
  @TempDir Path dir;
  MatcherStore store;
  AuditLog audit;
  OperatorServer server;
  HttpTestClient http;
  String operator;

  @BeforeEach
  void start() {
    Clock clock = Clock.systemUTC();
    store = new SqliteMatcherStore(dir.resolve("matcher.db"));
    audit = AuditLog.open(store.audit(), AuditConfig.in(dir), clock);
    Watchlist watchlist =
        new Watchlist(
            store, new ExactWatchlistIndex(), 0.45, clock, audit, new WatchlistConfig(90, 20));
    server =
        OperatorServer.start(
            HttpConfig.loopbackEphemeral(),
            new OperatorServer.Backend(
                store,
                watchlist,
                new DeviceRegistry(clock),
                audit,
                l -> {},
                () -> Map.of("store", Health.ok()),
                null,
                FakeImageEmbedder::new,
                clock,
                new Oversight(store, audit, 2, clock, v -> {}),
                OversightConfig.defaults()));
    http = new HttpTestClient(server.url());
    operator = new ApiTokens(store, clock).issue("otto", Role.OPERATOR, "test", null).secret();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private static String inDays(int days) {
    return LocalDate.now(ZoneOffset.UTC).plusDays(days).toString();
  }

  private static Map<String, Object> json(String id, String basis, String expires) {
    return Map.of(
        "id",
        id,
        "label",
        "Json",
        "legalBasis",
        basis,
        "expires",
        expires,
        "authorisedBy",
        "District court A",
        "authorisationRef",
        "AZ 12/26",
        "sites",
        List.of("site-a", "site-c"),
        "windowFrom",
        inDays(1),
        "images",
        List.of(
            Map.of(
                "name", "face.png", "data", Base64.getEncoder().encodeToString(new byte[] {9}))));
  }

  @Test
  void anEnrollmentCarriesItsAuthorisationIntoTheListAndTheAuditLog() throws Exception {
    var created = http.postJson("/api/watchlist", operator, json("e1", BASIS, inDays(30)));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    var a = created.json().get("authorization");
    assertThat(a.get("authorisedBy").asText()).isEqualTo("District court A");
    assertThat(a.get("reference").asText()).isEqualTo("AZ 12/26");
    assertThat(a.get("sites")).extracting(n -> n.asText()).containsExactly("site-a", "site-c");
    assertThat(a.get("from").asText()).isEqualTo(inDays(1) + "T00:00:00Z");

    var multipart =
        http.postMultipart(
            "/api/watchlist",
            operator,
            fields(
                "id",
                "e2",
                "label",
                "M",
                "legalBasis",
                BASIS,
                "expires",
                inDays(30),
                "sites",
                "site-b",
                "devices",
                "cam-1,cam-2"),
            "images",
            Map.of("face.jpg", new byte[] {1}));
    assertThat(multipart.status()).as(multipart.body()).isEqualTo(201);
    assertThat(multipart.json().get("authorization").get("devices"))
        .extracting(n -> n.asText())
        .containsExactly("cam-1", "cam-2");

    assertThat(http.get("/api/watchlist", operator).body()).contains("\"site-b\"", "AZ 12/26");
    assertThat(audit.read(new AuditQuery(0, Long.MAX_VALUE, false, "watchlist.create", null, 10)))
        .anySatisfy(
            r ->
                assertThat(r.detail())
                    .contains(
                        "\"authorised_by\":\"District court A\"",
                        "\"sites\":[\"site-a\",\"site-c\"]"));
  }

  @Test
  void aBadSiteIdIsRefusedNamingTheField() throws Exception {
    var bad =
        http.postMultipart(
            "/api/watchlist",
            operator,
            fields(
                "id",
                "e1",
                "label",
                "M",
                "legalBasis",
                BASIS,
                "expires",
                inDays(30),
                "sites",
                "a b"),
            "images",
            Map.of("face.jpg", new byte[] {1}));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("field").asText()).isEqualTo("sites");
  }

  @Test
  void enrollmentAndExtensionRefuseAShortLegalBasisAndAnExpiryBeyondTheMaximum() throws Exception {
    var shortBasis = http.postJson("/api/watchlist", operator, json("e1", "warrant", inDays(30)));
    assertThat(shortBasis.status()).isEqualTo(400);
    assertThat(shortBasis.json().get("field").asText()).isEqualTo("legalBasis");
    assertThat(shortBasis.json().get("message").asText())
        .contains("at least 20 characters", "watchlist.minLegalBasisLength");

    var tooLong = http.postJson("/api/watchlist", operator, json("e1", BASIS, inDays(120)));
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.json().get("field").asText()).isEqualTo("expires");
    assertThat(tooLong.json().get("message").asText())
        .contains("maximum retention of 90 days", "watchlist.maxRetentionDays");

    var policy = http.get("/api/watchlist", operator).json().get("policy");
    assertThat(policy.get("maxRetentionDays").asInt()).isEqualTo(90);
    assertThat(policy.get("minLegalBasisLength").asInt()).isEqualTo(20);
    assertThat(policy.get("latestExpiry").asText()).isEqualTo(inDays(90));
    assertThat(http.postJson("/api/watchlist", operator, json("e1", BASIS, inDays(91))).status())
        .isEqualTo(400);
    assertThat(http.postJson("/api/watchlist", operator, json("e1", BASIS, inDays(90))).status())
        .isEqualTo(201);
    var extend =
        http.postJson(
            "/api/watchlist/e1/extend",
            operator,
            Map.of("legalBasis", BASIS, "expires", inDays(200)));
    assertThat(extend.status()).isEqualTo(400);
    assertThat(extend.json().get("field").asText()).isEqualTo("expires");
    var extendShort =
        http.postJson(
            "/api/watchlist/e1/extend",
            operator,
            Map.of("legalBasis", "renewed", "expires", inDays(60)));
    assertThat(extendShort.json().get("field").asText()).isEqualTo("legalBasis");
  }
}
