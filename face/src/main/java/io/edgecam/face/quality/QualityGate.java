package io.edgecam.face.quality;

import io.edgecam.face.align.AlignedFace;
import io.edgecam.face.detect.Detection;

/**
 * Decides whether a face is worth embedding: size, detection score, sharpness (variance of the
 * Laplacian on the aligned grey face, so it does not depend on the face's size in the frame) and
 * pose from the keypoints. Stateless apart from a reused grey buffer; not thread-safe.
 */
public final class QualityGate {
  private final QualityThresholds thresholds;
  private final float[] grey = new float[AlignedFace.SIZE * AlignedFace.SIZE];

  public QualityGate(QualityThresholds thresholds) {
    this.thresholds = thresholds;
  }

  /** The thresholds applied. */
  public QualityThresholds thresholds() {
    return thresholds;
  }

  /** Judges {@code detection} whose aligned crop is {@code face}. */
  public QualityVerdict judge(Detection detection, AlignedFace face) {
    float size = Math.min(detection.width(), detection.height());
    double sharpness = sharpness(face);
    double roll = roll(detection);
    double yaw = yaw(detection);
    QualityVerdict.Reason reason;
    if (size < thresholds.minFaceSize()) {
      reason = QualityVerdict.Reason.TOO_SMALL;
    } else if (detection.score() < thresholds.minScore()) {
      reason = QualityVerdict.Reason.LOW_SCORE;
    } else if (sharpness < thresholds.minSharpness()) {
      reason = QualityVerdict.Reason.BLURRY;
    } else if (Math.abs(yaw) > thresholds.maxYawDegrees()) {
      reason = QualityVerdict.Reason.YAW;
    } else if (Math.abs(roll) > thresholds.maxRollDegrees()) {
      reason = QualityVerdict.Reason.ROLL;
    } else {
      reason = QualityVerdict.Reason.NONE;
    }
    return new QualityVerdict(reason, size, sharpness, yaw, roll);
  }

  /** Angle of the line from the image-left eye to the other eye, degrees (0 = level). */
  static double roll(Detection d) {
    return Math.toDegrees(
        Math.atan2(d.keypointY(1) - d.keypointY(0), d.keypointX(1) - d.keypointX(0)));
  }

  /**
   * Yaw estimate: how far the nose tip sits from the eyes' midpoint along the eye line, relative to
   * half the eye distance, read as the sine of the turn. Coarse (about +-10 degrees) but monotonic,
   * which is what a gate needs.
   */
  static double yaw(Detection d) {
    double ex = d.keypointX(1) - d.keypointX(0);
    double ey = d.keypointY(1) - d.keypointY(0);
    double eyeDistance = Math.hypot(ex, ey);
    if (eyeDistance < 1e-6) {
      return 90;
    }
    double mx = (d.keypointX(0) + d.keypointX(1)) / 2;
    double my = (d.keypointY(0) + d.keypointY(1)) / 2;
    double along = ((d.keypointX(2) - mx) * ex + (d.keypointY(2) - my) * ey) / eyeDistance;
    double ratio = Math.max(-1, Math.min(1, along / (eyeDistance / 2)));
    return Math.toDegrees(Math.asin(ratio));
  }

  /** Variance of the 4-neighbour Laplacian of the grey face. */
  double sharpness(AlignedFace face) {
    float[] rgb = face.rgb();
    int n = AlignedFace.SIZE;
    for (int i = 0; i < n * n; i++) {
      grey[i] = 0.299f * rgb[3 * i] + 0.587f * rgb[3 * i + 1] + 0.114f * rgb[3 * i + 2];
    }
    double sum = 0;
    double sumSq = 0;
    int count = 0;
    for (int y = 1; y < n - 1; y++) {
      for (int x = 1; x < n - 1; x++) {
        int i = y * n + x;
        double lap = grey[i - 1] + grey[i + 1] + grey[i - n] + grey[i + n] - 4 * grey[i];
        sum += lap;
        sumSq += lap * lap;
        count++;
      }
    }
    double mean = sum / count;
    return sumSq / count - mean * mean;
  }
}
