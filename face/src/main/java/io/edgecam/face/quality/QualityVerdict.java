package io.edgecam.face.quality;

/**
 * The quality gate's decision on one face, with the measured figures.
 *
 * @param reason why the face was rejected, or {@link Reason#NONE} if it passed
 * @param faceSize smaller side of the detector box, source pixels
 * @param sharpness variance of the Laplacian of the aligned grey face
 * @param yawDegrees estimated yaw (sign: positive = nose towards the image's right)
 * @param rollDegrees tilt of the eye line
 */
public record QualityVerdict(
    Reason reason, float faceSize, double sharpness, double yawDegrees, double rollDegrees) {

  /** Why a face was rejected; checked in this order. */
  public enum Reason {
    NONE,
    TOO_SMALL,
    LOW_SCORE,
    BLURRY,
    YAW,
    ROLL
  }

  /** True if the face may be embedded. */
  public boolean passed() {
    return reason == Reason.NONE;
  }

  /** Human-readable summary, e.g. {@code "rejected: BLURRY (sharpness 8.1 < 20.0)"}. */
  public String describe(QualityThresholds t) {
    return switch (reason) {
      case NONE -> "ok";
      case TOO_SMALL ->
          String.format("rejected: TOO_SMALL (%.0f px < %d px)", faceSize, t.minFaceSize());
      case LOW_SCORE -> String.format("rejected: LOW_SCORE (< %.2f)", t.minScore());
      case BLURRY ->
          String.format("rejected: BLURRY (sharpness %.1f < %.1f)", sharpness, t.minSharpness());
      case YAW ->
          String.format("rejected: YAW (%.0f deg > %.0f)", Math.abs(yawDegrees), t.maxYawDegrees());
      case ROLL ->
          String.format(
              "rejected: ROLL (%.0f deg > %.0f)", Math.abs(rollDegrees), t.maxRollDegrees());
    };
  }
}
