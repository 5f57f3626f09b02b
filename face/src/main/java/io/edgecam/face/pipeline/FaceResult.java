package io.edgecam.face.pipeline;

import io.edgecam.face.detect.Detection;
import io.edgecam.face.quality.QualityVerdict;

/**
 * One face found in a frame.
 *
 * @param detection box, score and keypoints in source pixels
 * @param quality the quality gate's verdict
 * @param embedding L2-normalised embedding, or null when the quality gate rejected the face
 */
public record FaceResult(Detection detection, QualityVerdict quality, float[] embedding) {
  public FaceResult {
    if (detection == null || quality == null) {
      throw new IllegalArgumentException("detection and quality must not be null");
    }
  }
}
