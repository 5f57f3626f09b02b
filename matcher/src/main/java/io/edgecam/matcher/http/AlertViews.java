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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Alerts as the API shows them to operators: {@link Views#alert} plus their review ({@code review},
 * from the store), {@code firstMatch: true} on an entry's earliest stored alert (the first match of
 * a newly enrolled entry) and, when {@code oversight.playbackUrls} has one for the camera, {@code
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
    return with(a, store.reviews(a.id()), a.id().equals(store.firstAlertId(a.entryId())));
  }

  ArrayNode list(List<Alert> alerts) {
    Map<String, AlertReviews> reviews = store.reviews(alerts.stream().map(Alert::id).toList());
    Map<String, String> firsts = new HashMap<>();
    for (Alert a : alerts) {
      if (!firsts.containsKey(a.entryId())) {
        String first = store.firstAlertId(a.entryId());
        firsts.put(a.entryId(), first == null ? "" : first);
      }
    }
    ArrayNode out = Json.array();
    alerts.forEach(
        a -> out.add(with(a, reviews.get(a.id()), a.id().equals(firsts.get(a.entryId())))));
    return out;
  }

  private ObjectNode with(Alert a, @Nullable AlertReviews r, boolean firstMatch) {
    ObjectNode o = Views.alert(a);
    if (firstMatch) {
      o.put("firstMatch", true);
    }
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
