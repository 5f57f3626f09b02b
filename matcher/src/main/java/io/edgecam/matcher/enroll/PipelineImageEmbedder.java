package io.edgecam.matcher.enroll;

import io.edgecam.face.image.Images;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.FaceResult;
import io.edgecam.face.pipeline.PipelineConfig;
import java.nio.file.Path;

/** {@link ImageEmbedder} on the edge agent's {@link FacePipeline}. Not thread-safe. */
public final class PipelineImageEmbedder implements ImageEmbedder {
  private final FacePipeline pipeline;

  private PipelineImageEmbedder(FacePipeline pipeline) {
    this.pipeline = pipeline;
  }

  /** Opens the pipeline (loads the models) with {@code config}. */
  public static PipelineImageEmbedder open(PipelineConfig config) {
    return new PipelineImageEmbedder(FacePipeline.open(config));
  }

  @Override
  public String modelTag() {
    return pipeline.embedderTag();
  }

  @Override
  public FaceEmbedding embedBest(Path image) {
    FaceResult face = pipeline.best(Images.read(image));
    if (face == null) {
      return FaceEmbedding.none("no face found");
    }
    if (face.embedding() == null) {
      return FaceEmbedding.none(
          "face rejected by the quality gate: "
              + face.quality().describe(pipeline.config().quality()));
    }
    return FaceEmbedding.of(face.embedding());
  }

  @Override
  public void close() {
    pipeline.close();
  }
}
