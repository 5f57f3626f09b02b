package io.edgecam.face.align;

import io.edgecam.face.detect.Detection;
import io.edgecam.face.image.AffineSampler;
import io.edgecam.face.image.Frame;

/**
 * Aligns a detected face to a template (by default the standard 112x112 ArcFace one) with a
 * least-squares similarity transform from four keypoints (both eyes, nose tip, mouth centre),
 * bilinear sampling and supersampling when the face shrinks. Not thread-safe (one per pipeline).
 */
public final class FaceAligner {
  /** Template points: left eye, right eye (as seen), nose tip, mouth-corner midpoint. */
  static final double[] TEMPLATE = {
    38.2946, 51.6963,
    73.5318, 51.5014,
    56.0252, 71.7366,
    56.1396, 92.2848,
  };

  private final AffineSampler sampler = new AffineSampler();
  private final double[] src = new double[8];
  private final double[] template;
  private final int size;

  /** Aligns to the 112x112 ArcFace {@link #TEMPLATE}. */
  public FaceAligner() {
    this(TEMPLATE, AlignedFace.SIZE);
  }

  /**
   * Aligns to {@code template} ({@code x0,y0,...,x3,y3} in pixel-index coordinates of a {@code
   * size}x{@code size} chip).
   */
  public FaceAligner(double[] template, int size) {
    if (template.length != 8) {
      throw new IllegalArgumentException(
          "template needs 4 points (8 values), got " + template.length);
    }
    this.template = template.clone();
    this.size = size;
  }

  /** Side of the chips this aligner writes. */
  public int size() {
    return size;
  }

  /** The transform from source pixels to the template for this detection. */
  public SimilarityTransform transform(Detection detection) {
    for (int i = 0; i < 4; i++) {
      src[2 * i] = detection.keypointX(i);
      src[2 * i + 1] = detection.keypointY(i);
    }
    return SimilarityTransform.fit(src, template);
  }

  /**
   * Writes the aligned face of {@code detection} in {@code frame} into {@code out}.
   *
   * @throws IllegalArgumentException if {@code out} is not of this aligner's size
   */
  public void align(Frame frame, Detection detection, AlignedFace out) {
    if (out.size() != size) {
      throw new IllegalArgumentException(
          "aligned face is " + out.size() + "x" + out.size() + ", aligner writes " + size);
    }
    SimilarityTransform inv = transform(detection).inverse();
    // Keypoints and template are both in pixel-index coordinates (as cv2.warpAffine uses them).
    sampler
        .transform(inv.a(), -inv.b(), inv.tx(), inv.b(), inv.a(), inv.ty())
        .normalization(1f, 0f, 0f)
        .windowWholeImage(frame)
        .sample(frame, out.rgb(), 0, size, size);
  }
}
