package io.edgecam.ctl.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.ctl.Home;
import io.edgecam.face.detect.TileScheduler;
import io.edgecam.face.image.Frame;
import io.edgecam.face.image.Images;
import io.edgecam.face.inference.InferenceEngine;
import io.edgecam.face.inference.ModelLoadException;
import io.edgecam.face.inference.ModelStore;
import io.edgecam.face.pipeline.DetectorKind;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.FaceResult;
import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.face.pipeline.Precision;
import io.edgecam.face.quality.QualityThresholds;
import io.edgecam.face.scene.CctvSceneGenerator;
import io.edgecam.face.scene.DetectionBench;
import io.edgecam.face.scene.Portrait;
import io.edgecam.face.scene.Scene;
import io.edgecam.protocol.EdgecamException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgecam bench detect}: recall per face size, false positives per frame and time per frame
 * of each detector mode on generated CCTV frames (faces pasted at known sizes into backgrounds),
 * the whole-frame {@code full} detector measured in the same run as the baseline.
 */
@Command(
    name = "detect",
    mixinStandardHelpOptions = true,
    description =
        "Detector modes on generated CCTV frames (real faces pasted at 20-112 px into 1080p and"
            + " 720p backgrounds, clean and degraded): recall per face size, false positives per"
            + " frame, ms per frame; JSON. The whole-frame full detector is the baseline.")
