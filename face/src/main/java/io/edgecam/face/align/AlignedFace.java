package io.edgecam.face.align;

/**
 * An aligned 112x112 RGB face crop as floats in pixel units (0..255), interleaved row-major. A
 * reusable buffer: {@link FaceAligner#align} overwrites it. Not thread-safe.
 */
public final class AlignedFace {
  /** Side of the aligned crop in pixels. */
  public static final int SIZE = 112;

  private final float[] rgb = new float[SIZE * SIZE * 3];

  /** The pixel buffer (not a copy). */
  public float[] rgb() {
    return rgb;
  }

  /** Mean of each channel (r, g, b), 0..255. */
  public double[] meanRgb() {
    double[] mean = new double[3];
    for (int i = 0; i < rgb.length; i++) {
      mean[i % 3] += rgb[i];
    }
    for (int c = 0; c < 3; c++) {
      mean[c] /= SIZE * SIZE;
    }
    return mean;
  }
}
