package io.edgecam.matcher.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.service.AgentService;
import io.edgecam.matcher.MatcherService;
import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.matcher.audit.AuditKeys;
import io.edgecam.matcher.audit.AuditQuery;
import io.edgecam.matcher.audit.AuditRecord;
import io.edgecam.matcher.auth.ApiTokens;
import io.edgecam.matcher.auth.Role;
import io.edgecam.matcher.config.HttpConfig;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.config.OversightConfig;
import io.edgecam.matcher.oversight.AlertReviews;
import io.edgecam.matcher.oversight.RejectReason;
import io.edgecam.matcher.oversight.ReviewState;
import io.edgecam.matcher.report.ReportPeriod;
import io.edgecam.matcher.report.ReportSignature;
import io.edgecam.matcher.report.UsageReport;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.matcher.testing.Browser;
import io.edgecam.protocol.Alert;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator console in headless Chromium against a real matcher (embedded broker, SQLite, the
 * real face pipeline for enrollment, the real edge agent on two folder cameras) and a real webhook
 * receiver on loopback: issue 17's proof of two-person verification and issue 21's console points.
 * Dana confirms an alert, Dana's second token is refused a second confirmation, and the webhook has
 * received nothing; only Eli's confirmation verifies it, and then the webhook receives it once with
 * both names. Eli rejects the other camera's alert as a false match with a note, which is stored.
 * The script also checks the unread count, deep links, the tokens page, the audit filter, the error
 * state when the matcher cannot be reached, the phone layout and axe-core (zero violations), and
 * writes screenshots of the queue, an incident, the error state and the phone layout to target/.
 */
class ConsoleBrowserIT {
  private static final Path DATA =
      Path.of(System.getProperty("edgecam.root", "..")).resolve("../shared/data/faces");

