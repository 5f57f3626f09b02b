package io.edgecam.matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.service.AgentService;
import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.face.pipeline.Precision;
import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.matcher.audit.AuditHead;
import io.edgecam.matcher.audit.AuditKeys;
import io.edgecam.matcher.audit.AuditQuery;
import io.edgecam.matcher.audit.AuditRecord;
import io.edgecam.matcher.audit.AuditVerifier;
import io.edgecam.matcher.config.BrokerConfig;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.enroll.Enrollment;
import io.edgecam.matcher.enroll.EnrollmentRequest;
import io.edgecam.matcher.enroll.PipelineImageEmbedder;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.matcher.testing.TestMqtt;
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.Topics;
import io.edgecam.runtime.metrics.MetricsConfig;
import io.edgecam.testing.MosquittoProcess;
import io.edgecam.testing.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real run for accountability: the agent (real TFLite on real photos) publishes to a Mosquitto of
 * the test's own; the matcher has one watchlisted person. Then the database is inspected (no trace
 * of non-matching candidates), both {@code /metrics} endpoints are scraped over HTTP and compared
 * with what happened, retention purges the aged matches and the expired entry, and the audit chain
 * of the whole run verifies.
 */
class AccountabilityIT {
  private static final Path DATA =
      Path.of(System.getProperty("edgecam.root", "..")).resolve("../shared/data");
  private static final String SITE = "acct";
  private static final String DEVICE = "cam-acct";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void storesOnlyMatchesCountsEverythingAndPurgesAgedData() throws Exception {
    assumeThat(Files.isDirectory(DATA.resolve("faces")))
        .as("test photos at " + DATA.resolve("faces"))
        .isTrue();
    List<Path> clooney = photos("george_clooney");
    Path images = Files.createDirectories(dir.resolve("images"));
    List<Path> shown = new ArrayList<>(clooney.subList(2, 4));
    shown.addAll(photos("elon_musk"));
    shown.addAll(photos("jack_dorsey").subList(0, 2));
    for (int i = 0; i < shown.size(); i++) {
      Files.copy(shown.get(i), images.resolve(String.format("f%02d.jpg", i)));
    }
    MutableClock clock = new MutableClock(Instant.now());
    try (MosquittoProcess broker =
            MosquittoProcess.start(Files.createDirectories(dir.resolve("broker")));
        MatcherService matcher =
            MatcherService.start(
                MatcherConfig.embeddedIn(dir.resolve("matcher"))
                    .withBroker(BrokerConfig.external(broker.url()))
                    .withSharedSubscription(false)
                    .withSite(SITE)
                    .withMetrics(MetricsConfig.localhostAnyPort()),
                clock);
        TestMqtt other = new TestMqtt(broker.url())) {
      try (PipelineImageEmbedder embedder =
          PipelineImageEmbedder.open(PipelineConfig.defaults().withPrecision(Precision.FLOAT))) {
        matcher
            .watchlist()
            .enroll(
                Enrollment.enroll(
                    new EnrollmentRequest(
                        "gc-1",
                        "George Clooney",
                        "test warrant 7, district court",
                        LocalDate.now(Clock.systemUTC()).plusDays(10),
                        null,
                        "it",
                        clooney.subList(0, 2)),
                    embedder,
                    Clock.systemUTC()));
      }
      List<Candidate> sent = new CopyOnWriteArrayList<>();
      MqttClient tap = new MqttClient(broker.url(), "tap", new MemoryPersistence());
      tap.connect();
      // Paho's subscribe(String, int, listener) recurses forever; the array form works.
      tap.subscribe(
          new MqttSubscription[] {new MqttSubscription(Topics.candidates(SITE, DEVICE), 1)},
          new IMqttMessageListener[] {
            (t, m) -> {
              if (m.getPayload().length > 3) { // not the malformed one sent below
                sent.add(CandidateCodec.decode(m.getPayload()));
              }
            }
          });

      AgentConfig agentConfig =
          AgentConfig.parse(
              """
              device: %s
              site: %s
              stateDir: agent
              source: {type: folder, path: images, fps: 0}
              pipeline: {precision: float}
              tracker: {bestShotIntervalMs: 0}
              mqtt: {url: "%s"}
              metrics: {enabled: true, port: 0}
              """
                  .formatted(DEVICE, SITE, broker.url()),
              "agent.yaml",
              dir);
      String agentScrape;
      long published;
      try (AgentService agent = AgentService.create(agentConfig)) {
        assertThat(agent.runOnce(TIMEOUT)).isTrue();
        published = agent.published();
        assertThat(published).isPositive();
        agentScrape = get(agent.metricsPort(), "/metrics");
        var c = agent.counters();
        assertThat(value(agentScrape, "edgecam_agent_frames_total")).isEqualTo(shown.size());
        assertThat(value(agentScrape, "edgecam_agent_faces_total")).isEqualTo(c.faces());
        assertThat(value(agentScrape, "edgecam_agent_candidates_total")).isEqualTo(c.candidates());
        assertThat(value(agentScrape, "edgecam_agent_prefiltered_total")).isZero();
        assertThat(value(agentScrape, "edgecam_agent_published_total")).isEqualTo(published);
        assertThat(value(agentScrape, "edgecam_agent_inference_seconds_count"))
            .isEqualTo(shown.size());
        assertThat(value(agentScrape, "edgecam_agent_inference_seconds_sum")).isPositive();
        assertThat(value(agentScrape, "edgecam_agent_publish_latency_seconds_count"))
            .isEqualTo(published);
        assertThat(value(agentScrape, "edgecam_agent_spool_depth")).isZero();
        assertThat(value(agentScrape, "edgecam_agent_spool_dropped_total")).isZero();
        assertThat(value(agentScrape, "edgecam_agent_reconnects_total")).isZero();
        HttpResponse<String> health = getResponse(agent.metricsPort(), "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"camera\"", "\"model\"", "\"broker\"", "\"spool\"");
      }
      other.publishCandidate(SITE, DEVICE, new byte[] {1, 2, 3}); // malformed: payload

      await().atMost(TIMEOUT).until(() -> matcher.counters().received() == published + 1);
      await().atMost(TIMEOUT).until(() -> sent.size() >= published);
      tap.disconnect();
      tap.close();
      var counters = matcher.counters();
      assertThat(counters.matched()).as("Clooney's other photos match").isPositive();
      assertThat(counters.discarded()).as("the others are discarded").isPositive();
      await().atMost(TIMEOUT).until(() -> matcher.storedAlerts(100).size() == counters.matched());

      String scrape = get(matcher.metricsPort(), "/metrics");
      assertThat(value(scrape, "edgecam_matcher_candidates_received_total"))
          .isEqualTo(published + 1);
      assertThat(value(scrape, "edgecam_matcher_matches_total")).isEqualTo(counters.matched());
      assertThat(value(scrape, "edgecam_matcher_discarded_total")).isEqualTo(counters.discarded());
      assertThat(value(scrape, "edgecam_matcher_rejected_total{reason=\"payload\"}")).isEqualTo(1);
      assertThat(value(scrape, "edgecam_matcher_rejected_total{reason=\"device-mismatch\"}"))
          .isZero();
      assertThat(value(scrape, "edgecam_matcher_match_latency_seconds_count"))
          .isEqualTo(published + 1);
      assertThat(value(scrape, "edgecam_matcher_watchlist_entries")).isEqualTo(1);
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  value(get(matcher.metricsPort(), "/metrics"), "edgecam_matcher_alerts_total")
                      == counters.matched());

      // The database holds the matches and nothing of the other candidates.
      Set<Long> alerted =
          matcher.storedAlerts(100).stream().map(Alert::sequence).collect(Collectors.toSet());
      List<Candidate> nonMatches =
          sent.stream().filter(c -> !alerted.contains(c.sequence())).toList();
      assertThat(nonMatches).hasSize((int) counters.discarded());
      Path db = dir.resolve("matcher/matcher.db");
      List<List<Object>> rows = allRows(db);
      for (Candidate c : nonMatches) {
        for (List<Object> row : rows) {
          assertThat(containsEmbedding(row, c.embedding().values()))
              .as("row %s holds the embedding of non-match %d", row, c.sequence())
              .isFalse();
          assertThat(row.toString()).doesNotContain("\"sequence\":" + c.sequence() + ",");
          assertThat(row.contains(c.sequence()) && row.contains(DEVICE))
              .as("row %s names non-match %d", row, c.sequence())
              .isFalse();
        }
      }

      // Thirty-one days later: the matches are past retention and the entry has expired.
      clock.advance(Duration.ofDays(31));
      var purged = matcher.retention().purge("it", true);
      assertThat(purged.alertsDeleted()).isEqualTo(counters.matched());
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  matcher.watchlist().purgeExpired() == 0
                      && matcher.watchlist().entries().isEmpty());
      assertThat(count(db, "alert")).isZero();
      assertThat(count(db, "watchlist_entry")).isZero();
      assertThat(count(db, "watchlist_embedding")).isZero();

