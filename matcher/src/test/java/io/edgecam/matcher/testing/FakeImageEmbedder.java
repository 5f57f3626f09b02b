package io.edgecam.matcher.testing;

import io.edgecam.matcher.enroll.ImageEmbedder;
import java.nio.file.Path;
import java.util.Random;

/**
 * An embedder without models for enrollment tests: files named {@code face*} have a face (a seeded
 * random unit vector), every other file has none.
 */
public final class FakeImageEmbedder implements ImageEmbedder {
  private final Random random = new Random(1);

  @Override
  public String modelTag() {
    return "mfn-test";
  }

  @Override
  public FaceEmbedding embedBest(Path image) {
    return image.getFileName().toString().startsWith("face")
        ? FaceEmbedding.of(Vectors.unit(random))
        : FaceEmbedding.none("no face found");
  }

  @Override
  public void close() {}
}
