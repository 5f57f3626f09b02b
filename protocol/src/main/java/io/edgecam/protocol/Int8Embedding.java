package io.edgecam.protocol;

import java.util.Arrays;

/**
 * An embedding quantized to signed bytes with one scale: {@code value[i] ~= q[i] * scale}.
 * Quantizing an L2-normalized vector with {@code scale = max|v| / 127} keeps cosine similarity
 * within ~1e-3 of the float value. Never all zero (its cosine would be undefined). Immutable and
 * thread-safe (the array is copied in and out); {@link #toString()} never shows the values, which
 * are personal data.
 */
public final class Int8Embedding {
  /** Most dimensions an embedding may have. */
  public static final int MAX_DIMENSIONS = 1024;

  private final byte[] values;
  private final float scale;

  /**
   * An embedding of already quantized values.
   *
   * @param values signed quantized values, 1..{@value #MAX_DIMENSIONS} of them, not all zero
   *     (copied)
   * @param scale the float value of one quantization step, {@code > 0} with {@code 127 * scale}
   *     finite
   * @throws IllegalArgumentException if a rule above is broken
   */
  public Int8Embedding(byte[] values, float scale) {
    requireDimensions(values == null ? -1 : values.length);
    if (!Float.isFinite(scale) || scale <= 0f || !Float.isFinite(scale * 127f)) {
      throw new IllegalArgumentException(
          "embedding scale must be > 0 and 127 * scale finite, was " + scale);
    }
    if (isAllZero(values)) {
      throw new IllegalArgumentException("embedding is all zero");
    }
    this.values = values.clone();
    this.scale = scale;
  }

  /**
   * Quantizes {@code v} with {@code scale = max|v[i]| / 127}, rounding each value to the nearest
   * step.
   *
   * @throws IllegalArgumentException if {@code v} is null, empty, longer than {@value
   *     #MAX_DIMENSIONS}, all zero, or has a NaN/infinite value
   */
  public static Int8Embedding quantize(float[] v) {
    requireDimensions(v == null ? -1 : v.length);
    float max = 0f;
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new IllegalArgumentException("embedding value [" + i + "] is not finite: " + v[i]);
      }
      max = Math.max(max, Math.abs(v[i]));
    }
    if (max == 0f) {
      throw new IllegalArgumentException("embedding is all zero");
    }
    float scale = max / 127f;
    if (scale == 0f) {
      throw new IllegalArgumentException("embedding is too small to quantize, max |value| " + max);
    }
    byte[] q = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      q[i] = (byte) Math.max(-127, Math.min(127, Math.round(v[i] / scale)));
    }
    return new Int8Embedding(q, scale);
  }

  private static void requireDimensions(int dimensions) {
    if (dimensions < 1 || dimensions > MAX_DIMENSIONS) {
      throw new IllegalArgumentException(
          "embedding must have 1.."
              + MAX_DIMENSIONS
              + " dimensions, had "
              + (dimensions < 0 ? "none (null)" : dimensions));
    }
  }

  private static boolean isAllZero(byte[] values) {
    for (byte b : values) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /** Number of dimensions. */
  public int dimensions() {
    return values.length;
  }

  /** The float value of one quantization step. */
  public float scale() {
    return scale;
  }

  /** A copy of the quantized values. */
  public byte[] values() {
    return values.clone();
  }

  /** Dequantized values. */
  public float[] toFloat() {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i] * scale;
    }
    return out;
  }

  /** Dequantized values, L2-normalized (computed from the quantized values; scale cancels). */
  public float[] toUnitFloat() {
    double inv = 1.0 / Math.sqrt(rawNormSquared());
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) (values[i] * inv);
    }
    return out;
  }

  /**
   * Integer dot product of the quantized values (no scale), the matcher's hot loop.
   *
   * @throws IllegalArgumentException if the dimensions differ
   */
  public int rawDot(Int8Embedding other) {
    requireSameDimensions(other);
    int sum = 0;
    for (int i = 0; i < values.length; i++) {
      sum += values[i] * other.values[i];
    }
    return sum;
  }

  /**
   * Cosine similarity computed on the quantized values: {@code sum(a*b) / sqrt(sum(a*a) *
   * sum(b*b))}, in -1..1. The scales cancel out.
   *
   * @throws IllegalArgumentException if the dimensions differ
   */
  public double cosine(Int8Embedding other) {
    requireSameDimensions(other);
    long dot = 0;
    long na = 0;
    long nb = 0;
    for (int i = 0; i < values.length; i++) {
      int a = values[i];
      int b = other.values[i];
      dot += a * b;
      na += a * a;
      nb += b * b;
    }
    return dot / Math.sqrt((double) na * nb);
  }

  /** Squared L2 norm of the quantized values (for precomputing cosine denominators). */
  public long rawNormSquared() {
    long n = 0;
    for (byte b : values) {
      n += b * b;
    }
    return n;
  }

  private void requireSameDimensions(Int8Embedding other) {
    if (other.values.length != values.length) {
      throw new IllegalArgumentException(
          "embedding dimensions differ: " + values.length + " vs " + other.values.length);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Int8Embedding e
        && Float.compare(scale, e.scale) == 0
        && Arrays.equals(values, e.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(values) + Float.hashCode(scale);
  }

  @Override
  public String toString() {
    // Never print the values: embeddings are personal data.
    return "Int8Embedding[" + values.length + "d]";
  }
}