      List<AuditRecord> log = matcher.audit().read(AuditQuery.after(0, 1000));
      assertThat(log).extracting(AuditRecord::action).contains("config.start", "watchlist.create");
      assertThat(log.stream().filter(r -> r.action().equals("alert.match")).count())
          .isEqualTo(counters.matched());
      assertThat(log)
          .filteredOn(r -> r.action().equals(AuditAction.RETENTION_PURGE.key()))
          .singleElement()
          .satisfies(
              r -> assertThat(r.detail()).contains("\"alerts_deleted\":" + counters.matched()));
      assertThat(log)
          .filteredOn(r -> r.action().equals(AuditAction.WATCHLIST_EXPIRE.key()))
          .singleElement()
          .satisfies(r -> assertThat(r.detail()).contains("\"count\":1", "gc-1"));
      assertThat(log).allSatisfy(r -> assertThat(r.detail()).doesNotContain("George Clooney"));
      try (MatcherStore readOnly = new SqliteMatcherStore(db)) {
        var report =
            AuditVerifier.verify(
                readOnly.audit(),
                List.of(AuditKeys.readPublic(dir.resolve("matcher/audit.key.pub"))),
                AuditHead.read(dir.resolve("matcher/audit-head.json")));
        assertThat(report.ok()).as("%s", report.problem()).isTrue();
        assertThat(report.lastSeq()).isEqualTo(log.size());
      }
    }
  }

  private static List<Path> photos(String person) throws IOException {
    try (Stream<Path> s = Files.list(DATA.resolve("faces").resolve(person))) {
      return s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
    }
  }

  private String get(int port, String path) throws Exception {
    HttpResponse<String> r = getResponse(port, path);
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private HttpResponse<String> getResponse(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The value of one sample line of the Prometheus text format, e.g. {@code name{a="b"} 3.0}. */
  static double value(String scrape, String sample) {
    Matcher m =
        Pattern.compile("^" + Pattern.quote(sample) + " (\\S+)$", Pattern.MULTILINE)
            .matcher(scrape);
    assertThat(m.find()).as("sample %s in%n%s", sample, scrape).isTrue();
    return Double.parseDouble(m.group(1));
  }

  /** Every row of every table of the SQLite file, values as JDBC returns them. */
  private static List<List<Object>> allRows(Path db) throws Exception {
    List<List<Object>> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      assertThat(tables).contains("alert", "audit_log", "watchlist_embedding");
      for (String t : tables) {
        try (ResultSet rs = s.executeQuery("SELECT * FROM " + t)) {
          ResultSetMetaData md = rs.getMetaData();
          while (rs.next()) {
            List<Object> row = new ArrayList<>();
            row.add(t);
            for (int i = 1; i <= md.getColumnCount(); i++) {
              Object v = rs.getObject(i);
              row.add(v instanceof Integer n ? Long.valueOf(n) : v);
            }
            rows.add(row);
          }
        }
      }
    }
    return rows;
  }

  private static boolean containsEmbedding(List<Object> row, byte[] embedding) {
    for (Object v : row) {
      if (v instanceof byte[] b && indexOf(b, embedding) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return Arrays.equals(needle, new byte[0]) ? 0 : -1;
  }

  private static long count(Path db, String table) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
