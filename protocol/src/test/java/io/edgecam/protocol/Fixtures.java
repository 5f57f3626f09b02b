package io.edgecam.protocol;

import java.util.Random;

/** Given-helpers shared by the protocol tests. */
final class Fixtures {
  static final String DEVICE = "cam-0001";
  static final String MODEL = "mobilefacenet@1.0.24";

  private Fixtures() {}

  /** A random unit vector, deterministic for a seed. */
  static float[] unitVector(Random random, int dimensions) {
    float[] v = new float[dimensions];
    double norm = 0;
    for (int i = 0; i < dimensions; i++) {
      v[i] = (float) random.nextGaussian();
      norm += v[i] * v[i];
    }
    float inv = (float) (1.0 / Math.sqrt(norm));
    for (int i = 0; i < dimensions; i++) {
      v[i] *= inv;
    }
    return v;
  }

  /**
   * A candidate with realistic values: a device up for a year at one candidate per second, a 1080p
   * frame, a long-lived tracker.
   */
  static Candidate candidate() {
    return candidate(DEVICE, MODEL, 192);
  }

  static Candidate candidate(String device, String model, int dimensions) {
    return new Candidate(
        device,
        31_536_000L,
        1_767_225_600_123L,
        70_000,
        873,
        new Box(1_412, 655, 118, 131),
        model,
        Int8Embedding.quantize(unitVector(new Random(42), dimensions)));
  }
}
