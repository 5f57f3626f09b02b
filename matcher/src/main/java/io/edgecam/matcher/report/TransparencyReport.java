package io.edgecam.matcher.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.matcher.audit.AuditRecord;
import io.edgecam.matcher.store.MatcherStore;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts for publication over a period, no personal data: watchlist entries by legal basis and by
 * authorising body (in force at the end), entries added, extended, expired and removed, and per
 * site the candidates processed, alerts, alerts verified and alerts rejected as a false match (from
 * the verification records about each alert, whatever their action name, as long as it contains
 * "confirm"/"verif" or "reject" and a rejection's detail says "false"). No entry ids, labels,
 * references, devices or persons. Legal bases are published as written: write the provision ("§
 * 100h StPO"), and put case numbers into the authorisation reference, which is not published.
 * Stateless.
 */
public final class TransparencyReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TransparencyReport() {}

  /** The report as JSON (unsigned). */
  public static ObjectNode json(MatcherStore store, ReportPeriod period) {
    UsageHistory h = UsageHistory.replay(AuditHistory.until(store.audit(), period.to()), period);
    ObjectNode r = JSON.createObjectNode();
    r.put("kind", "transparency");
    r.put("from", period.from().toString());
    r.put("to", period.to().toString());
    r.put("generatedAt", Instant.now().toString());
    ObjectNode wl = r.putObject("watchlist");
    Map<String, Long> byBasis = new TreeMap<>();
    Map<String, Long> byBody = new TreeMap<>();
    // In force at the end of the period: the start state with the period's changes applied.
    Map<String, UsageHistory.EntryState> atEnd = atEnd(h);
    atEnd
        .values()
        .forEach(
            e -> {
              byBasis.merge(e.legalBasis(), 1L, Long::sum);
              byBody.merge(
                  e.authorisedBy() == null ? "(not stated)" : e.authorisedBy(), 1L, Long::sum);
            });
    wl.put("entriesAtStart", h.entriesAtStart.size());
    wl.put("entriesAtEnd", atEnd.size());
    counts(wl.putArray("byLegalBasis"), "legalBasis", byBasis);
    counts(wl.putArray("byAuthorisingBody"), "authorisedBy", byBody);
    long created = 0;
    long extended = 0;
    long removed = 0;
    long expired = 0;
    for (UsageHistory.Change c : h.changes) {
      switch (c.action()) {
        case "watchlist.create" -> created += c.detail().path("replaced").asBoolean() ? 0 : 1;
        case "watchlist.extend" -> extended++;
        case "watchlist.delete" -> removed++;
        case "watchlist.expire" -> expired += c.detail().path("count").asLong();
        default -> {}
      }
    }
    wl.put("new", created)
        .put("extended", extended)
        .put("removed", removed)
        .put("expired", expired);
    ObjectNode sites = r.putObject("sites");
    h.candidates.forEach((site, n) -> UsageReport.object(sites, site).put("candidates", n));
    for (UsageHistory.AlertEvent a : h.alerts.values()) {
      ObjectNode s = UsageReport.object(sites, a.site());
      add(s, "alerts");
      if (UsageHistory.verified(a)) {
        add(s, "verified");
      }
      if (falseMatch(a)) {
        add(s, "rejectedAsFalseMatch");
      }
    }
    sites
        .properties()
        .forEach(
            e -> {
              ObjectNode s = (ObjectNode) e.getValue();
              for (String f :
                  new String[] {"candidates", "alerts", "verified", "rejectedAsFalseMatch"}) {
                s.put(f, s.path(f).asLong());
              }
            });
    return r;
  }

  private static Map<String, UsageHistory.EntryState> atEnd(UsageHistory h) {
    Map<String, UsageHistory.EntryState> m = new TreeMap<>(h.entriesAtStart);
    for (UsageHistory.Change c : h.changes) {
      switch (c.action()) {
        case "watchlist.create", "watchlist.extend" -> {
          UsageHistory.EntryState old = m.get(c.subject());
          m.put(
              c.subject(),
              new UsageHistory.EntryState(
                  c.subject(),
                  c.detail().path("legal_basis").asText(old == null ? "" : old.legalBasis()),
                  "",
                  c.detail().path("authorised_by").isTextual()
                      ? c.detail().get("authorised_by").asText()
                      : old == null ? null : old.authorisedBy(),
                  null,
                  ""));
        }
        case "watchlist.delete" -> m.remove(c.subject());
        case "watchlist.expire" -> c.detail().path("entries").forEach(id -> m.remove(id.asText()));
        default -> {}
      }
    }
    return m;
  }

  private static boolean falseMatch(UsageHistory.AlertEvent a) {
    for (AuditRecord r : a.oversight()) {
      if (r.action().contains("reject")
          && r.detail().toLowerCase(java.util.Locale.ROOT).contains("false")) {
        return true;
      }
    }
    return false;
  }

  private static void add(ObjectNode s, String field) {
    s.put(field, s.path(field).asLong() + 1);
  }

  private static void counts(ArrayNode out, String key, Map<String, Long> counts) {
    counts.forEach((k, n) -> out.addObject().put(key, k).put("entries", n));
  }
}
