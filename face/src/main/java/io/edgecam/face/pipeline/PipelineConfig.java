package io.edgecam.face.pipeline;

import io.edgecam.face.quality.QualityThresholds;
import java.nio.file.Path;

/**
 * Configuration of a {@link FacePipeline}. Defaults live in {@link #defaults()}.
 *
 * @param modelsDir models directory, or null to locate it (see {@code ModelStore.locate()})
 * @param detector which BlazeFace model
 * @param precision float, int8, or auto (measure and choose at open)
 * @param threads TFLite threads per interpreter, >= 1
 * @param minDetectionScore detector score threshold, 0..1 (exclusive)
 * @param quality quality gate thresholds
 * @param flipEmbedding embed each face with its mirror image in the model's second slot
 * @param minFaceSize smallest face side the tiled detector modes search for, px (sizes the tiles;
 *     4..4096)
 * @param embedder which embedder (model, embedding space, chip)
 */
public record PipelineConfig(
    Path modelsDir,
    DetectorKind detector,
    Precision precision,
    int threads,
    float minDetectionScore,
    QualityThresholds quality,
    boolean flipEmbedding,
    int minFaceSize,
    EmbedderKind embedder) {

  /** Default {@link #minFaceSize()}, px: see docs/accuracy.md "Small faces". */
  public static final int DEFAULT_MIN_FACE_SIZE = 28;

  public PipelineConfig {
    if (detector == null || precision == null || quality == null || embedder == null) {
      throw new IllegalArgumentException(
          "pipeline: detector, precision, quality and embedder must be set");
    }
    if (threads < 1 || threads > 64) {
      throw new IllegalArgumentException("pipeline.threads must be in 1..64, was " + threads);
    }
    if (!(minDetectionScore > 0 && minDetectionScore < 1)) {
      throw new IllegalArgumentException(
          "pipeline.minDetectionScore must be in (0, 1), was " + minDetectionScore);
    }
    if (minFaceSize < 4 || minFaceSize > 4096) {
      throw new IllegalArgumentException(
          "pipeline.minFaceSize must be in 4..4096, was " + minFaceSize);
    }
  }

  /**
   * Short-range detector, auto precision, 2 threads, score 0.5, default quality, flip on,
   * MobileFaceNet.
   */
  public static PipelineConfig defaults() {
    return new PipelineConfig(
        null,
        DetectorKind.SHORT,
        Precision.AUTO,
        2,
        0.5f,
        QualityThresholds.DEFAULTS,
        true,
        DEFAULT_MIN_FACE_SIZE,
        EmbedderKind.MOBILEFACENET);
  }

  public PipelineConfig withModelsDir(Path dir) {
    return new PipelineConfig(
        dir,
        detector,
        precision,
        threads,
        minDetectionScore,
        quality,
        flipEmbedding,
        minFaceSize,
        embedder);
  }

  public PipelineConfig withDetector(DetectorKind kind) {
    return new PipelineConfig(
        modelsDir,
        kind,
        precision,
        threads,
        minDetectionScore,
        quality,
        flipEmbedding,
        minFaceSize,
        embedder);
  }

  public PipelineConfig withPrecision(Precision p) {
    return new PipelineConfig(
        modelsDir,
        detector,
        p,
        threads,
        minDetectionScore,
        quality,
        flipEmbedding,
        minFaceSize,
        embedder);
  }

  public PipelineConfig withThreads(int n) {
    return new PipelineConfig(
        modelsDir,
        detector,
        precision,
        n,
        minDetectionScore,
        quality,
        flipEmbedding,
        minFaceSize,
        embedder);
  }

  public PipelineConfig withQuality(QualityThresholds q) {
    return new PipelineConfig(
        modelsDir,
        detector,
        precision,
        threads,
        minDetectionScore,
        q,
        flipEmbedding,
        minFaceSize,
        embedder);
  }

  public PipelineConfig withFlipEmbedding(boolean flip) {
    return new PipelineConfig(
        modelsDir,
        detector,
        precision,
        threads,
        minDetectionScore,
        quality,
        flip,
        minFaceSize,
        embedder);
  }

  public PipelineConfig withMinFaceSize(int px) {
    return new PipelineConfig(
        modelsDir,
        detector,
        precision,
        threads,
        minDetectionScore,
        quality,
        flipEmbedding,
        px,
        embedder);
  }

  public PipelineConfig withEmbedder(EmbedderKind kind) {
    return new PipelineConfig(
        modelsDir,
        detector,
        precision,
        threads,
        minDetectionScore,
        quality,
        flipEmbedding,
        minFaceSize,
        kind);
  }
}
