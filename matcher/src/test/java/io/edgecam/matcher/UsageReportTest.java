package io.edgecam.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.matcher.audit.AuditKeys;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.audit.ForeignRecords;
import io.edgecam.matcher.cli.ReportCommand;
import io.edgecam.matcher.config.AuditConfig;
import io.edgecam.matcher.device.DeviceView;
import io.edgecam.matcher.index.ExactWatchlistIndex;
import io.edgecam.matcher.ingest.CandidateProcessor;
import io.edgecam.matcher.ingest.IngestCounters;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.Vectors;
import io.edgecam.matcher.watchlist.Authorization;
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.Topics;
import io.edgecam.testing.MutableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 17.4 and 17.5: a day of use recorded the way the matcher records it (config.start, device
 * transitions, candidate counts, alert.match through the real candidate path, verification records
 * as another component writes them, matcher.stop), then both reports through the real command line:
 * what they list, that the usage report's signature verifies and a changed report's does not, and
 * that the transparency report holds no personal data.
 */
class UsageReportTest {
  @TempDir Path dir;
  private Path db;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
  private final Random random = new Random(23);
  private final List<Alert> alerts = new ArrayList<>();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void aDayOfUse() {
    db = dir.resolve("matcher.db");
    try (SqliteMatcherStore store = new SqliteMatcherStore(db)) {
      AuditLog audit = AuditLog.open(store.audit(), AuditConfig.in(dir), clock);
      audit.append("matcher", AuditAction.CONFIG, "edgecam-matcher", Map.of("threshold", 0.45));
      UsageRecorder usage = new UsageRecorder(audit, clock, "edgecam-matcher");
      Watchlist watchlist = new Watchlist(store, new ExactWatchlistIndex(), 0.45, clock, audit);
      float[] jane = Vectors.unit(random);
      watchlist.enroll(
          Entries.entry("p-17", jane, clock.instant())
              .withAuthorization(
                  new Authorization(
                      "District court A", "AZ 17/26", List.of("site-1"), List.of(), null, null)));
      CandidateProcessor processor =
          new CandidateProcessor(
              watchlist,
              Accountability.audited(store, audit),
              alerts::add,
              new IngestCounters(),
              clock);
      processor.addListener(usage::handled);
      usage.device(online("cam-1", true));
      clock.advance(Duration.ofHours(1));
      usage.device(online("cam-1", true)); // a repeated status is no transition
      processor.process(Topics.candidates("site-1", "cam-1"), Vectors.encoded("cam-1", 1, jane));
      processor.process(
          Topics.candidates("site-1", "cam-1"), Vectors.encoded("cam-1", 2, Vectors.unit(random)));
      processor.process(Topics.candidates("site-1", "cam-1"), Vectors.encoded("cam-1", 3, jane));
      // The operators' verification records (issue 17.2), as another component appends them.
      String first = alerts.get(0).id();
      audit.append("person:alice", AuditAction.ALERT_VIEW, first, Map.of());
      foreign(store, "person:alice", "alert.confirm", first, "{\"token\":\"tok_1\"}");
      foreign(store, "person:bob", "alert.confirm", first, "{\"token\":\"tok_2\"}");
      foreign(
          store, "person:bob", "alert.reject", alerts.get(1).id(), "{\"reason\":\"false match\"}");
      clock.advance(Duration.ofHours(8));
      usage.device(online("cam-1", false));
      usage.close();
    }
  }

  /** The verification records are issue 17.2's; the reports read any action about an alert. */
  private void foreign(
      SqliteMatcherStore store, String actor, String action, String alertId, String detail) {
    ForeignRecords.append(
        store.audit(),
        AuditKeys.loadOrCreate(AuditConfig.in(dir).keyFile()),
        clock.instant(),
        actor,
        action,
        alertId,
        detail);
  }

  private DeviceView online(String device, boolean on) {
    return new DeviceView(
        "site-1", device, on, clock.instant(), clock.instant(), Map.of(), Map.of(), Map.of());
  }

