package io.edgecam.agent.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The on-device prefilter ({@code updates.prefilter} in agent.yaml; DESIGN.md section 2, step 7).
 * With a watchlist, a best shot leaves the device only if its cosine to some unexpired entry is at
 * least {@code min(threshold, entry threshold)}.
 *
 * @param enabled compare best shots with the local watchlist; off, every best shot is sent
 * @param threshold global prefilter cosine threshold, in (0, 1]; keep it below the matcher's
 * @param withoutWatchlist what to do while the device has no watchlist (never had one, or its copy
 *     was unusable): {@code pass} sends every best shot (the matcher decides), {@code block} sends
 *     none
 */
public record PrefilterConfig(
    boolean enabled, double threshold, WithoutWatchlist withoutWatchlist) {

  /** Behaviour without a watchlist. */
  public enum WithoutWatchlist {
    @JsonProperty("pass")
    PASS,
    @JsonProperty("block")
    BLOCK
  }

  public PrefilterConfig {
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1], was " + threshold);
    }
    if (withoutWatchlist == null) {
      throw new IllegalArgumentException("withoutWatchlist must be pass or block");
    }
  }
}
