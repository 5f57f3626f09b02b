package io.edgecam.matcher.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.edgecam.matcher.auth.ApiToken;
import io.edgecam.matcher.auth.ApiTokens;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything below {@code /api/}: authenticates the bearer token, checks the route's role, runs the
 * route and turns every failure into a JSON error. An unexpected exception is logged with its stack
 * trace and answered with a plain 500 that reveals nothing of it.
 */
final class ApiHandler implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
  static final String PREFIX = "/api";

  private final Router router;
  private final ApiTokens tokens;
  private final AccessGuard guard;

  ApiHandler(Router router, ApiTokens tokens, AccessGuard guard) {
    this.router = router;
    this.tokens = tokens;
    this.guard = guard;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
    SecurityHeaders.apply(exchange, false);
    Call call = null;
    int status;
    String source = source(exchange);
    guard.flush();
    try {
      Router.Match match = router.route(method, path);
      ApiToken token = authenticate(exchange, path, source);
      if (!token.role().includes(match.route().role())) {
        guard.refused(source, token.actor(), 403, "/api" + path, false);
        throw ApiError.forbidden(
            "this needs the "
                + match.route().role().key()
                + " role; the token '"
                + token.name()
                + "' has "
                + token.role().key());
      }
      call = new Call(exchange, match.params(), token);
      match.route().handler().handle(call);
      status = exchange.getResponseCode();
    } catch (ApiError e) {
      status = e.status;
      if (call == null || !call.responded()) {
        error(exchange, e);
      }
    } catch (IOException e) {
      // The client went away mid-response; nothing to answer.
      log.debug("{} {}: connection failed: {}", method, path, e.getMessage());
      exchange.close();
      return;
    } catch (RuntimeException e) {
      status = 500;
      log.error("{} /api{} failed", method, path, e);
      if (call == null || !call.responded()) {
        error(
            exchange,
            new ApiError(500, "internal", "internal error; the matcher's log has the cause", null));
      }
    }
    if (log.isDebugEnabled()) {
      log.debug(
          "{} /api{} -> {} in {} ms{}",
          method,
          path,
          status,
          (System.nanoTime() - start) / 1_000_000,
          call == null ? "" : " (" + call.actor() + ")");
    }
  }

  private ApiToken authenticate(HttpExchange exchange, String path, String source) {
    Duration locked = guard.lockedFor(source);
    if (locked != null) {
      guard.refused(source, "anonymous", 429, "/api" + path, false);
      long seconds = Math.max(1, locked.toSeconds());
      exchange.getResponseHeaders().set("Retry-After", String.valueOf(seconds));
      throw new ApiError(
          429,
          "too_many_failures",
          "too many failed logins from this address; retry in " + seconds + " s",
          null);
    }
    String secret = Router.bearer(exchange.getRequestHeaders().getFirst("Authorization"));
    if (secret == null) {
      exchange
          .getResponseHeaders()
          .set("WWW-Authenticate", "Bearer realm=\"edgecam\", error=\"invalid_request\"");
      guard.refused(source, "anonymous", 401, "/api" + path, false);
      throw ApiError.unauthorized("missing 'Authorization: Bearer TOKEN' header");
    }
    ApiToken token = tokens.authenticate(secret);
    if (token == null) {
      exchange
          .getResponseHeaders()
          .set("WWW-Authenticate", "Bearer realm=\"edgecam\", error=\"invalid_token\"");
      // Never the secret; the address says where the attempt came from.
      guard.refused(source, "anonymous", 401, "/api" + path, true);
      throw ApiError.unauthorized("the token is unknown, revoked or expired");
    }
    guard.succeeded(source);
    return token;
  }

  /** The client's address, as the audit log and the back-off know it. */
  static String source(HttpExchange exchange) {
    InetSocketAddress remote = exchange.getRemoteAddress();
    return remote == null || remote.getAddress() == null
        ? "unknown"
        : remote.getAddress().getHostAddress();
  }

  private static void error(HttpExchange exchange, ApiError e) {
    ObjectNode body = Json.object().put("error", e.code).put("message", e.getMessage());
    if (e.field != null) {
      body.put("field", e.field);
    }
    byte[] bytes = Json.bytes(body);
    try {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(e.status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    } catch (IOException io) {
      log.debug("Sending a {} failed: {}", e.status, io.getMessage());
      exchange.close();
    }
  }
}
