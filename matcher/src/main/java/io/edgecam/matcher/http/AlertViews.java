package io.edgecam.matcher.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.matcher.config.OversightConfig;
import io.edgecam.matcher.oversight.AlertReviews;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.protocol.Alert;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Alerts as the API shows them to operators: {@link Views#alert} plus their review ({@code review},
 * from the store) and, when {@code oversight.playbackUrls} has one for the camera, {@code
 * playbackUrl}: the camera's own recording at the capture time.
 */
final class AlertViews {
  private final MatcherStore store;
  private final OversightConfig oversight;

  AlertViews(MatcherStore store, OversightConfig oversight) {
    this.store = store;
    this.oversight = oversight;
  }

  ObjectNode one(Alert a) {
    return with(a, store.reviews(a.id()));
  }

  ArrayNode list(List<Alert> alerts) {
    Map<String, AlertReviews> reviews = store.reviews(alerts.stream().map(Alert::id).toList());
    ArrayNode out = Json.array();
    alerts.forEach(a -> out.add(with(a, reviews.get(a.id()))));
    return out;
  }

  private ObjectNode with(Alert a, @Nullable AlertReviews r) {
    ObjectNode o = Views.alert(a);
    AlertReviews review = r == null ? AlertReviews.pending(a.id()) : r;
    o.put("state", review.state().key());
    o.set("review", Views.review(review, oversight.confirmations()));
    String url = playbackUrl(oversight.playbackUrl(a.site(), a.device()), a);
    if (url != null) {
      o.put("playbackUrl", url);
    }
    return o;
  }

  /** Fills a playback URL template for an alert; null for no template. */
  static @Nullable String playbackUrl(@Nullable String template, Alert a) {
    if (template == null) {
      return null;
    }
    return template
        .replace("{captureTime}", enc(Instant.ofEpochMilli(a.captureTimeMillis()).toString()))
        .replace("{captureTimeMillis}", Long.toString(a.captureTimeMillis()))
        .replace("{site}", enc(a.site()))
        .replace("{device}", enc(a.device()));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
