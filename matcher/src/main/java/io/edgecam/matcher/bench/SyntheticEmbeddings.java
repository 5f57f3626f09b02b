package io.edgecam.matcher.bench;

import java.util.Locale;
import java.util.Random;

/**
 * Unit vectors standing in for face embeddings in the matcher benchmark. Not thread-safe.
 *
 * <p>{@link Kind#FACE_LIKE} (the default) draws each identity from a zero-mean Gaussian whose
 * variances decay as {@code i^-alpha} along randomly rotated axes, with {@code alpha} chosen so
 * that the cosine between two different identities has the spread measured on real embeddings:
 * standard deviation {@value #MEASURED_IMPOSTOR_STD}, from the MobileFaceNet pipeline on the 65
 * images of {@code shared/data/faces} (1,932 impostor pairs; genuine pairs averaged 0.78). That is
 * an effective dimension of ~47, where independent directions in 192-d ({@link Kind#ISOTROPIC})
 * give 0.072 and ~192. Graph indexes depend on this structure: on isotropic vectors HNSW has
 * nothing to navigate by and its recall collapses, which the benchmark can show with {@code --data
 * isotropic}.
 */
final class SyntheticEmbeddings {
  /** Impostor cosine standard deviation of the real embedder on shared/data/faces. */
  static final double MEASURED_IMPOSTOR_STD = 0.145;

  /** How identities are drawn. */
  enum Kind {
    FACE_LIKE,
    ISOTROPIC;

    static Kind parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "face-like" -> FACE_LIKE;
        case "isotropic" -> ISOTROPIC;
        default ->
            throw new IllegalArgumentException(
                "data must be face-like or isotropic, was '" + s + "'");
      };
    }

    String label() {
      return this == FACE_LIKE ? "face-like" : "isotropic";
    }
  }

  private final int dims;
  private final Random random;
  private final double[] sigma;
  private final double[][] rotation;

  SyntheticEmbeddings(Kind kind, int dims, Random random) {
    this.dims = dims;
    this.random = random;
    this.sigma = new double[dims];
    double alpha = kind == Kind.ISOTROPIC ? 0 : alphaFor(MEASURED_IMPOSTOR_STD, dims);
    for (int i = 0; i < dims; i++) {
      sigma[i] = Math.pow(i + 1, -alpha / 2);
    }
    this.rotation = kind == Kind.ISOTROPIC ? null : randomRotation(dims, random);
  }

  /**
   * The decay exponent whose spectrum gives {@code std} as the standard deviation of the cosine
   * between two independent draws: {@code 1 / sqrt(participation ratio)}, solved by bisection.
   */
  static double alphaFor(double std, int dims) {
    double lo = 0;
    double hi = 4;
    for (int it = 0; it < 60; it++) {
      double mid = (lo + hi) / 2;
      double s1 = 0;
      double s2 = 0;
      for (int i = 1; i <= dims; i++) {
        double l = Math.pow(i, -mid);
        s1 += l;
        s2 += l * l;
      }
      double predicted = Math.sqrt(s2) / s1;
      if (predicted < std) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  /** A new identity. */
  float[] identity() {
    double[] z = new double[dims];
    for (int i = 0; i < dims; i++) {
      z[i] = random.nextGaussian() * sigma[i];
    }
    float[] v = new float[dims];
    if (rotation == null) {
      for (int i = 0; i < dims; i++) {
        v[i] = (float) z[i];
      }
    } else {
      for (int r = 0; r < dims; r++) {
        double s = 0;
        double[] row = rotation[r];
        for (int i = 0; i < dims; i++) {
          s += row[i] * z[i];
        }
        v[r] = (float) s;
      }
    }
    return normalize(v);
  }

  /** Another capture of {@code base}: a unit vector at cosine {@code cosine} to it. */
  float[] near(float[] base, double cosine) {
    float[] noise = new float[dims];
    for (int i = 0; i < dims; i++) {
      noise[i] = (float) random.nextGaussian();
    }
    double along = 0;
    for (int i = 0; i < dims; i++) {
      along += noise[i] * base[i];
    }
    for (int i = 0; i < dims; i++) {
      noise[i] -= (float) (along * base[i]);
    }
    normalize(noise);
    double s = Math.sqrt(1 - cosine * cosine);
    float[] out = new float[dims];
    for (int i = 0; i < dims; i++) {
      out[i] = (float) (cosine * base[i] + s * noise[i]);
    }
    return normalize(out);
  }

  /** Gram-Schmidt on Gaussian rows: a uniformly random orthogonal matrix. */
  private static double[][] randomRotation(int n, Random random) {
    double[][] m = new double[n][n];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        m[r][c] = random.nextGaussian();
      }
      for (int p = 0; p < r; p++) {
        double d = 0;
        for (int c = 0; c < n; c++) {
          d += m[r][c] * m[p][c];
        }
        for (int c = 0; c < n; c++) {
          m[r][c] -= d * m[p][c];
        }
      }
      double norm = 0;
      for (int c = 0; c < n; c++) {
        norm += m[r][c] * m[r][c];
      }
      norm = Math.sqrt(norm);
      for (int c = 0; c < n; c++) {
        m[r][c] /= norm;
      }
    }
    return m;
  }

  static float[] normalize(float[] v) {
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    float inv = (float) (1 / Math.sqrt(n));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
    return v;
  }
}
