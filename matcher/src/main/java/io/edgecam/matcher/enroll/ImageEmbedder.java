package io.edgecam.matcher.enroll;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Turns an enrollment image into the embedding of its main face, with the same face pipeline the
 * cameras run. Not thread-safe unless an implementation says so.
 */
public interface ImageEmbedder extends AutoCloseable {

  /** Tag of the embedding space (the embedder manifest's {@code tag}), stored with the entry. */
  String modelTag();

  /** The main face's L2-normalized embedding, or why there is none. */
  FaceEmbedding embedBest(Path image);

  @Override
  void close();

  /**
   * @param vector the embedding, or null when the image has no usable face
   * @param problem why there is no usable face ("no face found", "face too blurry"...), or ""
   */
  record FaceEmbedding(float @Nullable [] vector, String problem) {
    public static FaceEmbedding of(float[] vector) {
      return new FaceEmbedding(vector, "");
    }

    public static FaceEmbedding none(String problem) {
      return new FaceEmbedding(null, problem);
    }
  }
}
