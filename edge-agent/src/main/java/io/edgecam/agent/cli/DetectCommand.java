package io.edgecam.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.face.detect.Detection;
import io.edgecam.face.image.Frame;
import io.edgecam.face.image.ImageDecodeException;
import io.edgecam.face.image.Images;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.face.pipeline.PipelineOptions;
import io.edgecam.face.quality.QualityThresholds;
import io.edgecam.protocol.EdgecamException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edgecam detect IMAGE... [--json]}: faces with box, score and keypoints per image. */
@Command(
    name = "detect",
    mixinStandardHelpOptions = true,
    description = "Detect faces: box, score and 6 keypoints per face, in image pixels.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:all images read (with or without faces)",
      "1:an image or model failed",
      "2:usage error"
    })
public final class DetectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PipelineOptions pipeline;

  @Option(names = "--json", description = "One JSON object on stdout (shape in README-cli.md).")
  boolean json;

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "JPEG or PNG files.")
  List<Path> images;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PipelineConfig config;
    try {
      config = pipeline.toConfig(QualityThresholds.OFF);
    } catch (IllegalArgumentException e) {
      err.println("edgecam detect: " + e.getMessage());
      return 2;
    }
    List<Map<String, Object>> results = new ArrayList<>();
    boolean failed = false;
    try (FacePipeline p = FacePipeline.open(config)) {
      for (Path image : images) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("file", image.toString());
        try {
          Frame frame = Images.read(image);
          List<Detection> faces = p.detect(frame);
          entry.put("width", frame.width());
          entry.put("height", frame.height());
          entry.put("faces", faces.stream().map(DetectCommand::toJson).toList());
          if (!json) {
            out.printf("%s: %d face(s)%n", image, faces.size());
            for (Detection d : faces) {
              out.printf(
                  "  box x=%.0f y=%.0f w=%.0f h=%.0f score=%.3f eyes=(%.0f,%.0f)(%.0f,%.0f)%n",
                  d.x(),
                  d.y(),
                  d.width(),
                  d.height(),
                  d.score(),
                  d.keypointX(0),
                  d.keypointY(0),
                  d.keypointX(1),
                  d.keypointY(1));
            }
          }
        } catch (ImageDecodeException e) {
          failed = true;
          entry.put("error", e.getMessage());
          err.println("edgecam detect: " + e.getMessage());
        }
        results.add(entry);
      }
    } catch (EdgecamException e) {
      err.println("edgecam detect: " + e.getMessage());
      return 1;
    }
    if (json) {
      out.println(
          new ObjectMapper()
              .writerWithDefaultPrettyPrinter()
              .writeValueAsString(Map.of("images", results)));
    }
    out.flush();
    return failed ? 1 : 0;
  }

  /** JSON shape of one detection (also used by {@code embed}). */
  static Map<String, Object> toJson(Detection d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("box", Map.of("x", d.x(), "y", d.y(), "width", d.width(), "height", d.height()));
    m.put("score", d.score());
    List<float[]> kps = new ArrayList<>();
    for (int k = 0; k < Detection.KEYPOINTS; k++) {
      kps.add(new float[] {d.keypointX(k), d.keypointY(k)});
    }
    m.put("keypoints", kps);
    return m;
  }
}
