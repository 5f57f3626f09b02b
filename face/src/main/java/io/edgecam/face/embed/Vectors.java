package io.edgecam.face.embed;

/** Small vector operations on embeddings. Stateless. */
public final class Vectors {
  private Vectors() {}

  /** Scales {@code v} in place to unit L2 norm (left as is if all zero); returns the old norm. */
  public static double normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    double norm = Math.sqrt(sum);
    if (norm > 0) {
      float inv = (float) (1 / norm);
      for (int i = 0; i < v.length; i++) {
        v[i] *= inv;
      }
    }
    return norm;
  }

  /** Cosine similarity of two vectors of equal length (-1..1; 0 if either is all zero). */
  public static double cosine(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("vector lengths differ: " + a.length + " != " + b.length);
    }
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }
}
