package io.edgecam.matcher.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.matcher.Watchlist;
import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.auth.Role;
import io.edgecam.matcher.config.WatchlistConfig;
import io.edgecam.matcher.watchlist.Authorization;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.EdgecamException;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The watchlist: list ({@code GET /api/watchlist}), enroll from images ({@code POST
 * /api/watchlist}, multipart or JSON with base64 images), delete ({@code DELETE
 * /api/watchlist/{id}}) and extend ({@code POST /api/watchlist/{id}/extend}) with a new legal basis
 * and expiry. Legal basis and expiry are required everywhere. Changes are recorded in the audit log
 * by {@link Watchlist}.
 */
final class WatchlistRoutes {
  /** Largest enrollment request: a few phone photos. */
  static final int MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

  static final int MAX_IMAGES = 10;
  static final int MAX_LEGAL_BASIS = 500;
  private static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
  private static final List<String> FIELDS =
      List.of(
          "id",
          "label",
          "legalBasis",
          "expires",
          "threshold",
          "authorisedBy",
          "authorisationRef",
          "sites",
          "devices",
          "windowFrom",
          "windowUntil");

  private final Watchlist watchlist;
  private final Enroller enroller;
  private final Clock clock;
  private final AuditLog audit;

  WatchlistRoutes(Watchlist watchlist, Enroller enroller, Clock clock, AuditLog audit) {
    this.watchlist = watchlist;
    this.enroller = enroller;
    this.clock = clock;
    this.audit = audit;
  }

  void register(Router r) {
    r.add("GET", "/watchlist", Role.VIEWER, this::list);
    r.add("POST", "/watchlist", Role.OPERATOR, this::create);
    r.add("DELETE", "/watchlist/{id}", Role.OPERATOR, this::delete);
    r.add("POST", "/watchlist/{id}/extend", Role.OPERATOR, this::extend);
  }

  private void list(Call call) throws IOException {
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("entries");
    List<WatchlistEntry> entries = watchlist.entries();
    for (WatchlistEntry e : entries) {
      list.add(Views.entry(e, clock.instant()));
    }
    WatchlistConfig policy = watchlist.policy();
    body.putObject("policy")
        .put("maxRetentionDays", policy.maxRetentionDays())
        .put("minLegalBasisLength", policy.minLegalBasisLength())
        .put(
            "latestExpiry",
            LocalDate.ofInstant(policy.expiryBound(clock.instant()), ZoneOffset.UTC)
                .minusDays(1)
                .toString());
    // Names and legal bases are personal data: who read them is on record.
    audit.append(
        call.actor(), AuditAction.WATCHLIST_VIEW, "watchlist", Map.of("entries", entries.size()));
    call.json(200, body);
  }

  private void create(Call call) throws IOException {
    byte[] raw = call.body(MAX_UPLOAD_BYTES);
    Map<String, String> fields = new HashMap<>();
    List<Enroller.Upload> images = new ArrayList<>();
    String boundary = Multipart.boundary(call.contentType());
    if (boundary != null) {
      for (Multipart.Part p : Multipart.parse(raw, boundary)) {
        if (p.filename() != null) {
          if (p.name().equals("images") && p.data().length > 0) {
            images.add(new Enroller.Upload(p.filename(), p.data()));
          }
        } else {
          fields.putIfAbsent(p.name(), p.text());
        }
      }
    } else if (call.contentType().startsWith("application/json")) {
      ObjectNode body = Json.parseObject(raw);
      for (String f : FIELDS) {
        JsonNode n = body.get(f);
        if (n != null && !n.isNull()) {
          fields.put(f, jsonField(body, f, n));
        }
      }
      images.addAll(base64Images(body));
    } else {
      throw new ApiError(
          415,
          "unsupported_media_type",
          "send multipart/form-data or application/json, not '" + call.contentType() + "'",
          null);
    }
    String id = Fields.requireText("id", fields.get("id"), 64);
    if (!id.matches(ID_PATTERN)) {
      throw ApiError.badField(
          "id", "id must be 1-64 characters of [A-Za-z0-9._-], was '" + id + "'");
    }
    String label = Fields.requireText("label", fields.get("label"), 200);
    String legalBasis = Fields.requireText("legalBasis", fields.get("legalBasis"), MAX_LEGAL_BASIS);
    LocalDate expires = Fields.futureDate("expires", fields.get("expires"), today());
    checkPolicy(legalBasis, expires);
    Double threshold = Fields.threshold("threshold", fields.get("threshold"));
    Authorization authorization = AuthorizationFields.parse(fields);
    if (images.isEmpty()) {
      throw ApiError.badField("images", "at least one image with the person's face is required");
    }
    if (images.size() > MAX_IMAGES) {
      throw ApiError.badField("images", "at most " + MAX_IMAGES + " images, got " + images.size());
    }
    WatchlistEntry entry =
        enroller.enroll(
            id, label, legalBasis, expires, threshold, authorization, images, call.actor());
    call.exchange().getResponseHeaders().set("Location", "/api/watchlist/" + entry.id());
    call.json(201, Views.entry(entry, clock.instant()));
  }

