package io.edgecam.matcher.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.auth.Role;
import io.edgecam.matcher.store.AlertPage;
import io.edgecam.matcher.store.AlertQuery;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.Ids;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Alerts: {@code GET /api/alerts} (paged, filtered), {@code GET /api/alerts/{id}} and {@code GET
 * /api/alerts/export} (CSV or JSON, operators). Every view and export is recorded in the audit log
 * with its filters.
 */
final class AlertRoutes {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_EXPORT = 10_000;

  private final MatcherStore store;
  private final AuditLog audit;
  private final AlertViews views;

  AlertRoutes(MatcherStore store, AuditLog audit, AlertViews views) {
    this.store = store;
    this.audit = audit;
    this.views = views;
  }

  void register(Router r) {
    r.add("GET", "/alerts", Role.VIEWER, this::list);
    r.add("GET", "/alerts/export", Role.OPERATOR, this::export);
    r.add("GET", "/alerts/{id}", Role.VIEWER, this::one);
  }

  private void list(Call call) throws IOException {
    AlertQuery q = query(call, Fields.intInRange("limit", call.query("limit"), 1, 1000, 50));
    String cursor = call.query("cursor");
    if (cursor != null) {
      q = afterCursor(q, cursor);
    }
    AlertPage page = store.alerts(q);
    Map<String, Object> detail = filters(q);
    detail.put("returned", page.alerts().size());
    audit.append(call.actor(), AuditAction.ALERT_VIEW, "alerts", detail);
    ObjectNode body = Json.object();
    body.set("alerts", views.list(page.alerts()));
    body.put("total", page.total());
    Alert last = page.alerts().isEmpty() ? null : page.alerts().get(page.alerts().size() - 1);
    body.put("next", page.more() && last != null ? cursor(last) : null);
    call.json(200, body);
  }

  private void one(Call call) throws IOException {
    String id = call.pathParam(0);
    Alert a = store.alert(id);
    if (a == null) {
      throw ApiError.notFound("no alert " + id);
    }
    audit.append(call.actor(), AuditAction.ALERT_VIEW, id, Map.of("entry", a.entryId()));
    call.json(200, views.one(a));
  }

  private void export(Call call) throws IOException {
    String format = call.query("format") == null ? "csv" : call.query("format");
    if (!format.equals("csv") && !format.equals("json")) {
      throw ApiError.badField("format", "format must be csv or json, was '" + format + "'");
    }
    AlertQuery q = query(call, AlertQuery.MAX_LIMIT);
    List<Alert> all = new ArrayList<>();
    AlertPage page = store.alerts(q);
    all.addAll(page.alerts());
    while (page.more() && all.size() < MAX_EXPORT) {
      Alert last = all.get(all.size() - 1);
      page = store.alerts(q.after(last.matchTimeMillis(), last.id()));
      all.addAll(page.alerts());
    }
    if (all.size() > MAX_EXPORT) {
      all = all.subList(0, MAX_EXPORT);
    }
    Map<String, Object> detail = filters(q);
    detail.put("format", format);
    detail.put("exported", all.size());
    audit.append(call.actor(), AuditAction.ALERT_EXPORT, "alerts", detail);
    call.exchange()
        .getResponseHeaders()
        .set("Content-Disposition", "attachment; filename=\"edgecam-alerts." + format + "\"");
    if (format.equals("json")) {
      ArrayNode list = Json.array();
      all.forEach(a -> list.add(Views.alert(a)));
      call.json(200, list);
    } else {
      call.send(
          200, "text/csv; charset=utf-8", AlertCsv.write(all).getBytes(StandardCharsets.UTF_8));
    }
  }

  private static AlertQuery query(Call call, int limit) {
    String site = call.query("site");
    String device = call.query("device");
    String entry = call.query("entry");
    requireId("site", site);
    requireId("device", device);
    if (entry != null && entry.length() > 64) {
      throw ApiError.badField("entry", "entry must be at most 64 characters");
    }
    Long from = Fields.instantMillis("from", call.query("from"));
    Long to = Fields.instantMillis("to", call.query("to"));
    if (from != null && to != null && from >= to) {
      throw ApiError.badField("to", "to must be after from");
    }
    return new AlertQuery(site, device, entry, from, to, null, null, limit);
  }

  private static void requireId(String field, @Nullable String value) {
    if (value != null) {
      try {
        Ids.require(field, value);
      } catch (IllegalArgumentException e) {
        throw ApiError.badField(field, e.getMessage());
      }
    }
  }

  private static Map<String, Object> filters(AlertQuery q) {
    Map<String, Object> d = new LinkedHashMap<>();
    put(d, "site", q.site());
    put(d, "device", q.device());
    put(d, "entry", q.entryId());
    put(d, "from", q.fromMillis() == null ? null : Instant.ofEpochMilli(q.fromMillis()).toString());
    put(d, "to", q.toMillis() == null ? null : Instant.ofEpochMilli(q.toMillis()).toString());
    if (q.beforeId() != null) {
      d.put("after", q.beforeId());
    }
    return d;
  }

  private static void put(Map<String, Object> d, String k, @Nullable Object v) {
    if (v != null) {
      d.put(k, v);
    }
  }

  /** An opaque cursor: base64url of {@code matchTimeMillis:id} of the page's last alert. */
  static String cursor(Alert last) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(
            (last.matchTimeMillis() + ":" + last.id()).getBytes(StandardCharsets.UTF_8));
  }

  static AlertQuery afterCursor(AlertQuery q, String cursor) {
    try {
      String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int colon = s.indexOf(':');
      return q.after(Long.parseLong(s.substring(0, colon)), s.substring(colon + 1));
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw ApiError.badField("cursor", "cursor is not one this API returned as 'next'");
    }
  }
}
