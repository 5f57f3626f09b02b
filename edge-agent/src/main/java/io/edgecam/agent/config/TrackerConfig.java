package io.edgecam.agent.config;

/**
 * Tracker settings ({@code tracker} in agent.yaml).
 *
 * @param iou minimum intersection-over-union for a face to continue a track, in (0,1]
 * @param bestShotIntervalMs at most one candidate per track per this many milliseconds
 * @param maxAgeMs a track not seen for this many milliseconds ends
 */
public record TrackerConfig(double iou, long bestShotIntervalMs, long maxAgeMs) {
  public TrackerConfig {
    if (!(iou > 0 && iou <= 1)) {
      throw new IllegalArgumentException("iou must be in (0,1], was " + iou);
    }
    if (bestShotIntervalMs < 0 || bestShotIntervalMs > 3_600_000) {
      throw new IllegalArgumentException(
          "bestShotIntervalMs must be in 0..3600000, was " + bestShotIntervalMs);
    }
    if (maxAgeMs < 1 || maxAgeMs > 600_000) {
      throw new IllegalArgumentException("maxAgeMs must be in 1..600000, was " + maxAgeMs);
    }
  }
}
