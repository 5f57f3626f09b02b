package io.edgecam.ctl.eval;

import java.util.Objects;

/**
 * One compared pair of face images: their names, the identity of each and the similarity score
 * (cosine, higher = more alike). Genuine when both show the same identity.
 */
public record ScoredPair(
    String imageA, String identityA, String imageB, String identityB, double score) {
  public ScoredPair {
    Objects.requireNonNull(imageA, "imageA");
    Objects.requireNonNull(identityA, "identityA");
    Objects.requireNonNull(imageB, "imageB");
    Objects.requireNonNull(identityB, "identityB");
    if (imageA.equals(imageB)) {
      throw new IllegalArgumentException("a pair needs two images, got " + imageA + " twice");
    }
    if (Double.isNaN(score)) {
      throw new IllegalArgumentException("score of " + imageA + " / " + imageB + " is NaN");
    }
  }

  /** Whether both images show the same identity. */
  public boolean genuine() {
    return identityA.equals(identityB);
  }
}
