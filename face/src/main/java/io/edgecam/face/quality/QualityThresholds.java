package io.edgecam.face.quality;

/**
 * Limits a face must meet to be embedded.
 *
 * @param minFaceSize minimum detector box side (the smaller of width and height), source pixels
 * @param minScore minimum detection score, 0..1
 * @param minSharpness minimum variance of the Laplacian of the aligned 112x112 grey face
 * @param maxYawDegrees maximum estimated head yaw (left/right turn), degrees
 * @param maxRollDegrees maximum in-plane tilt of the eye line, degrees
 */
public record QualityThresholds(
    int minFaceSize,
    float minScore,
    double minSharpness,
    double maxYawDegrees,
    double maxRollDegrees) {

  /** Defaults: lenient enough for press photos, strict enough to drop useless crops. */
  public static final QualityThresholds DEFAULTS = new QualityThresholds(32, 0.6f, 20, 50, 45);

  /** Accept every detected face (evaluation, debugging). */
  public static final QualityThresholds OFF = new QualityThresholds(0, 0f, 0, 90, 180);

  public QualityThresholds {
    if (minFaceSize < 0) {
      throw new IllegalArgumentException("quality.minFaceSize must be >= 0, was " + minFaceSize);
    }
    if (minScore < 0 || minScore > 1) {
      throw new IllegalArgumentException("quality.minScore must be in [0, 1], was " + minScore);
    }
    if (minSharpness < 0) {
      throw new IllegalArgumentException("quality.minSharpness must be >= 0, was " + minSharpness);
    }
    if (maxYawDegrees <= 0 || maxRollDegrees <= 0) {
      throw new IllegalArgumentException(
          "quality.maxYaw/maxRoll must be > 0, were " + maxYawDegrees + ", " + maxRollDegrees);
    }
  }
}
