package io.edgecam.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.agent.bench.BenchResult;
import io.edgecam.agent.bench.PipelineBench;
import io.edgecam.agent.sweep.SweepScheduler;
import io.edgecam.face.image.Frame;
import io.edgecam.face.pipeline.DetectorKind;
import io.edgecam.face.pipeline.EmbedderKind;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.GoldenFace;
import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.face.pipeline.PipelineOptions;
import io.edgecam.face.pipeline.Precision;
import io.edgecam.face.quality.QualityThresholds;
import io.edgecam.protocol.EdgecamException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgecam bench pipeline [IMAGE...] [--json]}: raw TFLite invoke time vs the full pipeline
 * per frame, float and int8 (when installed) side by side. Registered under {@code bench} as {@code
 * pipeline}.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description =
        "Pipeline overhead over raw TFLite invoke time, and frames/s, per precision."
            + " Without IMAGE, a synthetic 640x480 frame with one face is used.")
public final class BenchPipelineCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PipelineOptions pipeline;

  @Option(names = "--json", description = "One JSON object on stdout (shape in README-cli.md).")
  boolean json;

  @Option(
      names = "--iterations",
      defaultValue = "200",
      description = "Frames measured (default: ${DEFAULT-VALUE}).")
  int iterations = 200;

  @Option(
      names = "--warmup",
      defaultValue = "20",
      description = "Frames before measuring (default: ${DEFAULT-VALUE}).")
  int warmup = 20;

  @Option(
      names = "--sweep-frames",
      defaultValue = "3",
      description =
          "For the +tiles detectors: the agent's sweep, every tile once in N frames plus the tiles"
              + " around the faces found (pipeline.sweepFrames; 1 = every tile every frame)"
              + " (default: ${DEFAULT-VALUE}).")
  int sweepFrames = 3;

  @Option(
      names = "--min-face-size",
      defaultValue = "24",
      description =
          "For the +tiles detectors: pipeline.minFaceSize, px, sizes the tiles (default:"
              + " ${DEFAULT-VALUE}, as the agent).")
  int minFaceSize = 24;

  @Parameters(arity = "0..*", paramLabel = "IMAGE", description = "Frames (JPEG/PNG) to use.")
  List<Path> images = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PipelineConfig base;
    PipelineBench bench;
    try {
      base =
          pipeline
              .toConfig(QualityThresholds.DEFAULTS, DetectorKind.SHORT)
              .withMinFaceSize(minFaceSize);
      if (sweepFrames < 1 || sweepFrames > 64) {
        throw new IllegalArgumentException("--sweep-frames must be in 1..64, was " + sweepFrames);
      }
      bench = new PipelineBench(warmup, iterations);
    } catch (IllegalArgumentException e) {
      err.println("edgecam bench pipeline: " + e.getMessage());
      return 2;
    }
    try {
      List<byte[]> frames = frames();
      List<BenchResult> results = new ArrayList<>();
      Map<String, Object> report = new LinkedHashMap<>();
      List<Precision> variants =
          base.precision() == Precision.AUTO
              ? List.of(Precision.FLOAT, Precision.INT8)
              : List.of(base.precision());
      results.addAll(run(bench, base, variants, frames, report, ""));
      // Another embedder than MobileFaceNet is timed against MobileFaceNet in the same run.
      List<BenchResult> baseline = List.of();
      if (base.embedder() != EmbedderKind.MOBILEFACENET) {
        baseline =
            run(
                bench,
                base.withEmbedder(EmbedderKind.MOBILEFACENET),
                variants,
                frames,
                report,
                "baseline_");
      }
      report.put("embedder", base.embedder().modelName());
      report.put("results", results);
      if (!baseline.isEmpty()) {
        report.put("baseline_embedder", EmbedderKind.MOBILEFACENET.modelName());
        report.put("baseline", baseline);
        Map<String, Double> ratio = new LinkedHashMap<>();
        for (BenchResult r : results) {
          for (BenchResult b : baseline) {
            if (b.precision().equals(r.precision())) {
              ratio.put(r.precision(), r.embedderInvokeMs() / b.embedderInvokeMs());
            }
          }
        }
        report.put("embedder_invoke_vs_baseline", ratio);
      }
      if (json) {
        out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
      } else {
        for (BenchResult r : results) {
          out.printf(
              "%-5s %s: raw invoke %.2f ms (detector %.2f + embedder %.2f), pipeline %.2f ms"
                  + " (%.1f fps), with decode %.2f ms (%.1f fps), overhead x%.2f, %.2f faces/frame%n",
              r.precision(),
              r.detector(),
              r.rawInvokeMs(),
              r.detectorInvokeMs(),
              r.embedderInvokeMs(),
              r.pipelineMs(),
              r.fps(),
              r.pipelineWithDecodeMs(),
              r.fpsWithDecode(),
              r.overheadRatio(),
              r.facesPerFrame());
        }
        if (report.containsKey("int8_skipped")) {
          out.println("int8 skipped: " + report.get("int8_skipped"));
        }
        if (report.containsKey("embedder_invoke_vs_baseline")) {
          out.println(
              base.embedder().modelName()
                  + " embedder invoke time / mobilefacenet's (same run): "
                  + report.get("embedder_invoke_vs_baseline"));
        }
      }
      out.flush();
      return 0;
    } catch (EdgecamException e) {
      err.println("edgecam bench pipeline: " + e.getMessage());
      return 1;
    }
  }

  /** Benchmarks {@code config} in each precision; an int8 failure under auto is only noted. */
  private List<BenchResult> run(
      PipelineBench bench,
      PipelineConfig config,
      List<Precision> variants,
      List<byte[]> frames,
      Map<String, Object> report,
      String prefix) {
    PrintWriter err = spec.commandLine().getErr();
    List<BenchResult> results = new ArrayList<>();
    for (Precision variant : variants) {
      try (FacePipeline p = FacePipeline.open(config.withPrecision(variant))) {
        p.tileScheduler(new SweepScheduler(sweepFrames, 0, System::nanoTime));
        err.println(
            "benchmarking "
                + config.embedder().modelName()
                + " "
                + variant.name().toLowerCase(java.util.Locale.ROOT)
                + "...");
        results.add(bench.run(p, frames));
      } catch (EdgecamException e) {
        if (variant != Precision.INT8 || config.precision() != Precision.AUTO) {
          throw e;
        }
        report.put(prefix + "int8_skipped", e.getMessage());
      }
    }
    return results;
  }

  private List<byte[]> frames() throws IOException {
    List<byte[]> frames = new ArrayList<>();
    for (Path image : images) {
      if (!Files.isRegularFile(image)) {
        throw new EdgecamException(image + ": no such file");
      }
      frames.add(Files.readAllBytes(image));
    }
    if (frames.isEmpty()) {
      frames.add(jpeg(GoldenFace.frame(640, 480)));
    }
    return frames;
  }

  private static byte[] jpeg(Frame frame) throws IOException {
    BufferedImage img =
        new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_INT_RGB);
    byte[] px = frame.rgb();
    for (int y = 0; y < frame.height(); y++) {
      for (int x = 0; x < frame.width(); x++) {
        int i = 3 * (y * frame.width() + x);
        img.setRGB(x, y, (px[i] & 0xff) << 16 | (px[i + 1] & 0xff) << 8 | (px[i + 2] & 0xff));
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(img, "jpg", bytes);
    return bytes.toByteArray();
  }
}
