package io.edgecam.matcher.testing;

import io.edgecam.protocol.Box;
import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.Int8Embedding;
import java.util.Random;

/** Synthetic embeddings and candidates: no camera, no model. */
public final class Vectors {
  public static final int DIMS = 192;
  public static final String MODEL = "mobilefacenet@1";

  private Vectors() {}

  /** A random unit vector. */
  public static float[] unit(Random random) {
    float[] v = new float[DIMS];
    for (int i = 0; i < DIMS; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return normalize(v);
  }

  /** A unit vector with cosine ~{@code cosine} to the unit vector {@code base}. */
  public static float[] near(float[] base, double cosine, Random random) {
    float[] noise = unit(random);
    // Remove the component along base so that noise is orthogonal, then mix.
    double along = dot(noise, base);
    for (int i = 0; i < DIMS; i++) {
      noise[i] -= (float) (along * base[i]);
    }
    normalize(noise);
    double s = Math.sqrt(1 - cosine * cosine);
    float[] out = new float[DIMS];
    for (int i = 0; i < DIMS; i++) {
      out[i] = (float) (cosine * base[i] + s * noise[i]);
    }
    return normalize(out);
  }

  public static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  public static float[] normalize(float[] v) {
    double n = Math.sqrt(dot(v, v));
    for (int i = 0; i < v.length; i++) {
      v[i] /= (float) n;
    }
    return v;
  }

  public static Candidate candidate(String device, long sequence, float[] embedding) {
    return new Candidate(
        device,
        sequence,
        1_700_000_000_000L + sequence,
        7,
        900,
        new Box(10, 20, 64, 64),
        MODEL,
        Int8Embedding.quantize(embedding));
  }

  public static byte[] encoded(String device, long sequence, float[] embedding) {
    return CandidateCodec.encode(candidate(device, sequence, embedding));
  }
}
