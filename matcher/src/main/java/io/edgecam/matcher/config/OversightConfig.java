package io.edgecam.matcher.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Human oversight of alerts ({@code oversight} in matcher.yaml, docs/console.md).
 *
 * @param confirmations how many different persons must confirm an alert before it is verified and
 *     goes to the action sinks (webhook, {@code edgecam/v1/alerts/verified}); 1..5, default 2 (EU
 *     AI Act Art. 14(5) for remote biometric identification)
 * @param playbackUrls per camera, a link to the camera's own recording at the capture time (a VMS
 *     or NVR playback page), shown on the alert as "view at capture time": key {@code site/device},
 *     {@code site/*} or {@code *} (the most specific wins); value an http(s) URL template with
 *     {@code {captureTime}} (ISO-8601 UTC), {@code {captureTimeMillis}}, {@code {site}} and {@code
 *     {device}}, each URL-encoded when filled in
 */
public record OversightConfig(int confirmations, Map<String, String> playbackUrls) {
  public static final int DEFAULT_CONFIRMATIONS = 2;
  public static final int MAX_CONFIRMATIONS = 5;

  /** Binds the YAML form, filling defaults for missing keys. */
  @JsonCreator
  public static OversightConfig fromYaml(
      @JsonProperty("confirmations") @Nullable Integer confirmations,
      @JsonProperty("playbackUrls") @Nullable Map<String, String> playbackUrls) {
    return new OversightConfig(
        confirmations == null ? DEFAULT_CONFIRMATIONS : confirmations,
        playbackUrls == null ? Map.of() : playbackUrls);
  }

  public OversightConfig {
    if (confirmations < 1 || confirmations > MAX_CONFIRMATIONS) {
      throw new IllegalArgumentException(
          "oversight.confirmations must be in 1.." + MAX_CONFIRMATIONS + ", was " + confirmations);
    }
    if (playbackUrls == null) {
      throw new IllegalArgumentException("oversight.playbackUrls must not be null");
    }
    for (Map.Entry<String, String> e : playbackUrls.entrySet()) {
      String key = e.getKey();
      if (!key.equals("*") && !key.matches("[A-Za-z0-9._-]{1,64}/([A-Za-z0-9._-]{1,64}|\\*)")) {
        throw new IllegalArgumentException(
            "oversight.playbackUrls: key must be site/device, site/* or *, was '" + key + "'");
      }
      String url = e.getValue();
      if (url == null || !url.matches("https?://\\S+")) {
        throw new IllegalArgumentException(
            "oversight.playbackUrls." + key + " must be an http(s) URL, was '" + url + "'");
      }
    }
    playbackUrls = new TreeMap<>(playbackUrls);
  }

  /** Two confirmations, no playback links. */
  public static OversightConfig defaults() {
    return new OversightConfig(DEFAULT_CONFIRMATIONS, Map.of());
  }

  /** The playback URL template for a camera, or null if none is configured. */
  public @Nullable String playbackUrl(String site, String device) {
    String url = playbackUrls.get(site + "/" + device);
    if (url == null) {
      url = playbackUrls.get(site + "/*");
    }
    return url == null ? playbackUrls.get("*") : url;
  }
}
