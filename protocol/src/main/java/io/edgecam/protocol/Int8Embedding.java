package io.edgecam.protocol;

import java.util.Arrays;

/**
 * An embedding quantized to signed bytes with one scale: {@code value[i] ~= q[i] * scale}.
 * Quantizing an L2-normalized vector with {@code scale = max|v| / 127} keeps cosine similarity
 * within ~1e-3 of the float value. Immutable (the array is copied in and out).
 */
public final class Int8Embedding {
  public static final int MAX_DIMENSIONS = 1024;

  private final byte[] values;
  private final float scale;

  public Int8Embedding(byte[] values, float scale) {
    if (values == null || values.length == 0 || values.length > MAX_DIMENSIONS) {
      throw new IllegalArgumentException(
          "embedding must have 1.." + MAX_DIMENSIONS + " dimensions, had "
              + (values == null ? "none" : values.length));
    }
    if (!Float.isFinite(scale) || scale <= 0f) {
      throw new IllegalArgumentException("embedding scale must be finite and > 0, was " + scale);
    }
    this.values = values.clone();
    this.scale = scale;
  }

  /**
   * Quantizes {@code v}.
   *
   * @throws IllegalArgumentException if {@code v} is empty, all zero, or has a NaN/infinite value
   */
  public static Int8Embedding quantize(float[] v) {
    float max = 0f;
    for (float x : v) {
      if (!Float.isFinite(x)) {
        throw new IllegalArgumentException("embedding has a non-finite value: " + x);
      }
      max = Math.max(max, Math.abs(x));
    }
    if (max == 0f) {
      throw new IllegalArgumentException("embedding is all zero");
    }
    float scale = max / 127f;
    byte[] q = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      q[i] = (byte) Math.max(-127, Math.min(127, Math.round(v[i] / scale)));
    }
    return new Int8Embedding(q, scale);
  }

  public int dimensions() {
    return values.length;
  }

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

  /** Dequantized values, L2-normalized. */
  public float[] toUnitFloat() {
    float[] out = toFloat();
    double norm = 0;
    for (float x : out) {
      norm += x * x;
    }
    float inv = (float) (1.0 / Math.sqrt(norm));
    for (int i = 0; i < out.length; i++) {
      out[i] *= inv;
    }
    return out;
  }

  /** Integer dot product of the quantized values (no scale), the matcher's hot loop. */
  public int rawDot(Int8Embedding other) {
    requireSameDimensions(other);
    int sum = 0;
    for (int i = 0; i < values.length; i++) {
      sum += values[i] * other.values[i];
    }
    return sum;
  }

  /** Cosine similarity computed on the quantized values. */
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
