package io.edgecam.agent.update;

import io.edgecam.face.image.Frame;
import io.edgecam.face.inference.ModelManifest;
import io.edgecam.face.inference.TensorSpec;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.FaceResult;
import io.edgecam.protocol.tuf.EdgecamTarget;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The checks a new model passes before it may replace the running one: its declared tensors equal
 * those of the model it replaces ({@link #tensorMismatch}), and a pipeline with it, separate from
 * the running one, reproduces the self-test on the golden image ({@link #failure}): the number of
 * faces the detector finds ({@link FacePipeline#detect}) and the embedding of the main face ({@link
 * FacePipeline#best}) within {@code minCosine} of the expected one.
 */
final class ModelSelfTest {
  private ModelSelfTest() {}

  /**
   * Why the tensors {@code info} declares do not fit the slot of {@code running} (the manifest of
   * the model the pipeline runs under that name), or null if they fit.
   */
  static @Nullable String tensorMismatch(EdgecamTarget.ModelInfo info, ModelManifest running) {
    String kind = info.manifest().path("kind").asText();
    if (!kind.equals(running.kind())) {
      return "tensors: a " + kind + " cannot replace the " + running.kind() + " " + running.name();
    }
    String in = compare("input", info.inputs(), running.inputs());
    return in != null ? in : compare("output", info.outputs(), running.outputs());
  }

  private static @Nullable String compare(
      String what, List<EdgecamTarget.Tensor> actual, List<TensorSpec> expected) {
    if (actual.size() != expected.size()) {
      return "tensors: "
          + actual.size()
          + " "
          + what
          + "s, the pipeline expects "
          + expected.size();
    }
    for (int i = 0; i < actual.size(); i++) {
      EdgecamTarget.Tensor a = actual.get(i);
      TensorSpec e = expected.get(i);
      if (!a.shape().equals(e.shape()) || !a.dtype().equals(e.dtype())) {
        return String.format(
            Locale.ROOT,
            "tensors: %s %d is %s %s, the pipeline expects %s %s",
            what,
            i,
            a.shape(),
            a.dtype(),
            e.shape(),
            e.dtype());
      }
    }
    return null;
  }

  /** Why {@code pipeline} fails the self-test on {@code golden}, or null if it passes. */
  static @Nullable String failure(
      FacePipeline pipeline, Frame golden, EdgecamTarget.SelfTest expected) {
    int faces = pipeline.detect(golden).size();
    if (faces != expected.faces()) {
      return "selftest: " + faces + " faces on the golden image, expected " + expected.faces();
    }
    if (expected.faces() == 0) {
      return null;
    }
    FaceResult main = pipeline.best(golden);
    if (main == null || main.embedding() == null) {
      return "selftest: the main face of the golden image was not embedded (quality gate)";
    }
    double cosine = expected.cosine(main.embedding());
    if (!(cosine >= expected.minCosine())) {
      return String.format(
          Locale.ROOT,
          "selftest: embedding cosine %.4f with the expected one, below %s",
          cosine,
          expected.minCosine());
    }
    return null;
  }
}
