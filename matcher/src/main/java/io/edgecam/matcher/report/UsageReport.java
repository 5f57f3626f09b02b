package io.edgecam.matcher.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.matcher.audit.AuditRecord;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.protocol.Alert;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The usage log of EU AI Act Art. 12(3) for a period: when the system was in use (the matcher's
 * runs, each device's online periods, per site), which reference database was checked (the
 * watchlist entries in force at the start, by id, legal basis and authorisation, and every change
 * after), and every match: the candidate's site, device, sequence and capture time, the entry,
 * score and threshold, whether it was verified, who confirmed or rejected it (every other audit
 * record about the alert, whatever its action). Built from the audit log, so alerts purged by
 * retention are still listed; never labels or embeddings. Stateless.
 */
public final class UsageReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** CSV columns, one row per run, device period, watchlist version and alert. */
  public static final String CSV_HEADER =
      "record,site,device,start,end,ended_by,alert_id,sequence,capture_time,entry,score,threshold,"
          + "verified_by,rejected_by,actions";

  private UsageReport() {}

  /** The report as JSON (unsigned). */
  public static ObjectNode json(MatcherStore store, ReportPeriod period, String generatedBy) {
    UsageHistory h = UsageHistory.replay(AuditHistory.until(store.audit(), period.to()), period);
    ObjectNode r = JSON.createObjectNode();
    r.put("kind", "usage");
    r.put("from", period.from().toString());
    r.put("to", period.to().toString());
    r.put("generatedAt", Instant.now().toString());
    r.put("generatedBy", generatedBy);
    r.putObject("auditLog")
        .put("firstSeq", h.firstSeq)
        .put("lastSeq", h.lastSeq)
        .put("lastHash", h.lastHash);
    ArrayNode runs = r.putArray("matcherRuns");
    h.matcherRuns.forEach(p -> runs.add(period(p).put("matcher", p.who())));
    ObjectNode sites = r.putObject("sites");
    h.devicePeriods.forEach(
        (key, periods) -> {
          String site = key.substring(0, key.indexOf('/'));
          ArrayNode list = array(object(sites, site), "devicePeriods");
          periods.forEach(
              p -> list.add(period(p).put("device", key.substring(key.indexOf('/') + 1))));
        });
    h.alerts.values().forEach(a -> counter(object(sites, a.site()), "alerts"));
    h.candidates.forEach((site, n) -> object(sites, site).put("candidates", n));
    ObjectNode wl = r.putObject("watchlist");
    ArrayNode atStart = wl.putArray("inForceAtStart");
    h.entriesAtStart.values().forEach(e -> atStart.add(entry(e)));
    ArrayNode changes = wl.putArray("changes");
    h.changes.forEach(
        c ->
            changes
                .addObject()
                .put("time", c.time().toString())
                .put("action", c.action())
                .put("subject", c.subject())
                .put("actor", c.actor())
                .set("detail", c.detail()));
    ArrayNode alerts = r.putArray("alerts");
    for (UsageHistory.AlertEvent a : h.alerts.values()) {
      alerts.add(alert(a, store.alert(a.match().subject())));
    }
    return r;
  }

  /** The report as CSV rows (unsigned), every cell quoted and defused. */
  public static String csv(ObjectNode report) {
    StringBuilder sb = new StringBuilder(CSV_HEADER).append("\r\n");
    report
        .path("matcherRuns")
        .forEach(
            p ->
                row(
                    sb,
                    "matcher_run",
                    "",
                    p.path("matcher").asText(),
                    p.path("start").asText(),
                    p.path("end").asText(""),
                    p.path("endedBy").asText(),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    ""));
    report
        .path("sites")
        .properties()
        .forEach(
            site ->
                site.getValue()
                    .path("devicePeriods")
                    .forEach(
                        p ->
                            row(
                                sb,
                                "device_online",
                                site.getKey(),
                                p.path("device").asText(),
                                p.path("start").asText(),
                                p.path("end").asText(""),
                                p.path("endedBy").asText(),
                                "",
                                "",
                                "",
                                "",
                                "",
                                "",
                                "",
                                "",
                                "")));
    report
        .path("watchlist")
        .path("inForceAtStart")
        .forEach(
            e ->
                row(
                    sb,
                    "watchlist_entry_at_start",
                    e.path("sites").asText(),
                    "",
                    report.path("from").asText(),
                    "",
                    "",
                    "",
                    "",
                    "",
                    e.path("entry").asText(),
                    "",
                    "",
                    "",
                    "",
                    e.path("legalBasis").asText()));
    report
        .path("watchlist")
        .path("changes")
        .forEach(
            c ->
                row(
                    sb,
                    "watchlist_change",
                    "",
                    "",
                    c.path("time").asText(),
                    "",
                    "",
                    "",
                    "",
                    "",
                    c.path("subject").asText(),
                    "",
                    "",
                    "",
                    "",
                    c.path("action").asText() + " by " + c.path("actor").asText()));
    report
        .path("alerts")
        .forEach(
            a ->
                row(
                    sb,
                    "alert",
                    a.path("site").asText(),
                    a.path("device").asText(),
                    a.path("matchTime").asText(),
                    "",
                    "",
                    a.path("id").asText(),
                    a.path("sequence").asText(),
                    a.path("captureTime").asText(""),
                    a.path("entry").asText(),
                    a.path("score").asText(),
                    a.path("threshold").asText(),
                    UsageHistory.join(a.path("verifiedBy")),
                    UsageHistory.join(a.path("rejectedBy")),
                    actions(a)));
    return sb.toString();
  }

  private static String actions(com.fasterxml.jackson.databind.JsonNode a) {
    StringBuilder s = new StringBuilder();
    a.path("oversight")
        .forEach(
            o ->
                s.append(s.length() == 0 ? "" : "; ")
                    .append(o.path("time").asText())
                    .append(' ')
                    .append(o.path("action").asText())
                    .append(" by ")
                    .append(o.path("actor").asText()));
    return s.toString();
  }

  private static void row(StringBuilder sb, String... cells) {
    for (int i = 0; i < cells.length; i++) {
      sb.append(i == 0 ? "" : ",").append(Csv.cell(cells[i]));
    }
    sb.append("\r\n");
  }

  private static ObjectNode period(UsageHistory.Period p) {
    return JSON.createObjectNode()
        .put("start", p.start().toString())
        .put("end", p.end() == null ? null : p.end().toString())
        .put("endedBy", p.endedBy());
  }

  static ObjectNode object(ObjectNode parent, String name) {
    return parent.get(name) instanceof ObjectNode o ? o : parent.putObject(name);
  }

  private static ArrayNode array(ObjectNode parent, String name) {
    return parent.get(name) instanceof ArrayNode a ? a : parent.putArray(name);
  }

  private static void counter(ObjectNode site, String field) {
    site.put(field, site.path(field).asLong() + 1);
  }

  private static ObjectNode entry(UsageHistory.EntryState e) {
    return JSON.createObjectNode()
        .put("entry", e.id())
        .put("legalBasis", e.legalBasis())
        .put("expires", e.expires())
        .put("authorisedBy", e.authorisedBy())
        .put("reference", e.reference())
        .put("sites", e.sites());
  }

  private static ObjectNode alert(UsageHistory.AlertEvent a, @Nullable Alert stored) {
    ObjectNode d = a.detail();
    ObjectNode o =
        JSON.createObjectNode()
            .put("id", a.match().subject())
            .put("matchTime", a.match().time().toString())
            .put("site", d.path("site").asText())
            .put("device", d.path("device").asText())
            .put("sequence", d.path("sequence").asLong())
            .put(
                "captureTime",
                stored == null ? null : Instant.ofEpochMilli(stored.captureTimeMillis()).toString())
            .put("entry", d.path("entry").asText())
            .put("score", d.path("score").asDouble())
            .put("threshold", d.path("threshold").asDouble())
            .put("auditSeq", a.match().seq());
    o.put("verified", UsageHistory.verified(a));
    ArrayNode verified = o.putArray("verifiedBy");
    UsageHistory.actorsWhere(a, "confirm").forEach(verified::add);
    ArrayNode rejected = o.putArray("rejectedBy");
    UsageHistory.actorsWhere(a, "reject").forEach(rejected::add);
    ArrayNode oversight = o.putArray("oversight");
    for (AuditRecord r : a.oversight()) {
      oversight
          .addObject()
          .put("time", r.time().toString())
          .put("action", r.action())
          .put("actor", r.actor())
          .put("auditSeq", r.seq())
          .set("detail", UsageHistory.detail(r));
    }
    return o;
  }
}
