package io.edgecam.matcher.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's files and the OpenAPI document, from the jar ({@code
 * io/edgecam/matcher/http/dashboard/}). Public: they hold no data; every datum comes from the
 * authenticated API. Only flat names of known types are served, so no path can leave the folder.
 */
final class StaticFiles implements HttpHandler {
  private static final String ROOT = "/io/edgecam/matcher/http/";
  private static final Pattern NAME = Pattern.compile("[a-z0-9-]+\\.(html|js|css|svg|json)");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "json", "application/json");

  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String resource = resource(path);
      byte[] body = resource == null ? null : load(resource);
      SecurityHeaders.apply(exchange, true);
      if (body == null) {
        byte[] msg = "not found\n".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(404, msg.length);
        exchange.getResponseBody().write(msg);
        return;
      }
      String ext = resource.substring(resource.lastIndexOf('.') + 1);
      exchange.getResponseHeaders().set("Content-Type", TYPES.get(ext));
      if (method.equals("HEAD")) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The classpath resource for a request path, or null. */
  static @Nullable String resource(String path) {
    if (path.equals("/") || path.equals("/index.html")) {
      return ROOT + "dashboard/index.html";
    }
    if (path.equals(ApiHandler.PREFIX + "/openapi.json")) {
      return ROOT + "openapi.json";
    }
    if (path.startsWith("/ui/") && NAME.matcher(path.substring(4)).matches()) {
      return ROOT + "dashboard/" + path.substring(4);
    }
    return null;
  }

  private byte @Nullable [] load(String resource) throws IOException {
    byte[] cached = cache.get(resource);
    if (cached != null) {
      return cached;
    }
    try (InputStream in = StaticFiles.class.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      byte[] bytes = in.readAllBytes();
      cache.put(resource, bytes);
      return bytes;
    }
  }
}
