package io.edgecam.face.pipeline;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgecam.face.align.AlignedFace;
import io.edgecam.face.align.FaceAligner;
import io.edgecam.face.detect.BlazeFaceDetector;
import io.edgecam.face.detect.Detection;
import io.edgecam.face.embed.FaceEmbedder;
import io.edgecam.face.embed.FaceInput;
import io.edgecam.face.embed.Vectors;
import io.edgecam.face.image.Frame;
import io.edgecam.face.inference.ModelLoadException;
import io.edgecam.face.inference.ModelManifest;
import io.edgecam.face.inference.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves {@link Precision#AUTO}: runs float and int8 variants on the {@link GoldenFace}, checks
 * that int8 agrees with float (best-box IoU, embedding cosine) and keeps the faster.
 */
final class PrecisionSelector {
  private static final Logger log = LoggerFactory.getLogger(PrecisionSelector.class);
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  static final double MIN_IOU = 0.7;
  static final double MIN_COSINE = 0.95;
  private static final int DETECTOR_RUNS = 7;
  private static final int EMBEDDER_RUNS = 3;

  private PrecisionSelector() {}

  static String int8(String model) {
    return model + "-int8";
  }

  static PrecisionReport choose(ModelStore store, PipelineConfig config) {
    String det = config.detector().modelName();
    String embedder = config.embedder().modelName();
    Precision requested = config.precision();
    boolean int8Present = store.has(int8(det)) && store.has(int8(embedder));
    String missing = !store.has(int8(det)) ? int8(det) : int8(embedder);
    switch (requested) {
      case FLOAT:
        return PrecisionReport.unmeasured(
            requested, Precision.FLOAT, "float configured", det, embedder);
      case INT8:
        if (!int8Present) {
          throw new ModelLoadException(
              "precision int8 requested but model "
                  + missing
                  + " is not installed in "
                  + store.dir());
        }
        return PrecisionReport.unmeasured(
            requested, Precision.INT8, "int8 configured", int8(det), int8(embedder));
      default:
        if (!int8Present) {
          return PrecisionReport.unmeasured(
              requested,
              Precision.FLOAT,
              "int8 models not installed ("
                  + missing
                  + " missing in "
                  + store.dir()
                  + "); using float",
              det,
              embedder);
        }
        return cachedOrMeasure(store, config, det, embedder);
    }
  }

  /** What a stored measurement is valid for: same CPU, threads, and model files. */
  private record Cached(String key, PrecisionReport report) {}

  /**
   * The measurement is recorded in {@code models/cache/precision-<detector>.json} and reused while
   * the CPU, thread count and model hashes are unchanged: "first start" measures, later starts (and
   * CLI commands) do not pay for it again.
   */
  private static PrecisionReport cachedOrMeasure(
      ModelStore store, PipelineConfig config, String det, String embedder) {
    String key =
        String.join(
            "|",
            System.getProperty("os.arch"),
            Integer.toString(Runtime.getRuntime().availableProcessors()),
            Integer.toString(config.threads()),
            Float.toString(config.minDetectionScore()),
            store.manifest(det).sha256(),
            store.manifest(embedder).sha256(),
            store.manifest(int8(det)).sha256(),
            store.manifest(int8(embedder)).sha256());
    // MobileFaceNet keeps the file name it always had; another embedder gets its own file.
    String suffix = config.embedder() == EmbedderKind.MOBILEFACENET ? "" : "-" + embedder;
    Path file = store.dir().resolve("cache").resolve("precision-" + det + suffix + ".json");
    try {
      if (Files.isRegularFile(file)) {
        Cached cached = JSON.readValue(file.toFile(), Cached.class);
        if (key.equals(cached.key())) {
          log.debug("precision choice from {}", file);
          return cached.report();
        }
      }
    } catch (IOException e) {
      log.debug("ignoring unreadable {}: {}", file, e.toString());
    }
    PrecisionReport report = measure(store, config, det, embedder);
    try {
      Files.createDirectories(file.getParent());
      JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), new Cached(key, report));
    } catch (IOException e) {
      log.info(
          "cannot record the precision choice in {} ({}); it will be measured again",
          file,
          e.getMessage());
    }
    return report;
  }

  private static PrecisionReport measure(
      ModelStore store, PipelineConfig config, String det, String embedder) {
    Frame golden = GoldenFace.draw();
    Measured f = run(store, config, det, embedder, golden, null);
    Measured q = run(store, config, int8(det), int8(embedder), golden, f.face);
    double iou = f.face == null || q.face == null ? (f.face == q.face ? 1 : 0) : f.face.iou(q.face);
    double cosine = Vectors.cosine(f.embedding, q.embedding);
    double floatMs = f.detectorMs + f.embedderMs;
    double int8Ms = q.detectorMs + q.embedderMs;
    boolean agrees = iou >= MIN_IOU && cosine >= MIN_COSINE;
    Precision chosen = agrees && int8Ms < floatMs ? Precision.INT8 : Precision.FLOAT;
    String reason;
    if (!agrees) {
      reason =
          String.format(
              "int8 disagrees with float on the golden face (IoU %.2f, cosine %.3f;"
                  + " need >= %.2f, >= %.2f); using float",
              iou, cosine, MIN_IOU, MIN_COSINE);
    } else {
      reason =
          String.format(
              "measured: float %.2f ms, int8 %.2f ms per detect+embed; %s is faster",
              floatMs, int8Ms, chosen == Precision.INT8 ? "int8" : "float");
    }
    boolean useInt8 = chosen == Precision.INT8;
    return new PrecisionReport(
        Precision.AUTO,
        chosen,
        reason,
        useInt8 ? int8(det) : det,
        useInt8 ? int8(embedder) : embedder,
        f.detectorMs,
        f.embedderMs,
        q.detectorMs,
        q.embedderMs,
        iou,
        cosine);
  }

  private record Measured(
      double detectorMs, double embedderMs, Detection face, float[] embedding) {}

  /** Times both models on the golden frame; aligns on {@code alignOn} if given (same crop). */
  private static Measured run(
      ModelStore store,
      PipelineConfig config,
      String det,
      String emb,
      Frame golden,
      Detection alignOn) {
    ModelManifest.AnchorSpec anchors = store.anchors(store.manifest(det));
    try (BlazeFaceDetector detector =
            new BlazeFaceDetector(
                store.open(det, config.threads()), anchors, config.minDetectionScore());
        FaceEmbedder embedder =
            new FaceEmbedder(store.open(emb, config.threads()), config.embedder().input(), true)) {
      long[] detTimes = new long[DETECTOR_RUNS];
      List<Detection> found = List.of();
      for (int i = 0; i < DETECTOR_RUNS; i++) {
        found = detector.detect(golden);
        detTimes[i] = detector.lastInvokeNanos();
      }
      Detection face = FacePipeline.choose(found);
      Detection align = alignOn != null ? alignOn : face != null ? face : fallbackBox();
      FaceInput input = config.embedder().input();
      AlignedFace aligned = new AlignedFace(input.size());
      new FaceAligner(input.template(), input.size()).align(golden, align, aligned);
      long[] embTimes = new long[EMBEDDER_RUNS];
      float[] embedding = null;
      for (int i = 0; i < EMBEDDER_RUNS; i++) {
        embedding = embedder.embed(aligned);
        embTimes[i] = embedder.lastInvokeNanos();
      }
      return new Measured(medianMs(detTimes), medianMs(embTimes), face, embedding);
    }
  }

  /** Where the golden face's features are drawn, when a detector does not find it. */
  private static Detection fallbackBox() {
    return new Detection(
        66,
        52,
        124,
        160,
        1f,
        new float[] {104, 118, 152, 118, 128, 152, 128, 176, 66, 130, 190, 130});
  }

  private static double medianMs(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2] / 1e6;
  }
}
