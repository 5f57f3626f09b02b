package io.edgecam.matcher.calibration;

import io.edgecam.protocol.Int8Embedding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every pair of a labelled set of embeddings scored as the matcher scores them (cosine of int8
 * embeddings): pairs of one identity are genuine, pairs of two are impostors. What {@code edgecam
 * model calibrate} counts into a {@link Calibration}. Stateless.
 */
public final class PairScores {
  private PairScores() {}

  /**
   * Scores every pair and counts them on the grid.
   *
   * @param byIdentity embeddings per identity (one per image)
   * @param manifest, modelTag, images, produced as in {@link Calibration}
   */
  public static Calibration calibrate(
      Map<String, List<Int8Embedding>> byIdentity,
      String manifest,
      String modelTag,
      String images,
      String produced) {
    List<Int8Embedding> all = new ArrayList<>();
    List<Integer> identity = new ArrayList<>();
    int id = 0;
    for (List<Int8Embedding> faces : byIdentity.values()) {
      for (Int8Embedding e : faces) {
        all.add(e);
        identity.add(id);
      }
      id++;
    }
    int n = all.size();
    double[] impostor = new double[Math.max(0, n * (n - 1) / 2)];
    int impostors = 0;
    long[] genuineHistogram = new long[ScoreTail.POINTS];
    long genuine = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double s = all.get(i).cosine(all.get(j));
        if (identity.get(i).equals(identity.get(j))) {
          genuineHistogram[ScoreTail.index(s)]++;
          genuine++;
        } else {
          impostor[impostors++] = s;
        }
      }
    }
    long[] below = new long[ScoreTail.POINTS];
    long sum = 0;
    for (int i = 0; i < ScoreTail.POINTS; i++) {
      below[i] = sum; // scores on grid points below i are below threshold(i)
      sum += genuineHistogram[i];
    }
    return new Calibration(
        manifest, modelTag, images, produced, ScoreTail.count(impostor, impostors), genuine, below);
  }
}
