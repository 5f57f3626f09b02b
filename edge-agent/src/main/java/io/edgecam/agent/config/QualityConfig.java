package io.edgecam.agent.config;

/**
 * Quality gate thresholds ({@code pipeline.quality} in agent.yaml); faces below them are tracked
 * but never embedded or sent.
 *
 * @param minFaceSize minimum face box side in source pixels
 * @param minScore minimum detection score, 0..1
 * @param minSharpness minimum variance of the Laplacian of the aligned face (blur)
 * @param maxYawDegrees maximum head yaw estimated from the keypoints
 * @param maxRollDegrees maximum head roll (eye line angle)
 */
public record QualityConfig(
    int minFaceSize,
    double minScore,
    double minSharpness,
    double maxYawDegrees,
    double maxRollDegrees) {

  public QualityConfig {
    if (minFaceSize < 16 || minFaceSize > 4096) {
      throw new IllegalArgumentException("minFaceSize must be in 16..4096, was " + minFaceSize);
    }
    if (!(minScore >= 0 && minScore <= 1)) {
      throw new IllegalArgumentException("minScore must be in [0,1], was " + minScore);
    }
    if (!(minSharpness >= 0)) {
      throw new IllegalArgumentException("minSharpness must be >= 0, was " + minSharpness);
    }
    if (!(maxYawDegrees > 0 && maxYawDegrees <= 90)) {
      throw new IllegalArgumentException("maxYawDegrees must be in (0,90], was " + maxYawDegrees);
    }
    if (!(maxRollDegrees > 0 && maxRollDegrees <= 180)) {
      throw new IllegalArgumentException(
          "maxRollDegrees must be in (0,180], was " + maxRollDegrees);
    }
  }
}
