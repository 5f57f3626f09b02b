package io.edgecam.agent.track;

/**
 * The face chosen to represent a track for one interval: what becomes a candidate.
 *
 * @param trackId tracker id, >= 1
 * @param captureTimeMillis capture time of the frame the face came from, epoch milliseconds
 * @param face the face; always has an embedding
 */
public record BestShot(int trackId, long captureTimeMillis, Face face) {
  public BestShot {
    if (!face.hasEmbedding()) {
      throw new IllegalArgumentException("a best shot needs an embedding");
    }
  }
}
