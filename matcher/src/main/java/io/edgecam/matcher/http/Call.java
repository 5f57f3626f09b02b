package io.edgecam.matcher.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.edgecam.matcher.auth.ApiToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One API request being answered: path parameters, query parameters, the authenticated token, the
 * body (read once, bounded) and the response. Used by one handler thread.
 */
final class Call {
  private final HttpExchange exchange;
  private final List<String> pathParams;
  private final Map<String, String> query;
  private final ApiToken token;
  private boolean responded;

  Call(HttpExchange exchange, List<String> pathParams, ApiToken token) {
    this.exchange = exchange;
    this.pathParams = pathParams;
    this.query = parseQuery(exchange.getRequestURI().getRawQuery());
    this.token = token;
  }

  HttpExchange exchange() {
    return exchange;
  }

  /** The token that authenticated this call. */
  ApiToken token() {
    return token;
  }

  /** How the audit log names the caller. */
  String actor() {
    return token.actor();
  }

  /** The {@code i}-th {@code {...}} segment of the route's path, decoded. */
  String pathParam(int i) {
    return pathParams.get(i);
  }

  /** A query parameter, or null if absent or empty. */
  @Nullable String query(String name) {
    String v = query.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** The request's Content-Type, or "". */
  String contentType() {
    String ct = exchange.getRequestHeaders().getFirst("Content-Type");
    return ct == null ? "" : ct;
  }

  /**
   * Reads the whole body.
   *
   * @throws ApiError 413 if it is longer than {@code maxBytes}
   */
  byte[] body(int maxBytes) throws IOException {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.trim()) > maxBytes) {
          throw ApiError.tooLarge("the request body is larger than " + maxBytes + " bytes");
        }
      } catch (NumberFormatException e) {
        throw ApiError.badRequest("Content-Length is not a number");
      }
    }
    try (InputStream in = exchange.getRequestBody()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[16 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (out.size() + n > maxBytes) {
          throw ApiError.tooLarge("the request body is larger than " + maxBytes + " bytes");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }

  /** Sends {@code body} as JSON with {@code status}. */
  void json(int status, JsonNode body) throws IOException {
    send(status, "application/json", Json.bytes(body));
  }

  /** Sends an empty 204. */
  void noContent() throws IOException {
    responded = true;
    exchange.sendResponseHeaders(204, -1);
    exchange.close();
  }

  void send(int status, String contentType, byte[] body) throws IOException {
    responded = true;
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Marks the response as taken over by someone else (the event stream). */
  void detach() {
    responded = true;
  }

  boolean responded() {
    return responded;
  }

  private static Map<String, String> parseQuery(@Nullable String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        out.putIfAbsent(
            URLDecoder.decode(k, StandardCharsets.UTF_8),
            URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest("malformed query string: " + e.getMessage());
      }
    }
    return out;
  }
}
