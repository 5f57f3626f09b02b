package io.edgecam.matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.matcher.audit.AuditKeys;
import io.edgecam.matcher.config.AuditConfig;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.ingest.IngestCounters;
import io.edgecam.matcher.report.ReportPeriod;
import io.edgecam.matcher.report.ReportSignature;
import io.edgecam.matcher.report.UsageReport;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.TestMqtt;
import io.edgecam.matcher.testing.Vectors;
import io.edgecam.matcher.watchlist.Authorization;
import io.edgecam.protocol.Alert;
import io.edgecam.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17.3 and 17.4 through the real matcher (embedded HiveMQ on a free port, MQTT, SQLite, audit
 * log): a candidate from a site outside an entry's authorisation never alerts, the same face at an
 * authorised site does; after the matcher stopped, the usage report of the period lists its run and
 * the one alert, and its signature verifies with the audit key.
 */
class ScopedMatcherIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  @TempDir Path dir;
  private final Random random = new Random(7);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final List<Alert> heard = new CopyOnWriteArrayList<>();
  private MatcherService matcher;
  private TestMqtt agent;

  @AfterEach
  void tearDown() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (matcher != null) {
      matcher.close();
    }
  }

  private IngestCounters.Snapshot awaitDecided(long n) {
    await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              IngestCounters.Snapshot c = matcher.counters();
              return c.received() >= n
                  && c.received() == c.malformed() + c.duplicates() + c.matched() + c.discarded();
            });
    return matcher.counters();
  }

  @Test
  void outOfScopeSitesNeverAlertAndTheUsageReportListsTheRunAndTheAlert() throws Exception {
    matcher = MatcherService.start(MatcherConfig.embeddedIn(dir), clock);
    matcher.addAlertListener(heard::add);
    agent = new TestMqtt(matcher.brokerUrl()).subscribeAlerts();
    float[] jane = Vectors.unit(random);
    matcher
        .watchlist()
        .enroll(
            Entries.entry("p-17", jane, clock.instant())
                .withAuthorization(
                    new Authorization(
                        "District court A", "AZ 17/26", List.of("site-1"), List.of(), null, null)));

    agent.publishCandidate("site-2", "cam-9", Vectors.encoded("cam-9", 1, jane));
    assertThat(awaitDecided(1).discarded()).isEqualTo(1);
    agent.publishCandidate("site-1", "cam-1", Vectors.encoded("cam-1", 1, jane));
    assertThat(awaitDecided(2).matched()).isEqualTo(1);
    await().atMost(TIMEOUT).until(() -> heard.size() == 1);
    assertThat(heard.get(0).site()).isEqualTo("site-1");
    agent.close();
    agent = null;
    clock.advance(Duration.ofHours(1));
    matcher.close();
    matcher = null;

    try (SqliteMatcherStore store = new SqliteMatcherStore(dir.resolve("matcher.db"))) {
      ObjectNode report =
          UsageReport.json(
              store,
              new ReportPeriod(
                  Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-02T00:00:00Z")),
              "test");
      assertThat(report.get("matcherRuns"))
          .singleElement()
          .satisfies(r -> assertThat(r.get("endedBy").asText()).isEqualTo("matcher.stop"));
      assertThat(report.get("alerts"))
          .singleElement()
          .satisfies(
              a -> {
                assertThat(a.get("site").asText()).isEqualTo("site-1");
                assertThat(a.get("entry").asText()).isEqualTo("p-17");
              });
      assertThat(report.get("sites").get("site-2").get("candidates").asLong()).isEqualTo(1);
      String signed =
          new ObjectMapper()
              .writeValueAsString(
                  ReportSignature.signJson(report, AuditKeys.load(AuditConfig.in(dir).keyFile())));
      assertThat(
              ReportSignature.verifyJson(
                      signed, AuditKeys.readPublic(AuditConfig.in(dir).keyFile()))
                  .valid())
          .isTrue();
      JsonNode tampered = new ObjectMapper().readTree(signed);
      ((ObjectNode) tampered.get("report").get("alerts").get(0)).put("site", "site-2");
      assertThat(
              ReportSignature.verifyJson(
                      tampered.toString(), AuditKeys.readPublic(AuditConfig.in(dir).keyFile()))
                  .valid())
          .isFalse();
    }
  }
}
