package io.edgecam.matcher.http;

import io.edgecam.matcher.auth.Role;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The API's routes: method, path template ({@code /watchlist/{id}}) and the least role allowed.
 * Filled at start, read-only afterwards.
 */
final class Router {
  /** Answers one call. */
  @FunctionalInterface
  interface Handler {
    void handle(Call call) throws IOException;
  }

  /** A matched route and its decoded path parameters. */
  record Match(Route route, List<String> params) {}

  record Route(String method, String template, Pattern pattern, Role role, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();

  /** Adds a route; {@code {name}} in {@code template} matches one path segment. */
  Router add(String method, String template, Role role, Handler handler) {
    String regex = template.replaceAll("\\{[a-zA-Z]+}", "([^/]+)");
    routes.add(new Route(method, template, Pattern.compile(regex), role, handler));
    return this;
  }

  /**
   * The route for {@code method} and {@code path} (below {@code /api}).
   *
   * @throws ApiError 404 if no route has this path, 405 if none has it with this method
   */
  Match route(String method, String path) {
    TreeSet<String> allowed = new TreeSet<>();
    for (Route r : routes) {
      Matcher m = r.pattern().matcher(path);
      if (!m.matches()) {
        continue;
      }
      if (!r.method().equals(method)) {
        allowed.add(r.method());
        continue;
      }
      List<String> params = new ArrayList<>();
      for (int i = 1; i <= m.groupCount(); i++) {
        params.add(URLDecoder.decode(m.group(i), StandardCharsets.UTF_8));
      }
      return new Match(r, params);
    }
    if (!allowed.isEmpty()) {
      throw new ApiError(
          405,
          "method_not_allowed",
          method + " is not allowed on /api" + path + "; allowed: " + String.join(", ", allowed),
          null);
    }
    throw ApiError.notFound("no such API path: /api" + path);
  }

  /** Every route, in the order added (for documentation checks). */
  List<Route> routes() {
    return List.copyOf(routes);
  }

  static @Nullable String bearer(@Nullable String authorization) {
    if (authorization == null) {
      return null;
    }
    String a = authorization.trim();
    return a.regionMatches(true, 0, "Bearer ", 0, 7) ? a.substring(7).trim() : null;
  }
}
