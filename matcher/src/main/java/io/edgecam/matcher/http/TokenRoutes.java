package io.edgecam.matcher.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.auth.ApiToken;
import io.edgecam.matcher.auth.ApiTokens;
import io.edgecam.matcher.auth.Role;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * API tokens (admins): list, issue (the secret is in the response once and never again) and revoke.
 * Every change is recorded in the audit log; secrets never are.
 */
final class TokenRoutes {
  static final int MAX_DAYS = 3650;

  private final ApiTokens tokens;
  private final AuditLog audit;

  TokenRoutes(ApiTokens tokens, AuditLog audit) {
    this.tokens = tokens;
    this.audit = audit;
  }

  void register(Router r) {
    r.add("GET", "/tokens", Role.ADMIN, this::list);
    r.add("POST", "/tokens", Role.ADMIN, this::issue);
    r.add("DELETE", "/tokens/{id}", Role.ADMIN, this::revoke);
  }

  private void list(Call call) throws IOException {
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("tokens");
    tokens.list().forEach(t -> list.add(Views.token(t)));
    call.json(200, body);
  }

  private void issue(Call call) throws IOException {
    ObjectNode body = Json.parseObject(call.body(16 * 1024));
    String name = Fields.requireText("name", Fields.text(body, "name"), 100);
    String person = Fields.text(body, "person");
    if (person == null) {
      person = name;
    }
    try {
      ApiToken.requirePerson(person);
    } catch (IllegalArgumentException e) {
      throw ApiError.badField("person", e.getMessage());
    }
    String roleText = Fields.requireText("role", Fields.text(body, "role"), 20);
    Role role;
    try {
      role = Role.parse(roleText);
    } catch (IllegalArgumentException e) {
      throw ApiError.badField("role", e.getMessage());
    }
    Duration validFor = null;
    if (body.hasNonNull("expiresInDays")) {
      if (!body.get("expiresInDays").canConvertToExactIntegral()) {
        throw ApiError.badField("expiresInDays", "expiresInDays must be an integer");
      }
      int days =
          Fields.intInRange(
              "expiresInDays", body.get("expiresInDays").asText(), 1, MAX_DAYS, MAX_DAYS);
      validFor = Duration.ofDays(days);
    }
    ApiTokens.Issued issued = tokens.issue(name, person, role, call.actor(), validFor);
    audit.append(call.actor(), AuditAction.ACCESS_CHANGE, name, change("issued", issued.token()));
    ObjectNode out = Json.object().put("secret", issued.secret());
    out.set("token", Views.token(issued.token()));
    call.json(201, out);
  }

  private void revoke(Call call) throws IOException {
    String id = call.pathParam(0);
    ApiToken t = tokens.list().stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
    if (t == null || !tokens.revoke(id)) {
      throw ApiError.notFound("no active token " + id);
    }
    audit.append(call.actor(), AuditAction.ACCESS_CHANGE, t.name(), change("revoked", t));
    call.noContent();
  }

  static Map<String, Object> change(String what, ApiToken t) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("change", what);
    d.put("token", t.id());
    d.put("person", t.person());
    d.put("role", t.role().key());
    if (t.expiresAt() != null) {
      d.put("expires", t.expiresAt().toString());
    }
    return d;
  }
}
