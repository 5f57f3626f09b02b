package io.edgecam.face.pipeline;

import io.edgecam.face.quality.QualityThresholds;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The pipeline options every face command shares ({@code --models}, {@code --precision}, {@code
 * --threads}, {@code --detector}, {@code --embedder}); a picocli mixin.
 */
public final class PipelineOptions {
  @Option(
      names = "--models",
      paramLabel = "DIR",
      description =
          "Models directory (default: EDGECAM_MODELS, EDGECAM_HOME/models, or the checkout's models/).")
  Path models;

  @Option(
      names = "--precision",
      paramLabel = "auto|int8|float",
      defaultValue = "auto",
      converter = PrecisionConverter.class,
      description =
          "Model precision; auto measures both and keeps the faster that agrees (default: ${DEFAULT-VALUE}).")
  Precision precision = Precision.AUTO;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "2",
      description = "TFLite threads per model (default: ${DEFAULT-VALUE}).")
  int threads = 2;

  @Option(
      names = "--detector",
      paramLabel = "short|full|short+tiles|full+tiles",
      converter = DetectorConverter.class,
      description =
          "BlazeFace short-range (close faces) or full-range on the whole image, or either on the"
              + " whole image plus tiles sized for 28 px faces, tile-only faces verified (group"
              + " photos, CCTV frames; ~20-150x the model runs) (default: short+tiles for still"
              + " images, short for bench pipeline, like the agent).")
  DetectorKind detector;

  @Option(
      names = "--embedder",
      paramLabel = "mobilefacenet|faceapi-resnet34",
      defaultValue = "mobilefacenet",
      converter = EmbedderConverter.class,
      description =
          "Face embedder: MobileFaceNet (192-d) or face-api's ResNet-34 (128-d); their embeddings"
              + " are not comparable (default: ${DEFAULT-VALUE}).")
  EmbedderKind embedder = EmbedderKind.MOBILEFACENET;

  /**
   * The pipeline configuration these options describe, for still images: the detector defaults to
   * {@link DetectorKind#SHORT_TILES}.
   *
   * @throws IllegalArgumentException naming the option if a value is out of range
   */
  public PipelineConfig toConfig(QualityThresholds quality) {
    return toConfig(quality, DetectorKind.SHORT_TILES);
  }

  /**
   * The pipeline configuration these options describe; {@code defaultDetector} unless {@code
   * --detector} was given.
   *
   * @throws IllegalArgumentException naming the option if a value is out of range
   */
  public PipelineConfig toConfig(QualityThresholds quality, DetectorKind defaultDetector) {
    if (threads < 1 || threads > 64) {
      throw new IllegalArgumentException("--threads must be in 1..64, was " + threads);
    }
    return PipelineConfig.defaults()
        .withModelsDir(models)
        .withPrecision(precision)
        .withThreads(threads)
        .withDetector(detector != null ? detector : defaultDetector)
        .withEmbedder(embedder)
        .withQuality(quality);
  }

  /** Case-insensitive {@link Precision}. */
  static final class PrecisionConverter implements ITypeConverter<Precision> {
    @Override
    public Precision convert(String value) {
      try {
        return Precision.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("expected auto, int8 or float, was '" + value + "'");
      }
    }
  }

  /** {@code short}, {@code full}, {@code short+tiles} or {@code full+tiles}. */
  static final class DetectorConverter implements ITypeConverter<DetectorKind> {
    @Override
    public DetectorKind convert(String value) {
      try {
        return DetectorKind.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code mobilefacenet} or {@code faceapi-resnet34}. */
  static final class EmbedderConverter implements ITypeConverter<EmbedderKind> {
    @Override
    public EmbedderKind convert(String value) {
      try {
        return EmbedderKind.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
