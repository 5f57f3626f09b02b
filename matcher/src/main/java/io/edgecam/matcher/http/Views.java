package io.edgecam.matcher.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.matcher.audit.AuditRecord;
import io.edgecam.matcher.auth.ApiToken;
import io.edgecam.matcher.device.DeviceView;
import io.edgecam.matcher.oversight.AlertReview;
import io.edgecam.matcher.oversight.AlertReviews;
import io.edgecam.matcher.watchlist.Authorization;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.Health;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The API's JSON shapes (docs/openapi.json). Written field by field so that the wire format is a
 * decision, not a side effect of record changes. Never an embedding.
 */
final class Views {
  private Views() {}

  static ObjectNode alert(Alert a) {
    ObjectNode o =
        Json.object()
            .put("id", a.id())
            .put("site", a.site())
            .put("device", a.device())
            .put("sequence", a.sequence())
            .put("captureTime", Instant.ofEpochMilli(a.captureTimeMillis()).toString())
            .put("matchTime", Instant.ofEpochMilli(a.matchTimeMillis()).toString())
            .put("entryId", a.entryId())
            .put("label", a.label())
            .put("score", a.score())
            .put("threshold", a.threshold())
            .put("secondScore", a.secondScore())
            .put("margin", a.margin())
            .put("expectedFpir", a.expectedFpir())
            .put("trackId", a.trackId());
    o.putObject("box")
        .put("x", a.box().x())
        .put("y", a.box().y())
        .put("width", a.box().width())
        .put("height", a.box().height());
    return o;
  }

  /** An alert's review: state, confirmations so far and needed, every decision (who, when, why). */
  static ObjectNode review(AlertReviews r, int needed) {
    ObjectNode o =
        Json.object()
            .put("alertId", r.alertId())
            .put("state", r.state().key())
            .put("confirmations", r.confirmedBy().size())
            .put("needed", needed);
    ArrayNode list = o.putArray("reviews");
    for (AlertReview x : r.reviews()) {
      list.addObject()
          .put("person", x.person())
          .put("token", x.tokenId())
          .put("decision", x.decision())
          .put("reason", x.reason() == null ? null : x.reason().key())
          .put("note", x.note())
          .put("time", x.at().toString());
    }
    return o;
  }

  static ObjectNode device(DeviceView d) {
    ObjectNode o =
        Json.object()
            .put("site", d.site())
            .put("device", d.device())
            .put("online", d.online())
            .put("health", d.overallHealth().name())
            .put("statusTime", d.statusTime().toString())
            .put("lastSeen", Json.time(d.lastSeen()));
    ObjectNode components = o.putObject("components");
    for (Map.Entry<String, Health> h : new TreeMap<>(d.health()).entrySet()) {
      components
          .putObject(h.getKey())
          .put("state", h.getValue().state().name())
          .put("reason", h.getValue().reason());
    }
    ObjectNode versions = o.putObject("versions");
    new TreeMap<>(d.versions()).forEach(versions::put);
    ObjectNode counters = o.putObject("counters");
    new TreeMap<>(d.counters()).forEach(counters::put);
    return o;
  }

  static ObjectNode entry(WatchlistEntry e, Instant now) {
    return Json.object()
        .put("id", e.id())
        .put("label", e.label())
        .put("legalBasis", e.legalBasis())
        .put("expiresAt", e.expiresAt().toString())
        .put("expired", e.isExpiredAt(now))
        .put("createdBy", e.createdBy())
        .put("createdAt", e.createdAt().toString())
        .put("threshold", e.threshold())
        .put("model", e.model())
        .put("embeddings", e.embeddings().size())
        .set("authorization", authorization(e.authorization()));
  }

  /** Who authorised an entry and where and when it may match (empty lists: everywhere). */
  static ObjectNode authorization(Authorization a) {
    ObjectNode o =
        Json.object()
            .put("authorisedBy", a.body())
            .put("reference", a.reference())
            .put("from", Json.time(a.from()))
            .put("until", Json.time(a.until()));
    a.sites().forEach(o.putArray("sites")::add);
    a.devices().forEach(o.putArray("devices")::add);
    return o;
  }

  static ObjectNode token(ApiToken t) {
    return Json.object()
        .put("id", t.id())
        .put("name", t.name())
        .put("person", t.person())
        .put("role", t.role().key())
        .put("createdBy", t.createdBy())
        .put("createdAt", t.createdAt().toString())
        .put("expiresAt", Json.time(t.expiresAt()))
        .put("lastUsedAt", Json.time(t.lastUsedAt()))
        .put("revokedAt", Json.time(t.revokedAt()));
  }

  static ObjectNode audit(AuditRecord r) {
    ObjectNode o =
        Json.object()
            .put("seq", r.seq())
            .put("time", r.time().toString())
            .put("actor", r.actor())
            .put("action", r.action())
            .put("subject", r.subject());
    JsonNode detail;
    try {
      detail = Json.MAPPER.readTree(r.detail());
    } catch (JacksonException e) {
      detail = Json.MAPPER.getNodeFactory().textNode(r.detail());
    }
    o.set("detail", detail);
    return o.put("hash", r.hash()).put("prevHash", r.prevHash()).put("keyId", r.keyId());
  }
}
