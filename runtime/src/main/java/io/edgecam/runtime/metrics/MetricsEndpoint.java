package io.edgecam.runtime.metrics;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.Health;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP server (the JDK's) with two read-only resources: {@code GET /metrics}, the
 * Prometheus text format, and {@code GET /health}, {@code {"status":"OK|DEGRADED|FAILED",
 * "components":{name:{"status":..,"reason":..}}}} with 200 unless a component FAILED (503). One
 * thread, {@code edgecam-metrics}. No authentication: bind it to localhost or a management network.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService thread;

  private MetricsEndpoint(HttpServer server, ExecutorService thread) {
    this.server = server;
    this.thread = thread;
  }

  /**
   * Starts serving.
   *
   * @param scrape the current Prometheus text
   * @param health component health
   * @throws EdgecamException if the address cannot be bound
   */
  public static MetricsEndpoint start(
      MetricsConfig config, Supplier<String> scrape, Supplier<Map<String, Health>> health) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(config.address(), config.port()), 16);
    } catch (IOException | IllegalArgumentException e) {
      throw new EdgecamException(
          "metrics: cannot listen on "
              + config.bind()
              + ":"
              + config.port()
              + ": "
              + e.getMessage(),
          e);
    }
    ExecutorService thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "edgecam-metrics");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(thread);
    server.createContext("/metrics", ex -> respond(ex, 200, PROMETHEUS_TEXT, () -> scrape.get()));
    server.createContext(
        "/health",
        ex -> {
          Map<String, Health> h = health.get();
          respond(
              ex, status(h) == Health.State.FAILED ? 503 : 200, "application/json", () -> json(h));
        });
    server.start();
    MetricsEndpoint e = new MetricsEndpoint(server, thread);
    log.info("metrics on http://{}:{}/metrics and /health", config.bind(), e.port());
    return e;
  }

  /** The port it listens on (the chosen one when configured with 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange ex, int status, String type, Supplier<String> body)
      throws IOException {
    try (ex) {
      if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        ex.sendResponseHeaders(405, -1);
        return;
      }
      String path = ex.getRequestURI().getPath();
      if (!path.equals(ex.getHttpContext().getPath())) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      byte[] bytes;
      try {
        bytes = body.get().getBytes(StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        log.warn("{} failed: {}", path, e.getMessage());
        ex.sendResponseHeaders(500, -1);
        return;
      }
      ex.getResponseHeaders().set("Content-Type", type);
      boolean head = "HEAD".equals(ex.getRequestMethod());
      ex.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  /** The worst state of the components (OK when there are none). */
  static Health.State status(Map<String, Health> components) {
    Health.State worst = Health.State.OK;
    for (Health h : components.values()) {
      if (h.state().ordinal() > worst.ordinal()) {
        worst = h.state();
      }
    }
    return worst;
  }

  static String json(Map<String, Health> components) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("status", status(components).name());
    ObjectNode c = o.putObject("components");
    components.forEach(
        (name, h) -> c.putObject(name).put("status", h.state().name()).put("reason", h.reason()));
    return o.toString();
  }

  /** Stops the server (waiting at most a second for exchanges in progress). */
  @Override
  public void close() {
    server.stop(1);
    thread.shutdownNow();
  }
}
