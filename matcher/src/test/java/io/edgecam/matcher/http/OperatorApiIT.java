package io.edgecam.matcher.http;

import static io.edgecam.matcher.http.HttpTestClient.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.Box;
import io.edgecam.protocol.Health;
import io.edgecam.protocol.JsonMessages;
import io.edgecam.protocol.Status;
import io.edgecam.protocol.Topics;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API over real HTTP on loopback, with a real SQLite store, watchlist and audit log;
 * enrollment uses {@link FakeImageEmbedder} (files named face* have a face) so that no model is
 * loaded here (DashboardBrowserIT enrolls through the real pipeline). Auth, roles, paging, filters,
 * validation, audit records, live events, OpenAPI consistency.
 */
class OperatorApiIT {
  @TempDir static Path dir;
  static MatcherStore store;
  static AuditLog audit;
  static OperatorServer server;
  static HttpTestClient http;
  static DeviceRegistry devices;
  static final List<Consumer<Alert>> alertListeners = new CopyOnWriteArrayList<>();
  static String viewer;
  static String operator;
  static String admin;
  static final String BASIS = "court order 1 of the district court";

  @BeforeAll
  static void start() {
    Clock clock = Clock.systemUTC();
    store = new SqliteMatcherStore(dir.resolve("matcher.db"));
    audit = AuditLog.open(store.audit(), AuditConfig.in(dir), clock);
    Watchlist watchlist = new Watchlist(store, new ExactWatchlistIndex(), 0.45, clock, audit);
    devices = new DeviceRegistry(clock);
    server =
        OperatorServer.start(
            HttpConfig.loopbackEphemeral(),
            new OperatorServer.Backend(
                store,
                watchlist,
                devices,
                audit,
                alertListeners::add,
                () -> Map.of("store", Health.ok(), "broker", Health.degraded("reconnecting")),
                () -> "# TYPE edgecam_test counter\nedgecam_test 1\n",
                FakeImageEmbedder::new,
                clock,
                new Oversight(store, audit, 2, clock, v -> {}),
                OversightConfig.defaults()));
    http = new HttpTestClient(server.url());
    ApiTokens tokens = new ApiTokens(store, clock);
    viewer = tokens.issue("vera", Role.VIEWER, "test", null).secret();
    operator = tokens.issue("otto", Role.OPERATOR, "test", null).secret();
    admin = tokens.issue("ada", Role.ADMIN, "test", null).secret();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (store != null) {
      store.close();
    }
  }

  private static String tomorrow(int days) {
    return LocalDate.now(ZoneOffset.UTC).plusDays(days).toString();
  }

  private static List<AuditRecord> auditRecords(String action) {
    return audit.read(new AuditQuery(0, Long.MAX_VALUE, true, action, null, 1000));
  }

  // --- authentication and roles ---

  @Test
  void everyApiCallWithoutAValidTokenIs401WithAJsonReason() throws Exception {
    for (String path :
        List.of("/api/devices", "/api/status", "/api/alerts", "/api/watchlist", "/api/audit")) {
      var none = http.get(path, null);
      assertThat(none.status()).as(path).isEqualTo(401);
      assertThat(none.json().get("error").asText()).isEqualTo("unauthorized");
      assertThat(none.raw().headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
      var bad = http.get(path, "ect_" + "A".repeat(43));
      assertThat(bad.status()).as(path).isEqualTo(401);
      assertThat(bad.json().get("message").asText()).contains("unknown, revoked or expired");
    }
  }

  @Test
  void rolesAreEnforcedViewerReadsOperatorChangesAdminAudits() throws Exception {
    assertThat(http.get("/api/alerts", viewer).status()).isEqualTo(200);
    assertThat(http.get("/api/devices", viewer).status()).isEqualTo(200);
    assertThat(http.get("/api/watchlist", viewer).status()).isEqualTo(200);
    var enroll = http.postMultipart("/api/watchlist", viewer, fields(), "images", Map.of());
    assertThat(enroll.status()).isEqualTo(403);
    assertThat(enroll.json().get("message").asText()).contains("operator role").contains("vera");
    assertThat(http.delete("/api/watchlist/x", viewer).status()).isEqualTo(403);
    assertThat(http.get("/api/alerts/export", viewer).status()).isEqualTo(403);
    assertThat(http.get("/api/audit", operator).status()).isEqualTo(403);
    assertThat(http.get("/api/tokens", operator).status()).isEqualTo(403);
    assertThat(http.get("/api/audit", admin).status()).isEqualTo(200);
    assertThat(http.get("/api/tokens", admin).status()).isEqualTo(200);
  }

  @Test
  void loginIsAuditedAndAFailedLoginToo() throws Exception {
    var ok = http.postJson("/api/login", operator, "{}");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().get("role").asText()).isEqualTo("operator");
    assertThat(ok.json().has("secret")).isFalse();
    assertThat(http.postJson("/api/login", "ect_wrong", "{}").status()).isEqualTo(401);
    assertThat(auditRecords("auth.login"))
        .anySatisfy(r -> assertThat(r.actor()).startsWith("person:otto/tok_"));
    assertThat(auditRecords("auth.login-failed"))
        .anySatisfy(r -> assertThat(r.detail()).doesNotContain("ect_wrong"));
  }

