package io.edgecam.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.face.image.Images;
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

/** {@code edgecam embed IMAGE [--json]}: the L2-normalised embedding of the image's main face. */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description = "Print the embedding (L2-normalised) of the main face in IMAGE.")
public final class EmbedCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PipelineOptions pipeline;

  @Option(names = "--json", description = "One JSON object on stdout (shape in README-cli.md).")
  boolean json;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "JPEG or PNG file.")
  Path image;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PipelineConfig config;
    try {
      config = pipeline.toConfig(QualityThresholds.OFF);
    } catch (IllegalArgumentException e) {
      err.println("edgecam embed: " + e.getMessage());
      return 2;
    }
    try (FacePipeline p = FacePipeline.open(config)) {
      FaceResult face = p.best(Images.read(image));
      if (face == null) {
        err.println("edgecam embed: no face in " + image);
        return 1;
      }
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", image.toString());
        m.put("face", DetectCommand.toJson(face.detection()));
        m.put("dimension", face.embedding().length);
        m.put("embedding", face.embedding());
        m.put("precision", p.precision().chosen().name().toLowerCase(java.util.Locale.ROOT));
        out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(m));
      } else {
        StringBuilder sb = new StringBuilder();
        for (float v : face.embedding()) {
          sb.append(sb.length() == 0 ? "" : " ").append(String.format("%.5f", v));
        }
        out.printf(
            "%s: %d-d embedding (face score %.3f)%n%s%n",
            image, face.embedding().length, face.detection().score(), sb);
      }
      out.flush();
      return 0;
    } catch (EdgecamException e) {
      err.println("edgecam embed: " + e.getMessage());
      return 1;
    }
  }
}
