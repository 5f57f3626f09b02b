package io.edgecam.face.align;

/**
 * A 2-D similarity transform (rotation, uniform scale, translation; no reflection): {@code x' = a*x
 * - b*y + tx}, {@code y' = b*x + a*y + ty}.
 *
 * @param a scale * cos(angle)
 * @param b scale * sin(angle)
 * @param tx translation x
 * @param ty translation y
 */
public record SimilarityTransform(double a, double b, double tx, double ty) {

  /**
   * The least-squares similarity mapping {@code src} points onto {@code dst} points (closed form,
   * Umeyama without reflection). Points are {@code x0,y0,x1,y1,...}; at least two distinct.
   */
  public static SimilarityTransform fit(double[] src, double[] dst) {
    if (src.length != dst.length || src.length < 4 || src.length % 2 != 0) {
      throw new IllegalArgumentException(
          "need >= 2 point pairs of equal count, got " + src.length / 2 + " and " + dst.length / 2);
    }
    int n = src.length / 2;
    double sx = 0;
    double sy = 0;
    double dx = 0;
    double dy = 0;
    for (int i = 0; i < n; i++) {
      sx += src[2 * i];
      sy += src[2 * i + 1];
      dx += dst[2 * i];
      dy += dst[2 * i + 1];
    }
    sx /= n;
    sy /= n;
    dx /= n;
    dy /= n;
    double norm = 0;
    double dot = 0;
    double cross = 0;
    for (int i = 0; i < n; i++) {
      double px = src[2 * i] - sx;
      double py = src[2 * i + 1] - sy;
      double qx = dst[2 * i] - dx;
      double qy = dst[2 * i + 1] - dy;
      norm += px * px + py * py;
      dot += px * qx + py * qy;
      cross += px * qy - py * qx;
    }
    if (norm < 1e-12) {
      throw new IllegalArgumentException("source points coincide; no transform");
    }
    double a = dot / norm;
    double b = cross / norm;
    return new SimilarityTransform(a, b, dx - (a * sx - b * sy), dy - (b * sx + a * sy));
  }

  /** Scale factor. */
  public double scale() {
    return Math.hypot(a, b);
  }

  /** Rotation in degrees. */
  public double rotationDegrees() {
    return Math.toDegrees(Math.atan2(b, a));
  }

  /** The inverse transform. */
  public SimilarityTransform inverse() {
    double d = a * a + b * b;
    double ia = a / d;
    double ib = -b / d;
    return new SimilarityTransform(ia, ib, -(ia * tx - ib * ty), -(ib * tx + ia * ty));
  }

  /** Maps x. */
  public double applyX(double x, double y) {
    return a * x - b * y + tx;
  }

  /** Maps y. */
  public double applyY(double x, double y) {
    return b * x + a * y + ty;
  }
}