  private static List<Enroller.Upload> base64Images(ObjectNode body) {
    JsonNode images = body.get("images");
    if (images == null || images.isNull()) {
      return List.of();
    }
    if (!images.isArray()) {
      throw ApiError.badField("images", "images must be an array of {name, data (base64)}");
    }
    List<Enroller.Upload> out = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      JsonNode img = images.get(i);
      String field = "images[" + i + "]";
      if (!img.isObject() || !img.path("data").isTextual()) {
        throw ApiError.badField(field, field + " must be an object with a base64 'data' string");
      }
      byte[] data;
      try {
        data = Base64.getMimeDecoder().decode(stripDataUrl(img.get("data").asText()));
      } catch (IllegalArgumentException e) {
        throw ApiError.badField(field, field + ".data is not base64: " + e.getMessage());
      }
      String name = img.path("name").isTextual() ? img.get("name").asText() : "image-" + (i + 1);
      out.add(new Enroller.Upload(name, data));
    }
    return out;
  }

  /** Accepts a {@code data:image/jpeg;base64,...} URL as well as bare base64. */
  private static String stripDataUrl(String data) {
    int comma = data.indexOf(',');
    return data.startsWith("data:") && comma > 0 ? data.substring(comma + 1) : data;
  }

  private void delete(Call call) throws IOException {
    String id = call.pathParam(0);
    if (!watchlist.remove(id, call.actor())) {
      throw ApiError.notFound("no watchlist entry " + id);
    }
    call.noContent();
  }

  private void extend(Call call) throws IOException {
    String id = call.pathParam(0);
    ObjectNode body = Json.parseObject(call.body(64 * 1024));
    String legalBasis =
        Fields.requireText("legalBasis", Fields.text(body, "legalBasis"), MAX_LEGAL_BASIS);
    LocalDate expires = Fields.futureDate("expires", Fields.text(body, "expires"), today());
    checkPolicy(legalBasis, expires);
    if (watchlist.entries().stream().noneMatch(e -> e.id().equals(id))) {
      throw ApiError.notFound("no watchlist entry " + id);
    }
    WatchlistEntry updated;
    try {
      updated =
          watchlist.extend(
              id, expires.atStartOfDay(ZoneOffset.UTC).toInstant(), legalBasis, call.actor());
    } catch (EdgecamException e) {
      throw ApiError.conflict(e.getMessage());
    }
    call.json(200, Views.entry(updated, clock.instant()));
  }

  /** {@code watchlist.minLegalBasisLength} and {@code watchlist.maxRetentionDays}, by field. */
  private void checkPolicy(String legalBasis, LocalDate expires) {
    WatchlistConfig policy = watchlist.policy();
    String basisError = policy.legalBasisError(legalBasis);
    if (basisError != null) {
      throw ApiError.badField("legalBasis", basisError);
    }
    String expiryError =
        policy.expiryError(expires.atStartOfDay(ZoneOffset.UTC).toInstant(), clock.instant());
    if (expiryError != null) {
      throw ApiError.badField("expires", expiryError);
    }
  }

  private static String jsonField(ObjectNode body, String f, JsonNode n) {
    if (f.equals("threshold") && n.isNumber()) {
      return n.asText();
    }
    if ((f.equals("sites") || f.equals("devices")) && n.isArray()) {
      List<String> parts = new ArrayList<>();
      for (JsonNode x : n) {
        if (!x.isTextual()) {
          throw ApiError.badField(f, f + " must be an array of ids");
        }
        parts.add(x.asText());
      }
      return String.join(",", parts);
    }
    return Fields.text(body, f);
  }

  private LocalDate today() {
    return LocalDate.now(clock.withZone(ZoneOffset.UTC));
  }
}
