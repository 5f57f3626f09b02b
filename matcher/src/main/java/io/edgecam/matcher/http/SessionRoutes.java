package io.edgecam.matcher.http;

import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.auth.Role;
import java.io.IOException;
import java.util.Map;

/**
 * {@code POST /api/login} (what the dashboard calls when someone signs in with a token; recorded in
 * the audit log) and {@code GET /api/session} (who am I, not recorded).
 */
final class SessionRoutes {
  static final String LOGIN = "/login";

  private final AuditLog audit;

  SessionRoutes(AuditLog audit) {
    this.audit = audit;
  }

  void register(Router r) {
    r.add("POST", LOGIN, Role.VIEWER, this::login);
    r.add("GET", "/session", Role.VIEWER, SessionRoutes::session);
  }

  private void login(Call call) throws IOException {
    audit.append(
        call.actor(),
        AuditAction.LOGIN,
        call.token().name(),
        Map.of(
            "token",
            call.token().id(),
            "role",
            call.token().role().key(),
            "remote",
            String.valueOf(call.exchange().getRemoteAddress().getAddress())));
    session(call);
  }

  private static void session(Call call) throws IOException {
    call.json(200, Views.token(call.token()));
  }
}
