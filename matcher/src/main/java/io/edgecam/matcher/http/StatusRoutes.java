package io.edgecam.matcher.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.matcher.Watchlist;
import io.edgecam.matcher.auth.Role;
import java.io.IOException;

/**
 * {@code GET /api/status}: the matcher's operating point (list size, effective threshold, expected
 * false alarms per 1,000 strangers, expected miss rate, the model it expects).
 */
final class StatusRoutes {
  private final Watchlist watchlist;

  StatusRoutes(Watchlist watchlist) {
    this.watchlist = watchlist;
  }

  void register(Router r) {
    r.add("GET", "/status", Role.VIEWER, this::status);
  }

  private void status(Call call) throws IOException {
    ObjectNode body = Json.object();
    body.set("operatingPoint", watchlist.operatingPoint().toJson());
    call.json(200, body);
  }
}
