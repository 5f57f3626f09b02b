package io.edgecam.matcher.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/** Reads request fields and query parameters; each failure is a 400 naming the field. */
final class Fields {
  private Fields() {}

  /** A required, non-blank text of at most {@code max} characters. */
  static String requireText(String field, @Nullable String value, int max) {
    if (value == null || value.isBlank()) {
      throw ApiError.badField(field, field + " is required");
    }
    String v = value.strip();
    if (v.length() > max) {
      throw ApiError.badField(field, field + " must be at most " + max + " characters");
    }
    return v;
  }

  /** The text of a JSON field, or null if absent or null; a non-text value is a 400. */
  static @Nullable String text(ObjectNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw ApiError.badField(field, field + " must be a string");
    }
    return n.asText();
  }

  /** A calendar date {@code YYYY-MM-DD} that must be after {@code today}. */
  static LocalDate futureDate(String field, @Nullable String value, LocalDate today) {
    if (value == null || value.isBlank()) {
      throw ApiError.badField(field, field + " is required (YYYY-MM-DD)");
    }
    LocalDate d;
    try {
      d = LocalDate.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw ApiError.badField(field, field + " must be a date YYYY-MM-DD, was '" + value + "'");
    }
    if (!d.isAfter(today)) {
      throw ApiError.badField(
          field, field + " must be after today (" + today + " UTC), was " + value);
    }
    return d;
  }

  /** An optional ISO-8601 instant ({@code 2025-06-01T12:00:00Z}) as epoch milliseconds. */
  static @Nullable Long instantMillis(String field, @Nullable String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw ApiError.badField(
          field,
          field + " must be an ISO-8601 instant like 2025-06-01T12:00:00Z, was '" + value + "'");
    }
  }

  /** An optional integer in {@code min..max}, else {@code fallback}. */
  static int intInRange(String field, @Nullable String value, int min, int max, int fallback) {
    if (value == null) {
      return fallback;
    }
    int n;
    try {
      n = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw ApiError.badField(field, field + " must be an integer, was '" + value + "'");
    }
    if (n < min || n > max) {
      throw ApiError.badField(field, field + " must be in " + min + ".." + max + ", was " + n);
    }
    return n;
  }

  /** An optional number in (0, 1] (a cosine threshold), or null. */
  static @Nullable Double threshold(String field, @Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    double t;
    try {
      t = Double.parseDouble(value.strip());
    } catch (NumberFormatException e) {
      throw ApiError.badField(field, field + " must be a number, was '" + value + "'");
    }
    if (!(t > 0 && t <= 1)) {
      throw ApiError.badField(field, field + " must be in (0, 1], was " + value);
    }
    return t;
  }
}
