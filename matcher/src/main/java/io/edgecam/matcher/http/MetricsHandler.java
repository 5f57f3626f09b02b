package io.edgecam.matcher.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.edgecam.matcher.auth.ApiTokens;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * {@code GET /metrics}: the Prometheus text exposition, for any valid API token (Prometheus sends
 * it with {@code authorization: {credentials: ...}}). Counters only, no personal data, but they
 * still describe the deployment, hence the token.
 */
final class MetricsHandler implements HttpHandler {
  private final Supplier<String> scrape;
  private final ApiTokens tokens;
  private final AccessGuard guard;

  MetricsHandler(Supplier<String> scrape, ApiTokens tokens, AccessGuard guard) {
    this.scrape = scrape;
    this.tokens = tokens;
    this.guard = guard;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      SecurityHeaders.apply(exchange, false);
      String source = ApiHandler.source(exchange);
      guard.flush();
      Duration locked = guard.lockedFor(source);
      if (locked != null) {
        guard.refused(source, "anonymous", 429, "/metrics", false);
        exchange.getResponseHeaders().set("Retry-After", String.valueOf(locked.toSeconds() + 1));
        send(exchange, 429, "text/plain; charset=utf-8", "too many failed logins\n");
        return;
      }
      String secret = Router.bearer(exchange.getRequestHeaders().getFirst("Authorization"));
      if (secret == null || tokens.authenticate(secret) == null) {
        guard.refused(source, "anonymous", 401, "/metrics", secret != null);
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"edgecam\"");
        send(exchange, 401, "text/plain; charset=utf-8", "a valid API token is required\n");
        return;
      }
      guard.succeeded(source);
      send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", scrape.get());
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String text)
      throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
