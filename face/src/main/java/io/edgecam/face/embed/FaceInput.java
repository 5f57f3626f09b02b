package io.edgecam.face.embed;

import java.util.Arrays;

/**
 * What an embedder expects as input: the side of the aligned square chip, the template its four
 * keypoints (eye on the image's left, other eye, nose tip, mouth centre) are mapped to, and the
 * per-channel normalisation {@code (px - mean) * scale} of RGB pixel values 0..255.
 *
 * @param size side of the aligned chip in pixels
 * @param template {@code x0,y0,...,x3,y3} in chip pixel-index coordinates
 * @param mean per-channel mean (r, g, b) subtracted from pixel values
 * @param scale per-channel factor applied after subtracting the mean
 */
public record FaceInput(int size, double[] template, float[] mean, float[] scale) {
  /** MobileFaceNet: the ArcFace 112x112 template, {@code (px - 127.5) / 128}. */
  public static final FaceInput MOBILEFACENET =
      new FaceInput(
          112,
          new double[] {
            38.2946, 51.6963, 73.5318, 51.5014, 56.0252, 71.7366, 56.1396, 92.2848,
          },
          new float[] {127.5f, 127.5f, 127.5f},
          new float[] {1f / 128, 1f / 128, 1f / 128});

  /**
   * face-api's ResNet-34 (dlib-derived): 150x150, a template that reproduces face-api's own crop
   * from our four keypoints (../shared/FACTS.md), {@code (px - [122.782, 117.001, 104.298]) / 255}.
   */
  public static final FaceInput FACEAPI_RESNET34 =
      new FaceInput(
          150,
          new double[] {48.24, 40.59, 105.73, 39.37, 76.97, 73.56, 77.77, 101.11},
          new float[] {122.782f, 117.001f, 104.298f},
          new float[] {1f / 255, 1f / 255, 1f / 255});

  public FaceInput {
    if (size < 16 || size > 1024) {
      throw new IllegalArgumentException("face input size must be in 16..1024, was " + size);
    }
    if (template.length != 8 || mean.length != 3 || scale.length != 3) {
      throw new IllegalArgumentException(
          "face input needs 4 template points, 3 means and 3 scales, got "
              + template.length / 2
              + ", "
              + mean.length
              + ", "
              + scale.length);
    }
    template = template.clone();
    mean = mean.clone();
    scale = scale.clone();
  }

  /** The template points (a copy). */
  @Override
  public double[] template() {
    return template.clone();
  }

  /** The per-channel means (a copy). */
  @Override
  public float[] mean() {
    return mean.clone();
  }

  /** The per-channel scales (a copy). */
  @Override
  public float[] scale() {
    return scale.clone();
  }

  /** Length of one chip's interleaved RGB buffer. */
  public int pixels() {
    return size * size * 3;
  }

  /** Writes {@code (rgb[i] - mean[c]) * scale[c]} for one chip into {@code out} from {@code at}. */
  void normalize(float[] rgb, float[] out, int at) {
    for (int i = 0; i < rgb.length; i += 3) {
      out[at + i] = (rgb[i] - mean[0]) * scale[0];
      out[at + i + 1] = (rgb[i + 1] - mean[1]) * scale[1];
      out[at + i + 2] = (rgb[i + 2] - mean[2]) * scale[2];
    }
  }

  /** Like {@link #normalize} but mirrored left-right. */
  void normalizeMirrored(float[] rgb, float[] out, int at) {
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int src = 3 * (y * size + (size - 1 - x));
        int dst = at + 3 * (y * size + x);
        out[dst] = (rgb[src] - mean[0]) * scale[0];
        out[dst + 1] = (rgb[src + 1] - mean[1]) * scale[1];
        out[dst + 2] = (rgb[src + 2] - mean[2]) * scale[2];
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FaceInput f
        && size == f.size
        && Arrays.equals(template, f.template)
        && Arrays.equals(mean, f.mean)
        && Arrays.equals(scale, f.scale);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * size + Arrays.hashCode(template)) + Arrays.hashCode(mean))
        + Arrays.hashCode(scale);
  }

  @Override
  public String toString() {
    return "FaceInput[" + size + "x" + size + ", mean " + Arrays.toString(mean) + "]";
  }
}
