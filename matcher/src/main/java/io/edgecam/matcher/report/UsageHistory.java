package io.edgecam.matcher.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.matcher.audit.AuditRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What happened in a period, replayed from the audit log (the one record the matcher keeps that is
 * hash-chained and signed): the matcher's runs ({@code config.start} .. {@code matcher.stop}), each
 * device's online periods, the watchlist as it stood at the start and every change, every alert
 * ({@code alert.match}) with every other record about it (verifications, rejections), and the
 * candidate counts per site. Both reports are views of it. Not thread-safe; build, then read.
 */
final class UsageHistory {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A run of the matcher or an online period of a device; {@code end} null if still open. */
  record Period(String who, Instant start, @Nullable Instant end, String endedBy) {}

  /** A watchlist entry as the audit log describes it (never its label or embeddings). */
  record EntryState(
      String id,
      String legalBasis,
      String expires,
      @Nullable String authorisedBy,
      @Nullable String reference,
      String sites) {}

  /** A watchlist change in the period. */
  record Change(Instant time, String action, String subject, String actor, ObjectNode detail) {}

  /** An alert of the period and the records about it. */
  record AlertEvent(AuditRecord match, ObjectNode detail, List<AuditRecord> oversight) {
    String site() {
      return detail.path("site").asText();
    }
  }

  final ReportPeriod period;
  final List<Period> matcherRuns = new ArrayList<>();
  final Map<String, List<Period>> devicePeriods = new TreeMap<>();
  final Map<String, EntryState> entriesAtStart = new TreeMap<>();
  final List<Change> changes = new ArrayList<>();
  final Map<String, AlertEvent> alerts = new LinkedHashMap<>();
  final Map<String, Long> candidates = new TreeMap<>();
  long firstSeq = -1;
  long lastSeq = -1;
  String lastHash = "";

  private final Map<String, EntryState> entries = new TreeMap<>();
  private final Map<String, Instant> runOpen = new LinkedHashMap<>();
  private final Map<String, Instant> deviceOpen = new TreeMap<>();
  private boolean startCaptured;

  private UsageHistory(ReportPeriod period) {
    this.period = period;
  }

  /** Replays {@code records} (chain order, all before {@code period.to()}). */
  static UsageHistory replay(List<AuditRecord> records, ReportPeriod period) {
    UsageHistory h = new UsageHistory(period);
    for (AuditRecord r : records) {
      h.apply(r);
    }
    h.finish();
    return h;
  }

  private void apply(AuditRecord r) {
    if (!startCaptured && !r.time().isBefore(period.from())) {
      entriesAtStart.putAll(entries);
      startCaptured = true;
    }
    boolean inPeriod = period.contains(r.time());
    if (inPeriod) {
      if (firstSeq < 0) {
        firstSeq = r.seq();
      }
      lastSeq = r.seq();
      lastHash = r.hash();
    }
    ObjectNode d = detail(r);
    switch (r.action()) {
      case "config.start" -> {
        closeDevices(r.time(), "matcher start");
        Instant open = runOpen.put(r.subject(), r.time());
        if (open != null) {
          run(r.subject(), open, r.time(), "next start (no matcher.stop: crash or kill)");
        }
      }
      case "matcher.stop" -> {
        Instant open = runOpen.remove(r.subject());
        if (open != null) {
          run(r.subject(), open, r.time(), "matcher.stop");
        }
        closeDevices(r.time(), "matcher stop");
      }
      case "device.online" -> deviceOpen.putIfAbsent(r.subject(), r.time());
      case "device.offline" -> {
        Instant open = deviceOpen.remove(r.subject());
        if (open != null) {
          device(r.subject(), open, r.time(), "device.offline");
        }
      }
      case "watchlist.create", "watchlist.extend" -> {
        EntryState old = entries.get(r.subject());
        entries.put(r.subject(), state(r.subject(), d, old));
        change(r, d, inPeriod);
      }
      case "watchlist.delete" -> {
        entries.remove(r.subject());
        change(r, d, inPeriod);
      }
      case "watchlist.expire" -> {
        d.path("entries").forEach(id -> entries.remove(id.asText()));
        change(r, d, inPeriod);
      }
      case "alert.match" -> {
        if (inPeriod) {
          alerts.put(r.subject(), new AlertEvent(r, d, new ArrayList<>()));
        }
      }
      case "usage.candidates" -> {
        if (inPeriod) {
          candidates.merge(r.subject(), d.path("candidates").asLong(), Long::sum);
        }
      }
      default -> {
        AlertEvent a = alerts.get(r.subject());
        if (a != null && !r.action().equals("alert.view") && !r.action().equals("alert.export")) {
          a.oversight().add(r);
        }
      }
    }
  }

