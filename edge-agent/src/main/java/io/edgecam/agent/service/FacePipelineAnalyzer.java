package io.edgecam.agent.service;

import io.edgecam.agent.config.FacePipelineConfig;
import io.edgecam.agent.config.QualityConfig;
import io.edgecam.agent.sweep.SweepScheduler;
import io.edgecam.agent.track.Face;
import io.edgecam.face.detect.Detection;
import io.edgecam.face.image.Frame;
import io.edgecam.face.inference.ModelStore;
import io.edgecam.face.pipeline.DetectorKind;
import io.edgecam.face.pipeline.EmbedderKind;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.FaceResult;
import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.face.pipeline.Precision;
import io.edgecam.face.pipeline.PrecisionReport;
import io.edgecam.face.quality.QualityThresholds;
import io.edgecam.face.quality.QualityVerdict;
import io.edgecam.protocol.Box;
import io.edgecam.protocol.Health;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link FaceAnalyzer} on the TFLite {@link FacePipeline}. In the tiled detector modes a {@link
 * SweepScheduler} decides which tiles each frame searches.
 */
public final class FacePipelineAnalyzer implements FaceAnalyzer {
  /** Sharpness at which a face counts as fully sharp in the quality score. */
  private static final double SHARP = 200;

  private final FacePipeline pipeline;
  private final SweepScheduler sweep;
  private final AtomicLong tooSmall = new AtomicLong();

  private FacePipelineAnalyzer(FacePipeline pipeline, int sweepFrames, int frameBudgetMs) {
    this.pipeline = pipeline;
    this.sweep = new SweepScheduler(sweepFrames, frameBudgetMs, System::nanoTime);
    pipeline.tileScheduler(sweep);
  }

  private FacePipelineAnalyzer(FacePipeline pipeline, FacePipelineConfig config) {
    this(pipeline, config.sweepFrames(), config.frameBudgetMs());
  }

  /**
   * Loads the models.
   *
   * @throws io.edgecam.face.inference.ModelLoadException if a model is missing or corrupt
   */
  public static FacePipelineAnalyzer open(FacePipelineConfig config) {
    return new FacePipelineAnalyzer(FacePipeline.open(toPipelineConfig(config)), config);
  }

  /**
   * Loads the models from {@code store} (built-in models, possibly overridden by updates) with the
   * pipeline settings of {@code config} ({@code models} is not used).
   *
   * @throws io.edgecam.face.inference.ModelLoadException if a model is missing or corrupt
   */
  public static FacePipelineAnalyzer open(FacePipelineConfig config, ModelStore store) {
    return new FacePipelineAnalyzer(FacePipeline.open(toPipelineConfig(config), store), config);
  }

  /**
   * Runs {@code pipeline} (its owner hands it over; closed with this analyzer); tiled modes sweep
   * every tile each frame, without a budget.
   */
  public static FacePipelineAnalyzer of(FacePipeline pipeline) {
    return new FacePipelineAnalyzer(pipeline, 1, 0);
  }

  /**
   * Runs {@code pipeline} (handed over; closed with this analyzer) with the sweep settings of an
   * agent.yaml {@code pipeline} section: how a model update's pipeline runs.
   */
  public static FacePipelineAnalyzer of(FacePipeline pipeline, FacePipelineConfig config) {
    return new FacePipelineAnalyzer(pipeline, config);
  }

  /** The pipeline settings of an agent.yaml {@code pipeline} section. */
  public static PipelineConfig toPipelineConfig(FacePipelineConfig c) {
    QualityConfig q = c.quality();
    PipelineConfig p =
        PipelineConfig.defaults()
            .withDetector(
                switch (c.detector()) {
                  case SHORT -> DetectorKind.SHORT;
                  case FULL -> DetectorKind.FULL;
                  case SHORT_TILES -> DetectorKind.SHORT_TILES;
                  case FULL_TILES -> DetectorKind.FULL_TILES;
                })
            .withMinFaceSize(c.minFaceSize())
            .withPrecision(
                switch (c.precision()) {
                  case AUTO -> Precision.AUTO;
                  case INT8 -> Precision.INT8;
                  case FLOAT -> Precision.FLOAT;
                })
            .withThreads(c.threads())
            .withEmbedder(
                c.embedder() == FacePipelineConfig.Embedder.FACEAPI_RESNET34
                    ? EmbedderKind.FACEAPI_RESNET34
                    : EmbedderKind.MOBILEFACENET)
            .withQuality(
                new QualityThresholds(
                    q.minFaceSize(),
                    (float) q.minScore(),
                    q.minSharpness(),
                    q.maxYawDegrees(),
                    q.maxRollDegrees()));
    return c.models() == null ? p : p.withModelsDir(c.models());
  }

  @Override
  public List<Face> analyze(Frame frame) {
    List<FaceResult> results = pipeline.process(frame);
    List<Face> faces = new ArrayList<>(results.size());
    for (FaceResult r : results) {
      Detection d = r.detection();
      if (r.quality().reason() == QualityVerdict.Reason.TOO_SMALL) {
        tooSmall.incrementAndGet();
      }
      faces.add(new Face(box(d, frame), d.score(), quality(d, r.quality()), r.embedding()));
    }
    return faces;
  }

  /** Detector box clamped to the frame, in whole pixels. */
  private static Box box(Detection d, Frame frame) {
    int x0 = clamp(Math.round(d.x()), frame.width());
    int y0 = clamp(Math.round(d.y()), frame.height());
    int x1 = clamp(Math.round(d.x() + d.width()), frame.width());
    int y1 = clamp(Math.round(d.y() + d.height()), frame.height());
    return new Box(x0, y0, x1 - x0, y1 - y0);
  }

  private static int clamp(int v, int max) {
    return Math.max(0, Math.min(Math.min(max, Box.MAX_COORDINATE), v));
  }

  /** 0..1: detection score, frontalness (cos yaw) and sharpness together pick the best shot. */
  static float quality(Detection d, QualityVerdict v) {
    double frontal = Math.max(0, Math.cos(Math.toRadians(Math.abs(v.yawDegrees()))));
    double sharp = Math.min(1, Math.max(0, v.sharpness()) / SHARP);
    double q = Math.max(0, Math.min(1, d.score())) * frontal * (0.5 + 0.5 * sharp);
    return (float) Math.max(0, Math.min(1, q));
  }

  /**
   * The embedder manifest's tag. int8 and float variants of the embedder share it: they agree
   * within the precision selector's cosine budget, so the matcher may compare them.
   */
  @Override
  public String modelTag() {
    return pipeline.embedderTag();
  }

  @Override
  public Map<String, String> versions() {
    PrecisionReport p = pipeline.precision();
    Map<String, String> m = new LinkedHashMap<>();
    m.put("detector", p.detectorModel());
    m.put("embedder", p.embedderModel());
    m.put("precision", p.chosen().name().toLowerCase());
    return m;
  }

  /**
   * {@code faces_too_small}: faces found but below {@code quality.minFaceSize} (camera too far:
   * zoom in); {@code sweep_cut_short}: frames whose tile sweep the budget cut; {@code
   * tiles_searched}.
   */
  @Override
  public Map<String, Long> counters() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("faces_too_small", tooSmall.get());
    m.put("sweep_cut_short", sweep.framesCutShort());
    m.put("tiles_searched", sweep.tilesSearched());
    return m;
  }

  @Override
  public Health health() {
    return Health.ok();
  }

  @Override
  public void close() {
    pipeline.close();
  }
}
