package io.edgecam.face.pipeline;

import io.edgecam.face.align.AlignedFace;
import io.edgecam.face.align.FaceAligner;
import io.edgecam.face.detect.BlazeFaceDetector;
import io.edgecam.face.detect.Detection;
import io.edgecam.face.detect.TileScheduler;
import io.edgecam.face.detect.TiledFaceSearch;
import io.edgecam.face.embed.FaceEmbedder;
import io.edgecam.face.embed.FaceInput;
import io.edgecam.face.image.Frame;
import io.edgecam.face.inference.InferenceEngine;
import io.edgecam.face.inference.ModelStore;
import io.edgecam.face.quality.QualityGate;
import io.edgecam.face.quality.QualityVerdict;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-device face pipeline: detect (BlazeFace) -> align (similarity transform to the 112x112
 * template) -> quality gate -> embed (MobileFaceNet, or face-api's ResNet-34 on its own 150x150
 * alignment; L2-normalised). The quality gate always judges the 112x112 chip, so its thresholds do
 * not depend on the embedder. Interpreters and buffers are created once at {@link #open} and reused
 * for every frame.
 *
 * <p>Not thread-safe: a pipeline belongs to one thread (the capture loop, or a CLI command).
 */
public final class FacePipeline implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FacePipeline.class);

  /** Faces scoring within this fraction of the best are candidates for "largest" in best(). */
  private static final float BEST_SCORE_FRACTION = 0.8f;

  private final PipelineConfig config;
  private final PrecisionReport precision;
  private final BlazeFaceDetector detector;
  private final FaceEmbedder embedder;
  private final FaceAligner aligner = new FaceAligner();

  /** Aligns for the embedder when its chip differs from the gate's 112x112 one, else null. */
  private final FaceAligner embedAligner;

  private final QualityGate gate;
  private final TiledFaceSearch tiles;
  private TileScheduler tileScheduler = TileScheduler.everyTile();
  private final List<AlignedFace> aligned = new ArrayList<>();
  private final List<AlignedFace> embedChips = new ArrayList<>();
  private final List<AlignedFace> toEmbed = new ArrayList<>();
  private final List<float[]> embeddings = new ArrayList<>();

  private FacePipeline(
      PipelineConfig config,
      PrecisionReport precision,
      BlazeFaceDetector detector,
      FaceEmbedder embedder) {
    this.config = config;
    this.precision = precision;
    this.detector = detector;
    this.embedder = embedder;
    this.gate = new QualityGate(config.quality());
    this.tiles =
        new TiledFaceSearch(detector, config.minFaceSize(), config.detector().minFaceFraction());
    FaceInput input = embedder.input();
    this.embedAligner =
        input.equals(FaceInput.MOBILEFACENET)
            ? null
            : new FaceAligner(input.template(), input.size());
  }

  /**
   * Loads the models (sha256-verified) and, for {@link Precision#AUTO}, measures float against int8
   * to choose.
   *
   * @throws io.edgecam.face.inference.ModelLoadException if a model is missing or corrupt
   */
  public static FacePipeline open(PipelineConfig config) {
    return open(
        config,
        config.modelsDir() != null ? ModelStore.at(config.modelsDir()) : ModelStore.locate());
  }

  /**
   * Like {@link #open(PipelineConfig)} on a given store (e.g. one with models installed by an
   * update overriding the built-in ones); {@code config.modelsDir()} is not used.
   *
   * @throws io.edgecam.face.inference.ModelLoadException if a model is missing or corrupt
   */
  public static FacePipeline open(PipelineConfig config, ModelStore store) {
    PrecisionReport report = PrecisionSelector.choose(store, config);
    InferenceEngine det = store.open(report.detectorModel(), config.threads());
    InferenceEngine emb = null;
    try {
      emb = store.open(report.embedderModel(), config.threads());
      FacePipeline pipeline =
          new FacePipeline(
              config,
              report,
              new BlazeFaceDetector(det, store.anchors(det.manifest()), config.minDetectionScore()),
              new FaceEmbedder(emb, config.embedder().input(), config.flipEmbedding()));
      log.info(
          "face pipeline: {} + {} ({}: {})",
          report.detectorModel(),
          report.embedderModel(),
          report.chosen(),
          report.reason());
      return pipeline;
    } catch (RuntimeException e) {
      det.close();
      if (emb != null) {
        emb.close();
      }
      throw e;
    }
  }

  /** The configuration this pipeline was opened with. */
  public PipelineConfig config() {
    return config;
  }

  /** Tag of the embedder's embedding space, as written into candidates. */
  public String embedderTag() {
    return embedder.manifest().wireTag();
  }

  /** The precision in use and the figures it was chosen on. */
  public PrecisionReport precision() {
    return precision;
  }

  /**
   * Which tiles the tiled detector modes search in each frame (default: every tile, for still
   * photos; the agent installs its sweep scheduler). Not used by the whole-frame modes.
   */
  public void tileScheduler(TileScheduler scheduler) {
    this.tileScheduler = scheduler;
  }

  /** The tiled search (its grid and per-frame figures); used by the tiled detector modes. */
  public TiledFaceSearch tiledSearch() {
    return tiles;
  }

  /** Faces in the frame (detection only), best score first. */
  public List<Detection> detect(Frame frame) {
    return config.detector().tiled() ? tiles.search(frame, tileScheduler) : detector.detect(frame);
  }

  /**
   * Every face in the frame: detection, quality verdict, and the embedding of those that pass the
   * gate (batched through the embedder).
   */
  public List<FaceResult> process(Frame frame) {
    List<Detection> detections = detect(frame);
    List<QualityVerdict> verdicts = new ArrayList<>(detections.size());
    toEmbed.clear();
    embeddings.clear();
    for (int i = 0; i < detections.size(); i++) {
      AlignedFace face = alignedBuffer(i);
      aligner.align(frame, detections.get(i), face);
      QualityVerdict verdict = gate.judge(detections.get(i), face);
      verdicts.add(verdict);
      if (verdict.passed()) {
        toEmbed.add(embedChip(frame, detections.get(i), face, i));
        embeddings.add(new float[embedder.dimension()]);
      }
    }
    embedder.embedAll(toEmbed, embeddings);
    List<FaceResult> results = new ArrayList<>(detections.size());
    int e = 0;
    for (int i = 0; i < detections.size(); i++) {
      float[] embedding = verdicts.get(i).passed() ? embeddings.get(e++) : null;
      results.add(new FaceResult(detections.get(i), verdicts.get(i), embedding));
    }
    return results;
  }

  /**
   * The main face of the frame, or null if there is none: the largest among faces scoring within
   * 80% of the best score (the largest box alone can be a logo). Only that face is embedded.
   */
  public FaceResult best(Frame frame) {
    Detection best = choose(detect(frame));
    if (best == null) {
      return null;
    }
    AlignedFace face = alignedBuffer(0);
    aligner.align(frame, best, face);
    QualityVerdict verdict = gate.judge(best, face);
    return new FaceResult(
        best, verdict, verdict.passed() ? embedder.embed(embedChip(frame, best, face, 0)) : null);
  }

  /** The best-scoring detection, or the largest within 80% of its score; null if empty. */
  static Detection choose(List<Detection> detections) {
    Detection top = null;
    for (Detection d : detections) {
      if (top == null || d.score() > top.score()) {
        top = d;
      }
    }
    if (top == null) {
      return null;
    }
    Detection chosen = top;
    for (Detection d : detections) {
      if (d.score() >= BEST_SCORE_FRACTION * top.score() && d.area() > chosen.area()) {
        chosen = d;
      }
    }
    return chosen;
  }

  /** Raw detector {@code Invoke()} time of the last frame, ns. */
  public long lastDetectorInvokeNanos() {
    return detector.lastInvokeNanos();
  }

  /** Raw embedder {@code Invoke()} time of the last frame, ns. */
  public long lastEmbedderInvokeNanos() {
    return embedder.lastInvokeNanos();
  }

  /** The chip the embedder takes: {@code gateChip} itself, or one aligned to its own template. */
  private AlignedFace embedChip(Frame frame, Detection detection, AlignedFace gateChip, int i) {
    if (embedAligner == null) {
      return gateChip;
    }
    while (embedChips.size() <= i) {
      embedChips.add(new AlignedFace(embedAligner.size()));
    }
    AlignedFace chip = embedChips.get(i);
    embedAligner.align(frame, detection, chip);
    return chip;
  }

  private AlignedFace alignedBuffer(int i) {
    while (aligned.size() <= i) {
      aligned.add(new AlignedFace());
    }
    return aligned.get(i);
  }

  @Override
  public void close() {
    detector.close();
    embedder.close();
  }
}
