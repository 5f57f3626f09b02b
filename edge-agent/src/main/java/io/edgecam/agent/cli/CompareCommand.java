package io.edgecam.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.face.embed.Vectors;
import io.edgecam.face.image.Images;
import io.edgecam.face.pipeline.EmbedderKind;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.FaceResult;
import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.face.pipeline.PipelineOptions;
import io.edgecam.face.quality.QualityThresholds;
import io.edgecam.protocol.EdgecamException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edgecam compare A B [--json]}: cosine similarity of the main faces, same/different. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description =
        "Compare the main faces of two images: cosine similarity, threshold, same/different.")
public final class CompareCommand implements Callable<Integer> {
  /**
   * Cosine at or above which two MobileFaceNet faces are called the same person (measured with
   * eval); other embedders have their own ({@link EmbedderKind#compareThreshold()}).
   */
  public static final double DEFAULT_THRESHOLD = EmbedderKind.MOBILEFACENET.compareThreshold();

  @Spec CommandSpec spec;
  @Mixin PipelineOptions pipeline;

  @Option(names = "--json", description = "One JSON object on stdout (shape in README-cli.md).")
  boolean json;

  @Option(
      names = "--threshold",
      paramLabel = "COSINE",
      description =
          "Same person at or above this cosine (default: 0.45 for mobilefacenet, 0.92 for"
              + " faceapi-resnet34).")
  Double threshold;

  @Parameters(index = "0", paramLabel = "IMAGE_A")
  Path a;

  @Parameters(index = "1", paramLabel = "IMAGE_B")
  Path b;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PipelineConfig config;
    double threshold;
    try {
      config = pipeline.toConfig(QualityThresholds.OFF);
      threshold = this.threshold != null ? this.threshold : config.embedder().compareThreshold();
      if (threshold < -1 || threshold > 1) {
        throw new IllegalArgumentException("--threshold must be in [-1, 1], was " + threshold);
      }
    } catch (IllegalArgumentException e) {
      err.println("edgecam compare: " + e.getMessage());
      return 2;
    }
    try (FacePipeline p = FacePipeline.open(config)) {
      float[] ea = embedding(p, a);
      float[] eb = embedding(p, b);
      double cosine = Vectors.cosine(ea, eb);
      boolean same = cosine >= threshold;
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", a.toString());
        m.put("b", b.toString());
        m.put("cosine", cosine);
        m.put("threshold", threshold);
        m.put("same", same);
        out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(m));
      } else {
        out.printf(
            "cosine %.4f (threshold %.2f): %s%n",
            cosine, threshold, same ? "same person" : "different people");
      }
      out.flush();
      return 0;
    } catch (EdgecamException e) {
      err.println("edgecam compare: " + e.getMessage());
      return 1;
    }
  }

  private static float[] embedding(FacePipeline p, Path image) {
    FaceResult face = p.best(Images.read(image));
    if (face == null) {
      throw new EdgecamException("no face in " + image);
    }
    return face.embedding();
  }
}
