package io.edgecam.agent.update;

import io.edgecam.face.image.Frame;
import io.edgecam.face.image.Images;
import io.edgecam.face.image.TestData;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.FaceResult;
import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.face.pipeline.Precision;
import io.edgecam.protocol.Int8Embedding;
import io.edgecam.protocol.bundle.WatchlistBundle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Real photos of ../shared/data and their embeddings by the built-in float pipeline. */
final class Faces {
  /** The built-in embedder's model tag. */
  static final String TAG = "mfn-1.0.24";

  private Faces() {}

  /** {@code ../shared/data/faces/<person>/<file>} (the test is skipped without the data). */
  static Path photo(String person, String file) {
    return TestData.sharedData().resolve("faces").resolve(person).resolve(file);
  }

  static Frame frame(Path photo) {
    return Images.read(photo);
  }

  private static final Map<Path, float[]> EMBEDDINGS = new HashMap<>();

  /** The embedding of the main face with the built-in float models (computed once per photo). */
  static synchronized float[] embed(Path photo) {
    float[] cached = EMBEDDINGS.get(photo);
    if (cached != null) {
      return cached.clone();
    }
    try (FacePipeline p =
        FacePipeline.open(
            PipelineConfig.defaults()
                .withModelsDir(TestData.models())
                .withPrecision(Precision.FLOAT))) {
      FaceResult r = p.best(Images.read(photo));
      if (r == null || r.embedding() == null) {
        throw new IllegalStateException("no embeddable face in " + photo);
      }
      EMBEDDINGS.put(photo, r.embedding().clone());
      return r.embedding();
    }
  }

  /**
   * A bundle with one entry per photo (alias p0, p1...), threshold 0.45, expiring at the given
   * time.
   */
  static WatchlistBundle bundle(long version, String model, long expiresMillis, Path... photos) {
    List<WatchlistBundle.Entry> entries = new ArrayList<>();
    for (int i = 0; i < photos.length; i++) {
      entries.add(
          new WatchlistBundle.Entry(
              "p" + i, List.of(Int8Embedding.quantize(embed(photos[i]))), 0.45f, expiresMillis));
    }
    return new WatchlistBundle(version, 1_700_000_000_000L, model, entries);
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
