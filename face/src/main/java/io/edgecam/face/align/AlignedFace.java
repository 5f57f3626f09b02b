package io.edgecam.face.align;

/**
 * An aligned square RGB face crop (112x112 unless given) as floats in pixel units (0..255),
 * interleaved row-major. A reusable buffer: {@link FaceAligner#align} overwrites it. Not
 * thread-safe.
 */
public final class AlignedFace {
  /** Side of the default aligned crop in pixels (the ArcFace template the quality gate uses). */
  public static final int SIZE = 112;

  private final int size;
  private final float[] rgb;

  /** A {@link #SIZE}x{@link #SIZE} crop. */
  public AlignedFace() {
    this(SIZE);
  }

  /** A {@code size}x{@code size} crop. */
  public AlignedFace(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("aligned face size must be >= 1, was " + size);
    }
    this.size = size;
    this.rgb = new float[size * size * 3];
  }

  /** Side of this crop in pixels. */
  public int size() {
    return size;
  }

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
      mean[c] /= size * size;
    }
    return mean;
  }
}
