package io.edgecam.agent.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Face pipeline settings ({@code pipeline} in agent.yaml).
 *
 * @param models directory holding the model files; null means the models/ folder of the
 *     installation
 * @param detector BlazeFace variant and search: {@code short} (close range, 128x128), {@code full}
 *     (192x192, whole frame), or {@code short+tiles} / {@code full+tiles} (the whole frame plus
 *     tiles sized from {@code minFaceSize}, visited by the sweep scheduler: CCTV distance)
 * @param precision model precision; {@code auto} measures both at first start and keeps the faster
 *     within the accuracy budget
 * @param threads TFLite interpreter threads, 1..16
 * @param quality quality gate thresholds
 * @param minFaceSize smallest face side the tiled modes search for, source px (8..1024); sizes the
 *     tiles
 * @param sweepFrames the tiled modes visit every tile at least once in this many frames (1..64)
 * @param frameBudgetMs detection time per frame, ms, after which the tiled modes stop searching
 *     tiles for that frame (counted as sweep_cut_short); 0 = no budget
 * @param embedder face embedder: {@code mobilefacenet} (192-d) or {@code faceapi-resnet34} (128-d,
 *     face-api's ResNet-34); each has its own embedding space (model tag), so a watchlist enrolled
 *     with one does not match candidates of the other
 */
public record FacePipelineConfig(
    @Nullable Path models,
    Detector detector,
    Precision precision,
    int threads,
    QualityConfig quality,
    int minFaceSize,
    int sweepFrames,
    int frameBudgetMs,
    Embedder embedder) {

  /** BlazeFace variant. */
  public enum Detector {
    @JsonProperty("short")
    SHORT,
    @JsonProperty("full")
    FULL,
    @JsonProperty("short+tiles")
    SHORT_TILES,
    @JsonProperty("full+tiles")
    FULL_TILES;

    /** True for the modes searching tiles. */
    public boolean tiled() {
      return this == SHORT_TILES || this == FULL_TILES;
    }
  }

  /** Model precision. */
  public enum Precision {
    @JsonProperty("auto")
    AUTO,
    @JsonProperty("int8")
    INT8,
    @JsonProperty("float")
    FLOAT
  }

  /** Face embedder. */
  public enum Embedder {
    @JsonProperty("mobilefacenet")
    MOBILEFACENET,
    @JsonProperty("faceapi-resnet34")
    FACEAPI_RESNET34
  }

  public FacePipelineConfig {
    if (detector == null) {
      throw new IllegalArgumentException("detector must be short, full, short+tiles or full+tiles");
    }
    if (precision == null) {
      throw new IllegalArgumentException("precision must be auto, int8 or float");
    }
    if (threads < 1 || threads > 16) {
      throw new IllegalArgumentException("threads must be in 1..16, was " + threads);
    }
    if (quality == null) {
      throw new IllegalArgumentException("quality must not be empty");
    }
    if (minFaceSize < 8 || minFaceSize > 1024) {
      throw new IllegalArgumentException("minFaceSize must be in 8..1024, was " + minFaceSize);
    }
    if (sweepFrames < 1 || sweepFrames > 64) {
      throw new IllegalArgumentException("sweepFrames must be in 1..64, was " + sweepFrames);
    }
    if (frameBudgetMs < 0 || frameBudgetMs > 10_000) {
      throw new IllegalArgumentException("frameBudgetMs must be in 0..10000, was " + frameBudgetMs);
    }
    if (embedder == null) {
      throw new IllegalArgumentException("embedder must be mobilefacenet or faceapi-resnet34");
    }
  }
}
