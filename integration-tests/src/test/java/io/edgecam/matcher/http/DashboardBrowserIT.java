package io.edgecam.matcher.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.service.AgentService;
import io.edgecam.matcher.MatcherService;
import io.edgecam.matcher.auth.ApiTokens;
import io.edgecam.matcher.auth.Role;
import io.edgecam.matcher.config.HttpConfig;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.matcher.testing.Browser;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in headless Chromium (Debian's {@code /usr/bin/chromium}, driven by Playwright),
 * against a real matcher: embedded MQTT broker, SQLite, the real face pipeline for enrollment and
 * the real edge agent for the camera. The browser signs in with a token, is refused an enrollment
 * without a legal basis, enrolls George Clooney from one photo through the form, and then sees the
 * alert for another photo of him arrive live (SSE) after the agent published it; the device list
 * shows the camera. Screenshots go to target/.
 */
class DashboardBrowserIT {
  private static final Path DATA =
      Path.of(System.getProperty("edgecam.root", "..")).resolve("../shared/data/faces");

  @Test
  void operatorEnrollsThroughTheFormAndSeesTheLiveAlert(@TempDir Path dir) throws Exception {
    Path person = DATA.resolve("george_clooney");
    assumeTrue(Files.isDirectory(person), "test photos not found at " + person);
    List<Path> photos;
    try (var s = Files.list(person)) {
      photos = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
    }
    assumeTrue(photos.size() >= 2, "need two photos of george_clooney");
    Path playwright = Browser.playwrightCore();
    Path out = Browser.targetDir();

    MatcherConfig config =
        MatcherConfig.embeddedIn(dir.resolve("matcher")).withHttp(HttpConfig.loopbackEphemeral());
    try (MatcherService matcher = MatcherService.start(config)) {
      String token;
      // As `edgecam matcher token create` does: a second connection to the running matcher's store.
      try (MatcherStore store = new SqliteMatcherStore(config.store().sqlite())) {
        token =
            new ApiTokens(store, Clock.systemUTC())
                .issue("dana", Role.OPERATOR, "test", null)
                .secret();
      }
      Path script = dir.resolve("dashboard-it.mjs");
      try (InputStream in = getClass().getResourceAsStream("dashboard-it.mjs")) {
        Files.copy(in, script);
      }
      ProcessBuilder pb = new ProcessBuilder("node", script.toString());
      pb.environment().put("PLAYWRIGHT_CORE", playwright.toUri().toString());
      pb.environment().put("BASE_URL", matcher.http().url() + "/");
      pb.environment().put("TOKEN", token);
      pb.environment().put("IMAGE", photos.get(0).toString());
      pb.environment().put("EXPIRES", LocalDate.now(ZoneOffset.UTC).plusDays(30).toString());
      pb.environment().put("OUT_DIR", out.toString());
      pb.environment().put("DEVICE", "it/cam-1");
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      Process node = pb.start();
      List<String> lines = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> ready = new CompletableFuture<>();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    lines.add(line);
                    if (line.equals("READY")) {
                      ready.complete(null);
                    }
                  }
                } catch (Exception e) {
                  ready.completeExceptionally(e);
                }
                ready.completeExceptionally(new AssertionError("the browser script ended early"));
              },
              "dashboard-it-stdout");
      reader.setDaemon(true);
      reader.start();
      try {
        ready.get(180, TimeUnit.SECONDS);
        assertThat(matcher.watchlist().entries())
            .singleElement()
            .satisfies(
                e -> {
                  assertThat(e.id()).isEqualTo("clooney");
                  assertThat(e.createdBy()).startsWith("person:dana/tok_");
                });
        // The camera sees another photo of the same man.
        runCamera(dir, photos.get(1), matcher.brokerUrl());
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("browser script finished").isTrue();
      } finally {
        node.destroyForcibly();
      }
      reader.join(5000);
      assertThat(node.exitValue()).as("browser script exit code; stdout %s", lines).isZero();
      JsonNode result = HttpTestClient.JSON.readTree(lines.get(lines.size() - 1));
      assertThat(result.get("refused").asText()).contains("Legal basis is required");
      assertThat(result.get("enrolled").asText()).startsWith("Enrolled clooney");
      assertThat(result.get("alert").asText()).contains("George Clooney").contains("cam-1");
      assertThat(result.get("device").asText()).contains("cam-1");
      assertThat(result.get("consoleErrors")).isEmpty();
      assertThat(matcher.counters().matched()).isEqualTo(1);
      // The REST server mounts the matcher's Prometheus metrics for token holders.
      HttpTestClient http = new HttpTestClient(matcher.http().url());
      assertThat(http.get("/metrics", null).status()).isEqualTo(401);
      assertThat(http.get("/metrics", token).body())
          .containsPattern("(?m)^edgecam_matcher_matches_total(\\{[^}]*})? 1(\\.0)?$");
      assertThat(http.get("/health", null).json().get("status").asText()).isEqualTo("OK");
    }
    Path shot = out.resolve("dashboard-live-alert.png");
    assertThat(shot).exists();
    assertThat(Files.size(shot)).isGreaterThan(10_000);
  }

  /** The real edge agent on a folder camera holding one photo; returns when it was delivered. */
  private static void runCamera(Path dir, Path photo, String brokerUrl) throws Exception {
    Path camera = Files.createDirectories(dir.resolve("camera"));
    Files.copy(photo, camera.resolve(photo.getFileName()));
    String yaml =
        String.join(
            "\n",
            "device: cam-1",
            "site: it",
            "stateDir: " + dir.resolve("agent"),
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
    AgentConfig config = AgentConfig.parse(yaml, "browser test agent", dir);
    try (AgentService agent = AgentService.create(config)) {
      assertThat(agent.runOnce(Duration.ofSeconds(60))).as("candidate delivered").isTrue();
      assertThat(agent.published()).isEqualTo(1);
    }
  }
}
