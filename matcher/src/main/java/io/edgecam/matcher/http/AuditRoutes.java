package io.edgecam.matcher.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.audit.AuditQuery;
import io.edgecam.matcher.audit.AuditRecord;
import io.edgecam.matcher.audit.AuditVerifier;
import io.edgecam.matcher.auth.Role;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/audit} (admins): the audit log newest first, paged by sequence number, filtered
 * by action and actor. Reading it is itself recorded.
 */
final class AuditRoutes {
  private final AuditLog audit;

  AuditRoutes(AuditLog audit) {
    this.audit = audit;
  }

  void register(Router r) {
    r.add("GET", "/audit", Role.ADMIN, this::list);
    r.add("POST", "/audit/verify", Role.ADMIN, this::verify);
  }

  private void list(Call call) throws IOException {
    int limit = Fields.intInRange("limit", call.query("limit"), 1, 1000, 100);
    long before = Long.MAX_VALUE;
    if (call.query("before") != null) {
      before = Fields.intInRange("before", call.query("before"), 1, Integer.MAX_VALUE, 1);
    }
    String action = call.query("action");
    String actor = call.query("actor");
    if (action != null && !action.matches("[a-z.-]{1,40}")) {
      throw ApiError.badField("action", "action must be an action key like watchlist.create");
    }
    List<AuditRecord> page = audit.read(new AuditQuery(0, before, true, action, actor, limit));
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("returned", page.size());
    if (before != Long.MAX_VALUE) {
      detail.put("before", before);
    }
    if (action != null) {
      detail.put("action", action);
    }
    if (actor != null) {
      detail.put("actor", actor);
    }
    audit.append(call.actor(), AuditAction.AUDIT_VIEW, "audit", detail);
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("records");
    page.forEach(r -> list.add(Views.audit(r)));
    body.put("next", page.size() == limit ? page.get(page.size() - 1).seq() : null);
    call.json(200, body);
  }

  /**
   * Runs the chain check (hashes, signatures, head checkpoint) and says where it broke, if it did.
   */
  private void verify(Call call) throws IOException {
    AuditVerifier.Report report = audit.verify();
    ObjectNode body =
        Json.object()
            .put("ok", report.ok())
            .put("records", report.records())
            .put("lastSeq", report.lastSeq())
            .put("headSeq", report.headSeq());
    if (report.problem() != null) {
      body.putObject("problem")
          .put("seq", report.problem().seq())
          .put("kind", report.problem().kind().key())
          .put("message", report.problem().message());
    }
    audit.append(
        call.actor(),
        AuditAction.AUDIT_VIEW,
        "audit",
        Map.of("verify", report.ok() ? "ok" : "failed", "records", report.records()));
    call.json(200, body);
  }
}