  @Test
  void twoPersonsVerifyInTheConsoleAndOnlyThenTheWebhookFires(@TempDir Path dir) throws Exception {
    Path person = DATA.resolve("george_clooney");
    assumeTrue(Files.isDirectory(person), "test photos not found at " + person);
    List<Path> photos;
    try (var s = Files.list(person)) {
      photos = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
    }
    assumeTrue(photos.size() >= 3, "need three photos of george_clooney");
    Path playwright = Browser.playwrightCore();
    Path axe = Browser.axeCore();
    Path out = Browser.targetDir();

    List<JsonNode> webhook = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    receiver.createContext(
        "/hook",
        ex -> {
          try (InputStream in = ex.getRequestBody()) {
            webhook.add(HttpTestClient.JSON.readTree(in.readAllBytes()));
          }
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    receiver.start();
    MatcherConfig config =
        MatcherConfig.embeddedIn(dir.resolve("matcher"))
            .withHttp(HttpConfig.loopbackEphemeral())
            .withAlertWebhook(
                URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"))
            .withOversight(
                new OversightConfig(
                    2, Map.of("it/*", "https://nvr.invalid/play?cam={device}&t={captureTime}")));
    try (MatcherService matcher = MatcherService.start(config)) {
      Map<String, String> tokens;
      String adminToken;
      try (MatcherStore store = new SqliteMatcherStore(config.store().sqlite())) {
        ApiTokens issuer = new ApiTokens(store, Clock.systemUTC());
        tokens =
            Map.of(
                "TOKEN_DANA", issuer.issue("laptop", "dana", Role.OPERATOR, "test", null).secret(),
                "TOKEN_DANA2", issuer.issue("phone", "Dana", Role.OPERATOR, "test", null).secret(),
                "TOKEN_ELI", issuer.issue("desk", "eli", Role.OPERATOR, "test", null).secret());
        adminToken = issuer.issue("admin", "ada", Role.ADMIN, "test", null).secret();
      }
      enroll(matcher, adminToken, photos.get(0));
      runCamera(dir, "cam-1", photos.get(1), matcher.brokerUrl());
      await().atMost(Duration.ofSeconds(30)).until(() -> matcher.storedAlerts(10).size() == 1);
      Alert first = matcher.storedAlerts(1).get(0);

      Path script = dir.resolve("console-it.mjs");
      try (InputStream in = getClass().getResourceAsStream("console-it.mjs")) {
        Files.copy(in, script);
      }
      ProcessBuilder pb = new ProcessBuilder("node", script.toString());
      pb.environment().putAll(tokens);
      pb.environment().put("TOKEN_ADMIN", adminToken);
      pb.environment().put("PLAYWRIGHT_CORE", playwright.toUri().toString());
      pb.environment().put("AXE", axe.toString());
      pb.environment().put("BASE_URL", matcher.http().url() + "/");
      pb.environment().put("OUT_DIR", out.toString());
      pb.environment().put("EXPIRES", LocalDate.now(ZoneOffset.UTC).plusDays(20).toString());
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      Process node = pb.start();
      BlockingQueue<String> lines = lines(node);
      OutputStream toNode = node.getOutputStream();
      try {
        expect(lines, "LISTENING");
        // A second camera sees him while Dana's console is open on another view.
        runCamera(dir, "cam-2", photos.get(2), matcher.brokerUrl());
        expect(lines, "CONFIRMED_ONCE");
        // Dana confirmed, Dana's second token was refused: pending, confirmed by one, no webhook.
        AlertReviews half = matcher.oversight().reviews(first.id());
        assertThat(half.state()).isEqualTo(ReviewState.CONFIRMED);
        assertThat(half.confirmedBy()).containsExactly("dana");
        assertThat(webhook).isEmpty();
        toNode.write("GO\n".getBytes(StandardCharsets.UTF_8));
        toNode.flush();
        String result = expect(lines, "{");
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("browser script finished").isTrue();
        assertThat(node.exitValue()).as("browser script exit code").isZero();

        JsonNode r = HttpTestClient.JSON.readTree(result);
        assertThat(r.get("refused").asText()).contains("dana has already confirmed");
        assertThat(r.get("afterOne").asText()).contains("confirmed by 1 of 2");
        assertThat(r.get("verified").asText()).contains("verified");
        // A live re-render while Eli typed kept the text (the stored note below is that text).
        assertThat(r.get("draftKept").asText()).isEqualTo("not him: different ears");
        // Sound and browser notifications are off until the person turns them on, per person.
        assertThat(r.get("settingsDefault"))
            .extracting(JsonNode::asBoolean)
            .containsExactly(false, false);
        assertThat(r.get("settingsSaved").asText()).contains("\"sound\":true");
        assertThat(r.get("unread").asText()).isEqualTo("(1 new)");
        assertThat(r.get("title").asText()).startsWith("(1) ");
        assertThat(r.get("announced").asText()).contains("George Clooney").contains("cam-2");
        // The threshold the alert was decided with (the calibrated operating point), and the
        // expected false alarms of that operating point.
        assertThat(r.get("scoreContext").asText())
            .contains(String.format(java.util.Locale.ROOT, "vs threshold %.3f", first.threshold()))
            .contains("expected false alarms at this threshold");
        assertThat(r.get("playback").asText()).startsWith("https://nvr.invalid/play?cam=cam-1&t=");
        assertThat(r.get("deepLink").asText()).isEqualTo("true");
        assertThat(r.get("secret").asText()).startsWith("ect_");
        assertThat(r.get("revoked").asText()).contains("revoked");
        assertThat(r.get("auditRows").asInt()).isEqualTo(1);
        assertThat(r.get("chain").asText()).startsWith("Chain intact:");
        assertThat(r.get("firstMatch").asText()).isEqualTo("first match of this entry");
        assertThat(r.get("firstOnlyOnce").asInt()).isEqualTo(1);
        assertThat(r.get("errorState").asText()).contains("Could not load");
        assertThat(r.get("banner").asText()).contains("Connection to the matcher lost");
        assertThat(r.get("phoneOverflow").asInt()).isLessThanOrEqualTo(0);
        assertThat(r.get("phoneFieldError").asText()).contains("Legal basis is required");
        assertThat(r.get("expiryWarning").asText()).contains("expires in");
        assertThat(r.get("suggested")).extracting(JsonNode::asText).containsExactly("clooney");
        assertThat(r.get("axe")).as("axe-core violations").isEmpty();
        assertThat(r.get("consoleErrors")).as("browser console errors").isEmpty();
      } finally {
        node.destroyForcibly();
        receiver.stop(0);
      }

      // Only now, after the second person, did the webhook fire: once, for that alert.
      await().atMost(Duration.ofSeconds(10)).until(() -> webhook.size() == 1);
      JsonNode sent = webhook.get(0);
      assertThat(sent.get("id").asText()).isEqualTo(first.id());
      assertThat(sent.get("device").asText()).isEqualTo("cam-1");
      assertThat(sent.get("state").asText()).isEqualTo("verified");
      assertThat(sent.get("verifiedBy"))
          .extracting(JsonNode::asText)
          .containsExactly("dana", "eli");
      // The other camera's alert: rejected by Eli as a false match, reason and note stored.
      Alert second =
          matcher.storedAlerts(10).stream()
              .filter(a -> a.device().equals("cam-2"))
              .findFirst()
              .get();
      AlertReviews rejected = matcher.oversight().reviews(second.id());
      assertThat(rejected.state()).isEqualTo(ReviewState.REJECTED);
      assertThat(rejected.reviews())
          .singleElement()
          .satisfies(
              x -> {
                assertThat(x.person()).isEqualTo("eli");
                assertThat(x.reason()).isEqualTo(RejectReason.FALSE_MATCH);
                assertThat(x.note()).isEqualTo("not him: different ears");
              });
      List<AuditRecord> confirms =
          matcher
              .audit()
              .read(AuditQuery.newest(Long.MAX_VALUE, 10).withAction(AuditAction.ALERT_CONFIRM));
      assertThat(confirms)
          .extracting(AuditRecord::actor)
          .allSatisfy(a -> assertThat(a).matches("person:(dana|eli)/tok_[0-9a-f]{12}"));
      assertThat(confirms).hasSize(2);

      // Art. 12(3): the usage log of the test period lists the alert with both verifiers and
      // Eli's rejection of the other one, and its signature verifies (and fails when altered).
      try (MatcherStore store = new SqliteMatcherStore(config.store().sqlite())) {
        Instant now = Instant.now();
        ObjectNode usage =
            UsageReport.json(
                store,
                new ReportPeriod(now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1))),
                "test");
        JsonNode verified = alertIn(usage, first.id());
        assertThat(verified.get("verified").asBoolean()).isTrue();
        assertThat(verified.get("verifiedBy"))
            .extracting(JsonNode::asText)
            .hasSize(2)
            .anySatisfy(a -> assertThat(a).startsWith("person:dana/"))
            .anySatisfy(a -> assertThat(a).startsWith("person:eli/"));
        JsonNode refused = alertIn(usage, second.id());
        assertThat(refused.get("verified").asBoolean()).isFalse();
        assertThat(refused.get("rejectedBy"))
            .extracting(JsonNode::asText)
            .singleElement()
            .satisfies(a -> assertThat(a).startsWith("person:eli/"));
        Path keyFile = config.audit().keyFile();
        String signed =
            HttpTestClient.JSON.writeValueAsString(
                ReportSignature.signJson(usage, AuditKeys.load(keyFile)));
        assertThat(ReportSignature.verifyJson(signed, AuditKeys.readPublic(keyFile)).valid())
            .isTrue();
        String altered = signed.replace("person:eli/", "person:mallory/");
        assertThat(ReportSignature.verifyJson(altered, AuditKeys.readPublic(keyFile)).valid())
            .isFalse();
      }
    }
    for (String shot :
        List.of(
            "console-queue.png",
            "console-incident.png",
            "console-error.png",
            "console-phone.png")) {
      assertThat(out.resolve(shot)).exists();
      assertThat(Files.size(out.resolve(shot))).isGreaterThan(5_000);
    }
  }

  @Test
  void alertsRaisedWhileTheStreamWasDownAppearWithoutAReload(@TempDir Path dir) throws Exception {
    Path playwright = Browser.playwrightCore();
    Path out = Browser.targetDir();
    MatcherConfig config =
        MatcherConfig.embeddedIn(dir.resolve("matcher")).withHttp(HttpConfig.loopbackEphemeral());
    String token;
    try (MatcherStore store = new SqliteMatcherStore(config.store().sqlite())) {
      token =
          new ApiTokens(store, Clock.systemUTC())
              .issue("laptop", "dana", Role.OPERATOR, "t", null)
              .secret();
      store.insertAlertOnce(alert("before", 1, Duration.ofMillis(300)));
    }
    MatcherService matcher = MatcherService.start(config);
    int port = matcher.http().port();
    Path script = dir.resolve("gap-it.mjs");
    try (InputStream in = getClass().getResourceAsStream("gap-it.mjs")) {
      Files.copy(in, script);
    }
    ProcessBuilder pb = new ProcessBuilder("node", script.toString());
    pb.environment().put("PLAYWRIGHT_CORE", playwright.toUri().toString());
    pb.environment().put("BASE_URL", matcher.http().url() + "/");
    pb.environment().put("TOKEN", token);
    pb.environment().put("OUT_DIR", out.toString());
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process node = pb.start();
    BlockingQueue<String> lines = lines(node);
    try {
      expect(lines, "READY");
      // The matcher goes away; meanwhile an alert is stored (as another matcher on the same
      // database would store it), then the matcher comes back on the same address.
      matcher.close();
      expect(lines, "DOWN");
      try (MatcherStore store = new SqliteMatcherStore(config.store().sqlite())) {
        // Captured ten minutes ago (spooled on the device during an outage, say).
        store.insertAlertOnce(alert("during-the-gap", 2, Duration.ofMinutes(10)));
      }
      matcher =
          MatcherService.start(config.withHttp(new HttpConfig(true, "127.0.0.1", port, null)));
      String result = expect(lines, "{");
      assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(node.exitValue()).isZero();
      JsonNode r = HttpTestClient.JSON.readTree(result);
      assertThat(r.get("banner").asText()).contains("Connection to the matcher lost");
      assertThat(r.get("devicesNote").asText()).contains("Device states unknown");
      assertThat(r.get("gapAlert").asText())
          .contains("Gap Person")
          .containsPattern("sent late: matched .*, 10 min after capture");
      assertThat(r.get("reloaded").asBoolean()).isFalse();
      assertThat(r.get("bannerAfter").asBoolean()).as("banner hidden again").isTrue();
    } finally {
      node.destroyForcibly();
      matcher.close();
    }
  }

  private static Alert alert(String id, long sequence, Duration late) {
    long t = System.currentTimeMillis();
    return new Alert(
        1,
        id,
        "it",
        "cam-" + sequence,
        sequence,
        t - late.toMillis(),
        t,
        "gap-" + id,
        "Gap Person",
        0.7,
        0.45,
        1,
        new io.edgecam.protocol.Box(1, 1, 80, 80));
  }

  private static BlockingQueue<String> lines(Process node) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                }
              } catch (Exception e) {
                lines.add("READ-FAILED " + e);
              }
              lines.add("EOF");
            },
            "console-it-stdout");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  /** Waits for the script's next line starting with {@code prefix}; fails on anything else. */
  private static String expect(BlockingQueue<String> lines, String prefix) throws Exception {
    String line = lines.poll(240, TimeUnit.SECONDS);
    assertThat(line).as("browser script output").isNotNull().startsWith(prefix);
    return line;
  }

  private static void enroll(MatcherService matcher, String token, Path photo) throws Exception {
    HttpTestClient http = new HttpTestClient(matcher.http().url());
    var reply =
        http.postJson(
            "/api/watchlist",
            token,
            Map.of(
                "id", "clooney",
                "label", "George Clooney",
                "legalBasis", "Browser test: public test photo, no real search",
                "expires", LocalDate.now(ZoneOffset.UTC).plusDays(20).toString(),
                "images",
                    List.of(
                        Map.of(
                            "name",
                            "g.jpg",
                            "data",
                            Base64.getEncoder().encodeToString(Files.readAllBytes(photo))))));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
  }

  private static JsonNode alertIn(ObjectNode usage, String id) {
    for (JsonNode a : usage.get("alerts")) {
      if (a.get("id").asText().equals(id)) {
        return a;
      }
    }
    throw new AssertionError("alert " + id + " not in the usage report: " + usage.get("alerts"));
  }

  /** The real edge agent on a folder camera holding one photo; returns when it was delivered. */
  private static void runCamera(Path dir, String device, Path photo, String brokerUrl)
      throws Exception {
    Path camera = Files.createDirectories(dir.resolve(device));
    Files.copy(photo, camera.resolve(photo.getFileName()));
    String yaml =
        String.join(
            "\n",
            "device: " + device,
            "site: it",
            "stateDir: " + dir.resolve("agent-" + device),
            "source:",
            "  type: folder",
            "  path: " + camera,
            "  fps: 2",
            "pipeline:",
            "  precision: float",
            "tracker:",
            "  maxAgeMs: 250",
            "  bestShotIntervalMs: 0",
            "mqtt:",
            "  url: " + brokerUrl,
            "  sessionExpirySeconds: 0",
            "");
    AgentConfig config = AgentConfig.parse(yaml, "console test agent " + device, dir);
    try (AgentService agent = AgentService.create(config)) {
      assertThat(agent.runOnce(Duration.ofSeconds(60))).as("candidate delivered").isTrue();
      assertThat(agent.published()).isEqualTo(1);
    }
  }
}