  private void finish() {
    if (!startCaptured) {
      entriesAtStart.putAll(entries);
    }
    runOpen.forEach((who, start) -> run(who, start, null, "open at the end of the period"));
    deviceOpen.forEach((who, start) -> device(who, start, null, "open at the end of the period"));
  }

  private void closeDevices(Instant at, String why) {
    deviceOpen.forEach((who, start) -> device(who, start, at, why));
    deviceOpen.clear();
  }

  private void run(String who, Instant start, @Nullable Instant end, String endedBy) {
    Period p = clip(who, start, end, endedBy);
    if (p != null) {
      matcherRuns.add(p);
    }
  }

  private void device(String who, Instant start, @Nullable Instant end, String endedBy) {
    Period p = clip(who, start, end, endedBy);
    if (p != null) {
      devicePeriods.computeIfAbsent(who, k -> new ArrayList<>()).add(p);
    }
  }

  /** The part of a period inside the report's, or null if none. */
  private @Nullable Period clip(String who, Instant start, @Nullable Instant end, String endedBy) {
    if (end != null && !end.isAfter(period.from())) {
      return null;
    }
    if (!start.isBefore(period.to())) {
      return null;
    }
    Instant s = start.isBefore(period.from()) ? period.from() : start;
    return new Period(who, s, end, endedBy);
  }

  private void change(AuditRecord r, ObjectNode d, boolean inPeriod) {
    if (inPeriod) {
      changes.add(new Change(r.time(), r.action(), r.subject(), r.actor(), d));
    }
  }

  private static EntryState state(String id, ObjectNode d, @Nullable EntryState old) {
    String sites =
        d.has("sites")
            ? (d.get("sites").isArray() ? join(d.get("sites")) : d.get("sites").asText())
            : old != null ? old.sites() : "all";
    return new EntryState(
        id,
        d.path("legal_basis").asText(old == null ? "" : old.legalBasis()),
        d.path("expires").asText(old == null ? "" : old.expires()),
        text(d, "authorised_by", old == null ? null : old.authorisedBy()),
        text(d, "authorisation_ref", old == null ? null : old.reference()),
        sites);
  }

  private static @Nullable String text(ObjectNode d, String field, @Nullable String fallback) {
    return d.path(field).isTextual() ? d.get(field).asText() : fallback;
  }

  static String join(JsonNode array) {
    List<String> parts = new ArrayList<>();
    array.forEach(n -> parts.add(n.asText()));
    return String.join(",", parts);
  }

  static ObjectNode detail(AuditRecord r) {
    try {
      JsonNode n = JSON.readTree(r.detail());
      return n instanceof ObjectNode o ? o : JSON.createObjectNode();
    } catch (JsonProcessingException e) {
      return JSON.createObjectNode().put("unparsed", r.detail());
    }
  }

  /** Actors of the records about an alert whose action says it was confirmed or verified. */
  static List<String> actorsWhere(AlertEvent a, String... words) {
    List<String> out = new ArrayList<>();
    for (AuditRecord r : a.oversight()) {
      for (String w : words) {
        if (r.action().contains(w) && !out.contains(r.actor())) {
          out.add(r.actor());
        }
      }
    }
    return out;
  }

  /**
   * Verified: a record about the alert whose action names verification, or confirmations by two
   * different actors.
   */
  static boolean verified(AlertEvent a) {
    for (AuditRecord r : a.oversight()) {
      if (r.action().contains("verif")) {
        return true;
      }
    }
    return actorsWhere(a, "confirm").size() >= 2;
  }
}
