package io.edgecam.face.pipeline;

import io.edgecam.face.embed.FaceInput;
import java.util.Locale;

/**
 * Which face embedder a pipeline runs. Each has its own model, embedding space (model tag) and
 * input (chip size, alignment template, normalisation); embeddings of different kinds are never
 * compared.
 */
public enum EmbedderKind {
  /** MobileFaceNet, 192-d, 112x112 ArcFace alignment: the default. */
  MOBILEFACENET("mobilefacenet", FaceInput.MOBILEFACENET, 0.45),
  /**
   * face-api's ResNet-34 (dlib-derived), 128-d, 150x150: rebuilt for TFLite by
   * models/faceapi/build.py. Separates faces better on ../shared/data/faces (docs/accuracy.md); its
   * cosines sit high (impostors ~0.84), so it needs its own threshold.
   */
  FACEAPI_RESNET34("faceapi-resnet34", FaceInput.FACEAPI_RESNET34, 0.92);

  private final String modelName;
  private final FaceInput input;
  private final double compareThreshold;

  EmbedderKind(String modelName, FaceInput input, double compareThreshold) {
    this.modelName = modelName;
    this.input = input;
    this.compareThreshold = compareThreshold;
  }

  /**
   * The cosine at or above which {@code edgecam compare} calls two faces the same person: near the
   * best-accuracy threshold {@code edgecam eval} measures on ../shared/data/faces
   * (docs/accuracy.md). Not a watchlist operating point: the matcher sets its own from the list
   * size.
   */
  public double compareThreshold() {
    return compareThreshold;
  }

  /** The float model's manifest name, also the name on the command line and in config. */
  public String modelName() {
    return modelName;
  }

  /** The int8 model's manifest name. */
  public String int8ModelName() {
    return modelName + "-int8";
  }

  /** The chip size, alignment template and normalisation the model expects. */
  public FaceInput input() {
    return input;
  }

  /**
   * The kind named {@code name}: its model name (case-insensitive; the enum name is accepted too).
   *
   * @throws IllegalArgumentException listing the accepted names
   */
  public static EmbedderKind parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (EmbedderKind k : values()) {
      if (k.modelName.equals(n) || k.name().toLowerCase(Locale.ROOT).equals(n)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "expected mobilefacenet or faceapi-resnet34, was '" + name + "'");
  }
}
