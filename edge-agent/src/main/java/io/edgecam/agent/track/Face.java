package io.edgecam.agent.track;

import io.edgecam.protocol.Box;
import org.jspecify.annotations.Nullable;

/**
 * One face found in one frame, as the tracker sees it.
 *
 * @param box face box in source pixels
 * @param score detection score, 0..1
 * @param quality quality score, 0..1 (higher is better), used to pick best shots
 * @param embedding L2-normalized embedding, or null when the face failed the quality gate (it is
 *     still tracked but never becomes a candidate). Not copied; treat as read-only.
 */
public record Face(Box box, float score, float quality, float @Nullable [] embedding) {
  public Face {
    if (box == null) {
      throw new IllegalArgumentException("box must not be null");
    }
    if (!(quality >= 0 && quality <= 1)) {
      throw new IllegalArgumentException("quality must be in [0,1], was " + quality);
    }
  }

  /** Whether this face passed the quality gate and can become a candidate. */
  public boolean hasEmbedding() {
    return embedding != null;
  }

  @Override
  public String toString() {
    // Never print embeddings: they are personal data.
    return "Face[box="
        + box
        + ", score="
        + score
        + ", quality="
        + quality
        + (embedding == null ? ", no embedding]" : ", embedding " + embedding.length + "d]");
  }
}