  private int run(String... args) {
    CommandLine cl = new CommandLine(new ReportCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void theUsageReportListsRunsDevicePeriodsTheWatchlistAndEveryAlertWithItsVerifiers()
      throws Exception {
    Path file = dir.resolve("usage.json");
    assertThat(
            run(
                "usage",
                "--from",
                "2026-03-01",
                "--to",
                "2026-03-02",
                "--store",
                db.toString(),
                "--out",
                file.toString()))
        .as(err.toString())
        .isZero();
    JsonNode report = new ObjectMapper().readTree(file.toFile()).get("report");
    assertThat(report.get("matcherRuns"))
        .singleElement()
        .satisfies(r -> assertThat(r.get("endedBy").asText()).isEqualTo("matcher.stop"));
    JsonNode site = report.get("sites").get("site-1");
    assertThat(site.get("devicePeriods"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.get("start").asText()).isEqualTo("2026-03-01T08:00:00Z");
              assertThat(p.get("end").asText()).isEqualTo("2026-03-01T17:00:00Z");
            });
    assertThat(site.get("candidates").asLong()).isEqualTo(3);
    assertThat(report.get("watchlist").get("changes"))
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.get("detail").get("authorised_by").asText())
                    .isEqualTo("District court A"));
    JsonNode alert = report.get("alerts").get(0);
    assertThat(alert.get("device").asText()).isEqualTo("cam-1");
    assertThat(alert.get("sequence").asLong()).isEqualTo(1);
    assertThat(alert.get("entry").asText()).isEqualTo("p-17");
    assertThat(alert.get("threshold").asDouble()).isEqualTo(0.45);
    assertThat(alert.get("captureTime").asText()).isNotEmpty();
    assertThat(alert.get("verifiedBy"))
        .extracting(JsonNode::asText)
        .containsExactly("person:alice", "person:bob");
    assertThat(report.get("alerts").get(1).get("rejectedBy"))
        .extracting(JsonNode::asText)
        .containsExactly("person:bob");
    assertThat(mode(file)).isEqualTo("rw-------");

    assertThat(run("verify", file.toString(), "--store", db.toString())).isZero();
    Files.writeString(file, Files.readString(file).replace("person:bob", "person:eve"));
    assertThat(run("verify", file.toString(), "--store", db.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("changed after it was signed");
  }

  @Test
  void theCsvUsageReportIsSignedToo() throws Exception {
    Path file = dir.resolve("usage.csv");
    assertThat(
            run(
                "usage",
                "--csv",
                "--from",
                "2026-03-01",
                "--to",
                "2026-03-02",
                "--store",
                db.toString(),
                "--out",
                file.toString()))
        .isZero();
    String csv = Files.readString(file);
    assertThat(csv)
        .startsWith(io.edgecam.matcher.report.UsageReport.CSV_HEADER)
        .contains("\"alert\",\"site-1\",\"cam-1\"")
        .contains("\"person:alice,person:bob\"");
    assertThat(run("verify", file.toString(), "--store", db.toString())).isZero();
    Files.writeString(file, csv.replace("\"0.45\"", "\"0.40\""));
    assertThat(run("verify", file.toString(), "--store", db.toString())).isEqualTo(1);
  }

  @Test
  void theTransparencyReportCountsWithoutPersonalData() throws Exception {
    assertThat(
            run(
                "transparency",
                "--from",
                "2026-03-01",
                "--to",
                "2026-03-02",
                "--store",
                db.toString()))
        .as(err.toString())
        .isZero();
    String text = out.toString();
    JsonNode report = new ObjectMapper().readTree(text).get("report");
    JsonNode site = report.get("sites").get("site-1");
    assertThat(site.get("candidates").asLong()).isEqualTo(3);
    assertThat(site.get("alerts").asLong()).isEqualTo(2);
    assertThat(site.get("verified").asLong()).isEqualTo(1);
    assertThat(site.get("rejectedAsFalseMatch").asLong()).isEqualTo(1);
    assertThat(report.get("watchlist").get("new").asLong()).isEqualTo(1);
    assertThat(report.get("watchlist").get("byAuthorisingBody").get(0).get("authorisedBy").asText())
        .isEqualTo("District court A");
    assertThat(text).doesNotContain("p-17", "Label", "alice", "bob", "AZ 17/26", "cam-1");
  }

  @Test
  void aPeriodThatEndsBeforeItStartsIsAUsageError() {
    assertThat(run("usage", "--from", "2026-03-02", "--to", "2026-03-01", "--store", db.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--from must be before --to");
  }

  private static String mode(Path p) throws Exception {
    return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
