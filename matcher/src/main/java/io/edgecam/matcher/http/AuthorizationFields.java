package io.edgecam.matcher.http;

import io.edgecam.matcher.watchlist.Authorization;
import io.edgecam.protocol.Ids;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The optional authorisation fields of an enrollment ({@code authorisedBy}, {@code
 * authorisationRef}, {@code sites}, {@code devices}, {@code windowFrom}, {@code windowUntil}):
 * lists are comma-separated (JSON arrays arrive joined), window bounds are {@code YYYY-MM-DD}
 * (00:00 UTC) or ISO instants. Stateless.
 */
final class AuthorizationFields {
  private AuthorizationFields() {}

  /** The authorisation from the request's fields; each mistake is a 400 naming its field. */
  static Authorization parse(Map<String, String> fields) {
    Instant from = windowBound("windowFrom", fields.get("windowFrom"));
    Instant until = windowBound("windowUntil", fields.get("windowUntil"));
    String body = fields.get("authorisedBy");
    String reference = fields.get("authorisationRef");
    if (body != null && body.length() > Authorization.MAX_TEXT) {
      throw ApiError.badField(
          "authorisedBy", "authorisedBy must be at most " + Authorization.MAX_TEXT + " characters");
    }
    if (reference != null && reference.length() > Authorization.MAX_TEXT) {
      throw ApiError.badField(
          "authorisationRef",
          "authorisationRef must be at most " + Authorization.MAX_TEXT + " characters");
    }
    List<String> sites = idList("sites", fields.get("sites"));
    List<String> devices = idList("devices", fields.get("devices"));
    try {
      return new Authorization(body, reference, sites, devices, from, until);
    } catch (IllegalArgumentException e) {
      throw ApiError.badField("windowUntil", e.getMessage());
    }
  }

  private static List<String> idList(String field, @Nullable String value) {
    List<String> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    for (String part : value.split(",")) {
      String id = part.strip();
      if (id.isEmpty()) {
        continue;
      }
      if (!Ids.isValid(id)) {
        throw ApiError.badField(
            field, field + ": '" + id + "' is not a valid id (1-64 of [A-Za-z0-9._-])");
      }
      if (!out.contains(id)) {
        out.add(id);
      }
    }
    return out;
  }

  /** A window bound: an ISO instant, or a date meaning 00:00 UTC of it. */
  private static @Nullable Instant windowBound(String field, @Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    try {
      return v.length() == 10
          ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant()
          : Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw ApiError.badField(
          field,
          field + " must be YYYY-MM-DD or an instant like 2026-03-01T08:00:00Z, was '" + v + "'");
    }
  }
}