  @Test
  void adminIssuesATokenThatWorksUntilRevoked() throws Exception {
    var issued =
        http.postJson("/api/tokens", admin, Map.of("name", "prometheus", "role", "viewer"));
    assertThat(issued.status()).isEqualTo(201);
    String secret = issued.json().get("secret").asText();
    String id = issued.json().get("token").get("id").asText();
    assertThat(http.get("/metrics", secret).status()).isEqualTo(200);
    assertThat(http.get("/metrics", secret).body()).contains("edgecam_test 1");
    assertThat(http.get("/metrics", null).status()).isEqualTo(401);
    assertThat(http.get("/api/tokens", admin).body()).contains(id).doesNotContain(secret);
    assertThat(Files.readAllBytes(dir.resolve("matcher.db")))
        .asString(StandardCharsets.ISO_8859_1)
        .doesNotContain(secret);
    assertThat(http.delete("/api/tokens/" + id, admin).status()).isEqualTo(204);
    assertThat(http.get("/api/session", secret).status()).isEqualTo(401);
    assertThat(http.delete("/api/tokens/" + id, admin).status()).isEqualTo(404);
    assertThat(auditRecords("auth.change"))
        .filteredOn(r -> r.subject().equals("prometheus"))
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.actor()).startsWith("person:ada/tok_"));
    var badRole = http.postJson("/api/tokens", admin, Map.of("name", "x", "role", "root"));
    assertThat(badRole.status()).isEqualTo(400);
    assertThat(badRole.json().get("field").asText()).isEqualTo("role");
  }

  // --- alerts ---

  private static Alert alert(String id, String site, String device, long seq, long matchTime) {
    return new Alert(
        1,
        id,
        site,
        device,
        seq,
        matchTime - 5,
        matchTime,
        "e-" + (seq % 3),
        "Person " + (seq % 3),
        0.8,
        0.45,
        1,
        new Box(1, 2, 30, 40));
  }

  @Test
  void statusShowsTheOperatingPointAndAlertsCarryItsFields() throws Exception {
    var status = http.get("/api/status", viewer);
    assertThat(status.status()).isEqualTo(200);
    JsonNode op = status.json().get("operatingPoint");
    // This server's watchlist has a fixed 0.45 and no calibration: bounded by 1 only.
    assertThat(op.get("mode").asText()).isEqualTo("fixed");
    assertThat(op.get("threshold").asDouble()).isEqualTo(0.45);
    assertThat(op.get("expectedMissRate").isNull()).isTrue();
    for (String field :
        List.of(
            "model",
            "listSize",
            "expectedFpir",
            "falseAlarmsPer1000Strangers",
            "targetFpir",
            "fmrBound",
            "impostorPairs",
            "listPairs",
            "genuinePairs",
            "supported",
            "warning")) {
      assertThat(op.has(field)).as(field).isTrue();
    }

    store.insertAlertOnce(alert("op-1", "s9", "cam-9", 1, 1_000L));
    JsonNode a = http.get("/api/alerts/op-1", viewer).json();
    assertThat(a.toString()).contains("\"secondScore\":-1.0").contains("\"expectedFpir\":1.0");
    assertThat(a.get("margin").asDouble())
        .isEqualTo(a.get("score").asDouble() - a.get("secondScore").asDouble());
  }

  @Test
  void alertsPageByCursorWithoutGapsOrRepeatsAndFilter() throws Exception {
    long t0 = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    for (int i = 0; i < 120; i++) {
      // Pairs share a match time: the cursor must break ties by id.
      store.insertAlertOnce(
          alert(String.format("page-%03d", i), "s1", "cam-" + (i % 2), i, t0 + i / 2));
    }
    Set<String> seen = new HashSet<>();
    List<Integer> sizes = new ArrayList<>();
    String cursor = null;
    String range = "&from=2024-01-01T00:00:00Z&to=2024-01-02T00:00:00Z";
    do {
      var page =
          http.get(
              "/api/alerts?limit=50" + range + (cursor == null ? "" : "&cursor=" + cursor), viewer);
      assertThat(page.status()).isEqualTo(200);
      JsonNode body = page.json();
      assertThat(body.get("total").asLong()).isEqualTo(120);
      sizes.add(body.get("alerts").size());
      for (JsonNode a : body.get("alerts")) {
        assertThat(seen.add(a.get("id").asText())).as("repeated %s", a.get("id")).isTrue();
      }
      cursor = body.get("next").isNull() ? null : body.get("next").asText();
    } while (cursor != null);
    assertThat(sizes).containsExactly(50, 50, 20);
    assertThat(seen).hasSize(120);

    var cam1 = http.get("/api/alerts?limit=1000&device=cam-1" + range, viewer).json();
    assertThat(cam1.get("total").asLong()).isEqualTo(60);
    assertThat(cam1.get("alerts"))
        .allSatisfy(a -> assertThat(a.get("device").asText()).isEqualTo("cam-1"));
    var entry = http.get("/api/alerts?entry=e-0&device=cam-0" + range, viewer).json();
    assertThat(entry.get("alerts"))
        .allSatisfy(a -> assertThat(a.get("entryId").asText()).isEqualTo("e-0"));
    var window =
        http.get("/api/alerts?from=2024-01-01T00:00:00.010Z&to=2024-01-01T00:00:00.020Z", viewer)
            .json();
    assertThat(window.get("total").asLong()).isEqualTo(20);
    // Newest first.
    JsonNode first = http.get("/api/alerts?limit=2" + range, viewer).json().get("alerts");
    assertThat(first.get(0).get("matchTime").asText())
        .isGreaterThanOrEqualTo(first.get(1).get("matchTime").asText());
    assertThat(auditRecords("alert.view"))
        .anySatisfy(r -> assertThat(r.detail()).contains("\"device\":\"cam-1\""));
  }

  @Test
  void alertQueryValidationNamesTheParameter() throws Exception {
    assertField(http.get("/api/alerts?limit=0", viewer), "limit");
    assertField(http.get("/api/alerts?limit=abc", viewer), "limit");
    assertField(http.get("/api/alerts?from=yesterday", viewer), "from");
    assertField(http.get("/api/alerts?cursor=%21%21", viewer), "cursor");
    assertField(http.get("/api/alerts?device=a%2Fb", viewer), "device");
    assertField(
        http.get("/api/alerts?from=2024-01-02T00:00:00Z&to=2024-01-01T00:00:00Z", viewer), "to");
    assertField(http.get("/api/alerts/export?format=xml", operator), "format");
  }

  @Test
  void oneAlertAndExportAreAuditedAndCsvIsSafeForSpreadsheets() throws Exception {
    long t = Instant.parse("2023-05-05T00:00:00Z").toEpochMilli();
    store.insertAlertOnce(
        new Alert(
            1,
            "exp-1",
            "sx",
            "cam-x",
            1,
            t,
            t,
            "evil",
            "=HYPERLINK(\"x\")",
            0.9,
            0.45,
            1,
            new Box(0, 0, 1, 1)));
    var one = http.get("/api/alerts/exp-1", viewer);
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json().get("label").asText()).isEqualTo("=HYPERLINK(\"x\")");
    assertThat(http.get("/api/alerts/nope", viewer).status()).isEqualTo(404);
    var csv = http.get("/api/alerts/export?site=sx", operator);
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.raw().headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
    assertThat(csv.body()).startsWith(AlertCsv.HEADER).contains("\"'=HYPERLINK(\"\"x\"\")\"");
    var json = http.get("/api/alerts/export?site=sx&format=json", operator).json();
    assertThat(json).hasSize(1);
    assertThat(auditRecords("alert.export"))
        .anySatisfy(
            r -> assertThat(r.detail()).contains("\"site\":\"sx\"").contains("\"exported\":1"));
    assertThat(auditRecords("alert.view"))
        .anySatisfy(r -> assertThat(r.subject()).isEqualTo("exp-1"));
  }

  // --- watchlist ---

  @Test
  void enrollmentByMultipartAndByJsonThenExtendAndDelete() throws Exception {
    var created =
        http.postMultipart(
            "/api/watchlist",
            operator,
            fields(
                "id",
                "mp-1",
                "label",
                "Multi Part",
                "legalBasis",
                "warrant 7 of the district court",
                "expires",
                tomorrow(30)),
            "images",
            Map.of("face-a.jpg", new byte[] {1, 2, 3}, "face-b.jpg", new byte[] {4}));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().get("embeddings").asInt()).isEqualTo(2);
    assertThat(created.json().get("createdBy").asText()).startsWith("person:otto/tok_");
    assertThat(created.body()).doesNotContain("vec").doesNotContain("embedding\"");

    var json =
        http.postJson(
            "/api/watchlist",
            operator,
            Map.of(
                "id",
                "js-1",
                "label",
                "Json",
                "legalBasis",
                "order 9 of the district court",
                "expires",
                tomorrow(10),
                "threshold",
                0.6,
                "images",
                List.of(
                    Map.of(
                        "name",
                        "face.png",
                        "data",
                        "data:image/png;base64,"
                            + Base64.getEncoder().encodeToString(new byte[] {9})))));
    assertThat(json.status()).as(json.body()).isEqualTo(201);
    assertThat(json.json().get("threshold").asDouble()).isEqualTo(0.6);

    var dup =
        http.postMultipart(
            "/api/watchlist",
            operator,
            fields("id", "mp-1", "label", "again", "legalBasis", BASIS, "expires", tomorrow(3)),
            "images",
            Map.of("face.jpg", new byte[] {1}));
    assertThat(dup.status()).isEqualTo(409);

    var list = http.get("/api/watchlist", viewer).json().get("entries");
    assertThat(list).extracting(e -> e.get("id").asText()).contains("mp-1", "js-1");

    var extended =
        http.postJson(
            "/api/watchlist/mp-1/extend",
            operator,
            Map.of(
                "legalBasis", "warrant 7 of the district court, renewed", "expires", tomorrow(90)));
    assertThat(extended.status()).as(extended.body()).isEqualTo(200);
    assertThat(extended.json().get("legalBasis").asText())
        .isEqualTo("warrant 7 of the district court, renewed");
    assertThat(extended.json().get("expiresAt").asText()).startsWith(tomorrow(90));
    assertThat(auditRecords("watchlist.extend"))
        .anySatisfy(
            r ->
                assertThat(r.detail())
                    .contains("\"previous_legal_basis\":\"warrant 7 of the district court\""));

    assertThat(http.delete("/api/watchlist/js-1", operator).status()).isEqualTo(204);
    assertThat(http.delete("/api/watchlist/js-1", operator).status()).isEqualTo(404);
    assertThat(auditRecords("watchlist.create"))
        .anySatisfy(r -> assertThat(r.subject()).isEqualTo("mp-1"));
    assertThat(auditRecords("watchlist.delete"))
        .anySatisfy(
            r -> {
              assertThat(r.subject()).isEqualTo("js-1");
              assertThat(r.actor()).startsWith("person:otto/tok_");
            });
  }

  @Test
  void enrollmentRefusesMissingLegalBasisExpiryOrFaceNamingTheField() throws Exception {
    Map<String, byte[]> face = Map.of("face.jpg", new byte[] {1});
    assertField(
        http.postMultipart(
            "/api/watchlist",
            operator,
            fields("id", "v1", "label", "L", "expires", tomorrow(5)),
            "images",
            face),
        "legalBasis");
    assertField(
        http.postMultipart(
            "/api/watchlist",
            operator,
            fields("id", "v1", "label", "L", "legalBasis", "   ", "expires", tomorrow(5)),
            "images",
            face),
        "legalBasis");
    assertField(
        http.postMultipart(
            "/api/watchlist",
            operator,
            fields("id", "v1", "label", "L", "legalBasis", BASIS),
            "images",
            face),
        "expires");
    assertField(
        http.postMultipart(
            "/api/watchlist",
            operator,
            fields(
                "id",
                "v1",
                "label",
                "L",
                "legalBasis",
                "b",
                "expires",
                LocalDate.now(ZoneOffset.UTC).toString()),
            "images",
            face),
        "expires");
    assertField(
        http.postMultipart(
            "/api/watchlist",
            operator,
            fields("id", "v1", "label", "L", "legalBasis", BASIS, "expires", "31.12.2030"),
            "images",
            face),
        "expires");
    assertField(
        http.postMultipart(
            "/api/watchlist",
            operator,
            fields("id", "bad id", "label", "L", "legalBasis", BASIS, "expires", tomorrow(5)),
            "images",
            face),
        "id");
    assertField(
        http.postMultipart(
            "/api/watchlist",
            operator,
            fields(
                "id",
                "v1",
                "label",
                "L",
                "legalBasis",
                BASIS,
                "expires",
                tomorrow(5),
                "threshold",
                "2"),
            "images",
            face),
        "threshold");
    assertField(
        http.postMultipart(
            "/api/watchlist",
            operator,
            fields("id", "v1", "label", "L", "legalBasis", BASIS, "expires", tomorrow(5)),
            "images",
            Map.of()),
        "images");
    var noFace =
        http.postMultipart(
            "/api/watchlist",
            operator,
            fields("id", "v1", "label", "L", "legalBasis", BASIS, "expires", tomorrow(5)),
            "images",
            Map.of("holiday.jpg", new byte[] {1}));
    assertField(noFace, "images");
    assertThat(noFace.json().get("message").asText())
        .contains("holiday.jpg")
        .contains("no usable face")
        .doesNotContain("/tmp");
    assertField(http.postJson("/api/watchlist", operator, "{\"id\": 5}"), "id");
    var notJson = http.postJson("/api/watchlist", operator, "{not json");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().get("message").asText()).contains("not valid JSON");
    assertField(
        http.postJson("/api/watchlist/mp-none/extend", operator, Map.of("expires", tomorrow(3))),
        "legalBasis");
    assertThat(
            http.postJson(
                    "/api/watchlist/none/extend",
                    operator,
                    Map.of("legalBasis", BASIS, "expires", tomorrow(3)))
                .status())
        .isEqualTo(404);
    assertThat(http.get("/api/watchlist", viewer).body()).doesNotContain("\"v1\"");
  }

  // --- errors, static files, health ---

  @Test
  void unknownPathsAndMethodsAreJsonErrorsAndStaticFilesCannotEscape() throws Exception {
    var missing = http.get("/api/nothing", viewer);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("error").asText()).isEqualTo("not_found");
    var method = http.delete("/api/alerts", viewer);
    assertThat(method.status()).isEqualTo(405);
    assertThat(method.json().get("message").asText()).contains("allowed: GET");
    var index = http.get("/", null);
    assertThat(index.status()).isEqualTo(200);
    assertThat(index.body()).contains("<title>edgecam matcher</title>");
    assertThat(index.raw().headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(v -> assertThat(v).contains("script-src 'self'"));
    assertThat(http.get("/ui/app.js", null).status()).isEqualTo(200);
    assertThat(http.get("/ui/..%2Fhttp%2FOperatorServer.class", null).status()).isEqualTo(404);
    assertThat(http.get("/ui/../openapi.json", null).status()).isEqualTo(404);
    var health = http.get("/health", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").asText()).isEqualTo("DEGRADED");
    assertThat(health.json().at("/components/broker/reason").asText()).isEqualTo("reconnecting");
  }

  @Test
  void openApiDocumentListsExactlyTheServedRoutesWithTheirRoles() throws Exception {
    var doc = http.get("/api/openapi.json", null);
    assertThat(doc.status()).isEqualTo(200);
    JsonNode paths = doc.json().get("paths");
    Set<String> documented = new HashSet<>();
    for (Map.Entry<String, JsonNode> p : paths.properties()) {
      if (p.getKey().startsWith("/api/") && !p.getKey().equals("/api/openapi.json")) {
        for (Map.Entry<String, JsonNode> m : p.getValue().properties()) {
          documented.add(m.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey().substring(4));
        }
      }
    }
    assertThat(documented)
        .containsExactlyInAnyOrderElementsOf(
            server.routes().stream().map(r -> r.method() + " " + r.template()).toList());
    for (Router.Route r : server.routes()) {
      JsonNode op = paths.get("/api" + r.template()).get(r.method().toLowerCase(Locale.ROOT));
      assertThat(op.get("x-edgecam-role").asText()).as(r.template()).isEqualTo(r.role().key());
    }
    // The jar serves the file kept in docs/.
    Path docs = Path.of(System.getProperty("edgecam.root", "..")).resolve("docs/openapi.json");
    assertThat(HttpTestClient.JSON.readTree(docs.toFile())).isEqualTo(doc.json());
  }

  // --- live events and devices ---

  @Test
  void liveStreamDeliversAlertsAndDeviceChanges() throws Exception {
    HttpResponse<InputStream> stream =
        http.client()
            .send(
                http.request("/api/events", viewer).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                }
              } catch (Exception e) {
                // closed by the test
              }
            },
            "test-sse-reader");
    reader.setDaemon(true);
    reader.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains(": connected"));

    long now = System.currentTimeMillis();
    Alert a = alert("live-1", "s9", "cam-9", 1, now);
    alertListeners.forEach(l -> l.accept(a));
    Status online =
        new Status(
            1,
            "cam-9",
            "s9",
            Status.ONLINE,
            now,
            Map.of("agent", "1.2.3"),
            Map.of("camera", Health.ok()),
            Map.of("frames", 10L));
    devices.onStatus(Topics.status("s9", "cam-9"), JsonMessages.encode(online));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                lines.stream()
                    .anyMatch(
                        l ->
                            l.startsWith("data: ")
                                && l.contains("cam-9")
                                && l.contains("\"online\":true")));
    assertThat(lines).contains("event: alert", "id: live-1", "event: device");
    assertThat(auditRecords("alert.view"))
        .anySatisfy(r -> assertThat(r.subject()).isEqualTo("live"));

    devices.onStatus(
        Topics.status("s9", "cam-9"), JsonMessages.encode(Status.offline("s9", "cam-9", now + 1)));
    JsonNode list = http.get("/api/devices", viewer).json().get("devices");
    JsonNode cam = null;
    for (JsonNode d : list) {
      if (d.get("device").asText().equals("cam-9")) {
        cam = d;
      }
    }
    assertThat(cam).isNotNull();
    assertThat(cam.get("online").asBoolean()).isFalse();
    assertThat(cam.at("/versions/agent").asText()).isEqualTo("1.2.3");
    assertThat(cam.get("lastSeen").isNull()).isFalse();
    stream.body().close();
  }

  @Test
  void anInternalFailureIsAPlain500WithoutStackTrace(@TempDir Path other) throws Exception {
    MatcherStore broken = new SqliteMatcherStore(other.resolve("m.db"));
    AuditLog brokenAudit = AuditLog.open(broken.audit(), AuditConfig.in(other), Clock.systemUTC());
    Watchlist w = new Watchlist(broken, new ExactWatchlistIndex(), 0.45, Clock.systemUTC());
    String secret =
        new ApiTokens(broken, Clock.systemUTC()).issue("x", Role.ADMIN, "t", null).secret();
    try (OperatorServer s =
        OperatorServer.start(
            HttpConfig.loopbackEphemeral(),
            new OperatorServer.Backend(
                broken,
                w,
                new DeviceRegistry(Clock.systemUTC()),
                brokenAudit,
                l -> {},
                Map::of,
                null,
                FakeImageEmbedder::new,
                Clock.systemUTC(),
                new Oversight(broken, brokenAudit, 2, Clock.systemUTC(), v -> {}),
                OversightConfig.defaults()))) {
      broken.close();
      var reply = new HttpTestClient(s.url()).get("/api/watchlist", secret);
      assertThat(reply.status()).isEqualTo(500);
      assertThat(reply.json().get("error").asText()).isEqualTo("internal");
      assertThat(reply.body())
          .doesNotContain("Exception")
          .doesNotContain("closed")
          .doesNotContain("\tat ");
      assertThat(new HttpTestClient(s.url()).get("/metrics", secret).status()).isEqualTo(404);
    }
  }

  private static void assertField(HttpTestClient.Reply reply, String field) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
    JsonNode body = reply.json();
    assertThat(body.get("error").asText()).isEqualTo("invalid");
    assertThat(body.get("field").asText()).as(reply.toString()).isEqualTo(field);
    assertThat(reply.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