public final class BenchDetectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--faces",
      paramLabel = "DIR",
      description =
          "Photos of people, one folder per identity (default: ../shared/data/faces beside the"
              + " installation, when present).")
  Path faces;

  @Option(
      names = "--backgrounds",
      paramLabel = "DIR",
      description =
          "Photos without faces used as backgrounds (default: ../shared/data/noface beside the"
              + " installation, when present).")
  Path backgrounds;

  @Option(
      names = "--frames",
      defaultValue = "6",
      description =
          "Frames per resolution and condition (clean, degraded); each holds one face of every"
              + " size (default: ${DEFAULT-VALUE}).")
  int frames = 6;

  @Option(
      names = "--resolution",
      split = ",",
      defaultValue = "1920x1080,1280x720",
      paramLabel = "WxH",
      description = "Frame sizes (default: ${DEFAULT-VALUE}).")
  List<String> resolutions = new ArrayList<>();

  @Option(
      names = "--detector",
      split = ",",
      defaultValue = "full,short,full+tiles,short+tiles",
      paramLabel = "MODE",
      description = "Detector modes to measure (default: ${DEFAULT-VALUE}).")
  List<String> modes = new ArrayList<>();

  @Option(
      names = "--min-face-size",
      defaultValue = "24",
      description =
          "pipeline.minFaceSize of the tiled modes, px (default: ${DEFAULT-VALUE}, as the"
              + " agent).")
  int minFaceSize = 24;

  @Option(
      names = "--verify",
      description =
          "Verify tile-only faces as detect/eval do for still photos (default: off, as the"
              + " agent; every tile is searched every frame either way).")
  boolean verify;

  @Option(
      names = "--min-score",
      defaultValue = "0.6",
      description =
          "Quality gate minScore for the gated figures (sharpness 20, yaw 45, roll 30 as the"
              + " agent's defaults; no size limit) (default: ${DEFAULT-VALUE}).")
  float minScore = 0.6f;

  @Option(
      names = "--precision",
      defaultValue = "float",
      paramLabel = "float|int8",
      description = "Model precision (default: ${DEFAULT-VALUE}).")
  String precision = "float";

  @Option(
      names = "--threads",
      defaultValue = "2",
      description = "TFLite threads (default: ${DEFAULT-VALUE}).")
  int threads = 2;

  @Option(names = "--models", paramLabel = "DIR", description = "Models directory.")
  Path models;

  @Option(names = "--seed", defaultValue = "1", description = "Scene seed (default: 1).")
  long seed = 1;

  @Option(
      names = "--save",
      paramLabel = "DIR",
      description =
          "Also write the generated frames (JPEG q95) and their ground truth (truth.json) to DIR,"
              + " e.g. as frames for bench pipeline or a folder source.")
  Path save;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<DetectorKind> kinds = new ArrayList<>();
    List<int[]> sizes = new ArrayList<>();
    PipelineConfig base;
    try {
      for (String m : modes) {
        kinds.add(DetectorKind.parse(m));
      }
      if (!kinds.contains(DetectorKind.FULL)) {
        kinds.add(0, DetectorKind.FULL); // the baseline is always measured
      }
      for (String r : resolutions) {
        sizes.add(resolution(r));
      }
      if (frames < 1 || frames > 1000) {
        throw new IllegalArgumentException("--frames must be in 1..1000, was " + frames);
      }
      base =
          PipelineConfig.defaults()
              .withModelsDir(models)
              .withThreads(threads)
              .withPrecision(precision(precision))
              .withMinFaceSize(minFaceSize)
              .withQuality(new QualityThresholds(0, minScore, 20, 45, 30));
      faces = data(faces, "faces", "--faces");
      backgrounds = data(backgrounds, "noface", "--backgrounds");
    } catch (IllegalArgumentException e) {
      err.println("edgecam bench detect: " + e.getMessage());
      return 2;
    }
    try {
      err.println("generating scenes from " + faces + " and " + backgrounds + "...");
      CctvSceneGenerator generator = generator(base);
      Map<String, Object> report = new LinkedHashMap<>();
      Map<String, Object> set = new LinkedHashMap<>();
      set.put("faces", faces.toString());
      set.put("backgrounds", backgrounds.toString());
      set.put("sizes_px", CctvSceneGenerator.SIZES);
      set.put("frames_per_resolution", 2 * frames);
      set.put("faces_per_size_per_resolution", 2 * frames);
      set.put("conditions", List.of("clean", "degraded: 3x3 blur, noise sigma 6, JPEG q40"));
      set.put("match", "IoU >= 0.3 with the pasted face's box");
      report.put("set", set);
      report.put("precision", precision);
      report.put("threads", threads);
      report.put("min_face_size", minFaceSize);
      report.put("verify_tile_faces", verify);
      report.put("baseline", DetectorKind.FULL.label());
      report.put("model_invoke_ms", invokeMs(base));
      List<Map<String, Object>> results = new ArrayList<>();
      List<Map<String, Object>> truth = new ArrayList<>();
      for (int[] wh : sizes) {
        List<Scene> scenes = new ArrayList<>();
        scenes.addAll(
            generator.scenes(wh[0], wh[1], frames, CctvSceneGenerator.SIZES, false, seed));
        scenes.addAll(
            generator.scenes(wh[0], wh[1], frames, CctvSceneGenerator.SIZES, true, seed + 1));
        if (save != null) {
          save(scenes, truth);
        }
        double baselineMs = Double.NaN;
        for (DetectorKind kind : kinds) {
          err.printf(Locale.ROOT, "%dx%d %s...%n", wh[0], wh[1], kind.label());
          try (FacePipeline p = FacePipeline.open(base.withDetector(kind))) {
            p.tileScheduler(TileScheduler.everyTile(verify));
            DetectionBench.run(p, scenes.subList(0, 1)); // warm-up
            DetectionBench.Result r = DetectionBench.run(p, scenes);
            if (kind == DetectorKind.FULL) {
              baselineMs = r.msPerFrame();
            }
            results.add(row(wh, kind, r, baselineMs));
          } catch (ModelLoadException e) {
            // e.g. no int8 full-range model: say so and measure the other modes
            Map<String, Object> skipped = new LinkedHashMap<>();
            skipped.put("resolution", wh[0] + "x" + wh[1]);
            skipped.put("mode", kind.label());
            skipped.put("skipped", e.getMessage());
            results.add(skipped);
          }
        }
      }
      report.put("results", results);
      if (save != null) {
        new ObjectMapper()
            .writerWithDefaultPrettyPrinter()
            .writeValue(save.resolve("truth.json").toFile(), truth);
        report.put("saved", save.toString());
      }
      out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
      out.flush();
      return 0;
    } catch (EdgecamException | IOException | java.io.UncheckedIOException e) {
      err.println("edgecam bench detect: " + e.getMessage());
      return 1;
    }
  }

  private void save(List<Scene> scenes, List<Map<String, Object>> truth) throws IOException {
    Files.createDirectories(save);
    for (Scene s : scenes) {
      String file = s.name() + ".jpg";
      Files.write(save.resolve(file), CctvSceneGenerator.jpeg(s.frame(), 0.95f));
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("file", file);
      t.put("degraded", s.degraded());
      t.put("faces", s.faces());
      truth.add(t);
    }
  }

  /**
   * Raw {@code Invoke()} time of the short- and full-range models, interleaved run by run so that
   * both see the same machine load: which model is cheaper per tile.
   */
  private static Map<String, Object> invokeMs(PipelineConfig base) {
    ModelStore store =
        base.modelsDir() != null ? ModelStore.at(base.modelsDir()) : ModelStore.locate();
    String shortName =
        DetectorKind.SHORT.modelName() + (base.precision() == Precision.INT8 ? "-int8" : "");
    String fullName =
        DetectorKind.FULL.modelName() + (base.precision() == Precision.INT8 ? "-int8" : "");
    long[] total = new long[2];
    int runs = 100;
    if (!store.has(shortName) || !store.has(fullName)) {
      return Map.of("skipped", "needs " + shortName + " and " + fullName);
    }
    try (InferenceEngine s = store.open(shortName, base.threads());
        InferenceEngine f = store.open(fullName, base.threads())) {
      for (int i = 0; i < runs + 10; i++) {
        s.invoke();
        f.invoke();
        if (i >= 10) {
          total[0] += s.lastInvokeNanos();
          total[1] += f.lastInvokeNanos();
        }
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(DetectorKind.SHORT.label(), round(total[0] / 1e6 / runs));
    m.put(DetectorKind.FULL.label(), round(total[1] / 1e6 / runs));
    m.put("runs_each_interleaved", runs);
    return m;
  }

  private static Map<String, Object> row(
      int[] wh, DetectorKind kind, DetectionBench.Result r, double baselineMs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("resolution", wh[0] + "x" + wh[1]);
    m.put("mode", kind.label());
    Map<String, Object> recall = new LinkedHashMap<>();
    Map<String, Object> passed = new LinkedHashMap<>();
    for (int s : CctvSceneGenerator.SIZES) {
      recall.put(Integer.toString(s), round(r.recall(s)));
      passed.put(Integer.toString(s), round(r.passedRate(s)));
    }
    m.put("recall", recall);
    m.put("found_and_gate_passed", passed);
    m.put("faces_per_size", r.faces().values().stream().findFirst().orElse(0));
    m.put("frames", r.frames());
    m.put("fp_per_frame", round(r.falsePositivesPerFrame()));
    m.put("fp_gated_per_frame", round(r.falsePositivesGatedPerFrame()));
    m.put("ms_per_frame", round(r.msPerFrame()));
    m.put("detector_invoke_ms_per_frame", round(r.detectorInvokeMsPerFrame()));
    m.put("tiles_per_frame", round(r.tilesPerFrame()));
    m.put(
        "ms_vs_baseline",
        Double.isFinite(baselineMs) ? round(r.msPerFrame() / baselineMs) : null); // no baseline
    return m;
  }

  private static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
  }

  private CctvSceneGenerator generator(PipelineConfig base) {
    List<Portrait> portraits;
    try (FacePipeline finder = FacePipeline.open(base.withDetector(DetectorKind.SHORT))) {
      portraits =
          CctvSceneGenerator.portraits(
              faces,
              image -> {
                FaceResult best = finder.best(image);
                return best == null ? null : best.detection();
              });
    }
    List<Frame> bg =
        CctvSceneGenerator.images(backgrounds, false).stream().map(Images::read).toList();
    if (portraits.isEmpty() || bg.isEmpty()) {
      throw new EdgecamException(
          (portraits.isEmpty() ? faces + ": no photo with a face" : backgrounds + ": no image"));
    }
    return new CctvSceneGenerator(portraits, bg);
  }

  private static Path data(Path given, String name, String option) {
    if (given != null) {
      if (!Files.isDirectory(given)) {
        throw new IllegalArgumentException(option + ": not a directory: " + given);
      }
      return given;
    }
    Path d =
        Home.locate().resolve("..").resolve("shared").resolve("data").resolve(name).normalize();
    if (!Files.isDirectory(d)) {
      throw new IllegalArgumentException(option + " is required (no " + d + ")");
    }
    return d;
  }

  private static int[] resolution(String r) {
    String[] p = r.trim().toLowerCase(Locale.ROOT).split("x");
    try {
      int w = Integer.parseInt(p[0]);
      int h = Integer.parseInt(p[1]);
      if (p.length == 2 && w >= 320 && h >= 240 && w <= 7680 && h <= 4320) {
        return new int[] {w, h};
      }
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "--resolution: expected WxH between 320x240 and 7680x4320, was '" + r + "'");
  }

  private static Precision precision(String p) {
    return switch (p.toLowerCase(Locale.ROOT)) {
      case "float" -> Precision.FLOAT;
      case "int8" -> Precision.INT8;
      default ->
          throw new IllegalArgumentException(
              "--precision: expected float or int8, was '" + p + "'");
    };
  }
}
