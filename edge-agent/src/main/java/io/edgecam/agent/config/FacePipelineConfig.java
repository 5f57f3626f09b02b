package io.edgecam.agent.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Face pipeline settings ({@code pipeline} in agent.yaml).
 *
 * @param models directory holding the model files; null means the models/ folder of the
 *     installation
 * @param detector BlazeFace variant: {@code short} (close range, 128x128) or {@code full} (CCTV
 *     distance, 192x192)
 * @param precision model precision; {@code auto} measures both at first start and keeps the faster
 *     within the accuracy budget
 * @param threads TFLite interpreter threads, 1..16
 * @param quality quality gate thresholds
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
    Embedder embedder) {

  /** BlazeFace variant. */
  public enum Detector {
    @JsonProperty("short")
    SHORT,
    @JsonProperty("full")
    FULL
  }

  /** Face embedder. */
  public enum Embedder {
    @JsonProperty("mobilefacenet")
    MOBILEFACENET,
    @JsonProperty("faceapi-resnet34")
    FACEAPI_RESNET34
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

  public FacePipelineConfig {
    if (detector == null) {
      throw new IllegalArgumentException("detector must be short or full");
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
    if (embedder == null) {
      throw new IllegalArgumentException("embedder must be mobilefacenet or faceapi-resnet34");
    }
  }
}
