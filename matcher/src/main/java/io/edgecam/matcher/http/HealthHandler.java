package io.edgecam.matcher.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.edgecam.protocol.Health;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /health}, unauthenticated for load balancers and systemd watchdogs: the matcher's
 * component health and the worst of them; 200 unless a component FAILED (then 503). Holds no
 * personal data.
 */
final class HealthHandler implements HttpHandler {
  private final Supplier<Map<String, Health>> components;

  HealthHandler(Supplier<Map<String, Health>> components) {
    this.components = components;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      SecurityHeaders.apply(exchange, false);
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      Health.State worst = Health.State.OK;
      ObjectNode body = Json.object();
      ObjectNode parts = Json.object();
      for (Map.Entry<String, Health> e : components.get().entrySet()) {
        Health h = e.getValue();
        parts.putObject(e.getKey()).put("state", h.state().name()).put("reason", h.reason());
        if (h.state().compareTo(worst) > 0) {
          worst = h.state();
        }
      }
      body.put("status", worst.name());
      body.set("components", parts);
      byte[] bytes = Json.bytes(body);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(worst == Health.State.FAILED ? 503 : 200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
