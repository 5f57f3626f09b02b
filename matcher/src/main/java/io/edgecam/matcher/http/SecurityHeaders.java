package io.edgecam.matcher.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

/** Headers every response carries: no caching of personal data, no framing, no sniffing. */
final class SecurityHeaders {
  /** Scripts, styles and API calls from this origin only; no inline code, no plugins. */
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private SecurityHeaders() {}

  static void apply(HttpExchange exchange, boolean cacheable) {
    Headers h = exchange.getResponseHeaders();
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "no-referrer");
    h.set("Content-Security-Policy", CSP);
    h.set("Cache-Control", cacheable ? "no-cache" : "no-store");
  }
}
