package io.edgecam.face.detect;

import java.util.Arrays;

/**
 * One detected face in source-image pixels (continuous coordinates: pixel edges at integers).
 *
 * @param x left edge
 * @param y top edge
 * @param width box width
 * @param height box height
 * @param score detector confidence, 0..1
 * @param keypoints 6 points as {@code x0,y0,...,x5,y5}: 0 the eye on the image's left (the
 *     subject's right eye), 1 the other eye, 2 nose tip, 3 mouth centre, 4 and 5 the ears
 */
public record Detection(
    float x, float y, float width, float height, float score, float[] keypoints) {
  /** Number of keypoints. */
  public static final int KEYPOINTS = 6;

  public Detection {
    if (keypoints.length != 2 * KEYPOINTS) {
      throw new IllegalArgumentException("keypoints.length != 12: " + keypoints.length);
    }
    if (!(width >= 0) || !(height >= 0)) {
      throw new IllegalArgumentException("box size must be >= 0, was " + width + "x" + height);
    }
    keypoints = keypoints.clone();
  }

  /** A copy of the keypoints. */
  @Override
  public float[] keypoints() {
    return keypoints.clone();
  }

  /** X of keypoint {@code i} (0..5). */
  public float keypointX(int i) {
    return keypoints[2 * i];
  }

  /** Y of keypoint {@code i} (0..5). */
  public float keypointY(int i) {
    return keypoints[2 * i + 1];
  }

  /** Box area in square pixels. */
  public float area() {
    return width * height;
  }

  /** Intersection over union of the two boxes. */
  public float iou(Detection other) {
    float ix = Math.min(x + width, other.x + other.width) - Math.max(x, other.x);
    float iy = Math.min(y + height, other.y + other.height) - Math.max(y, other.y);
    if (ix <= 0 || iy <= 0) {
      return 0;
    }
    float inter = ix * iy;
    return inter / (area() + other.area() - inter);
  }

  /** True if the box reaches outside a {@code width x height} image. */
  public boolean crossesBorder(int imageWidth, int imageHeight) {
    return x < 0 || y < 0 || x + width > imageWidth || y + height > imageHeight;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Detection d
        && x == d.x
        && y == d.y
        && width == d.width
        && height == d.height
        && score == d.score
        && Arrays.equals(keypoints, d.keypoints);
  }

  @Override
  public int hashCode() {
    return 31 * Float.hashCode(score) + Arrays.hashCode(keypoints);
  }

  @Override
  public String toString() {
    return String.format(
        "Detection[x=%.1f, y=%.1f, w=%.1f, h=%.1f, score=%.3f]", x, y, width, height, score);
  }
}
