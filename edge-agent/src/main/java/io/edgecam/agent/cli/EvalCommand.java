package io.edgecam.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.agent.eval.EvalReport;
import io.edgecam.agent.eval.FaceEvaluation;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.face.pipeline.PipelineOptions;
import io.edgecam.face.quality.QualityThresholds;
import io.edgecam.protocol.EdgecamException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edgecam eval DIR [--json]}: verification accuracy on DIR/&lt;identity&gt;/*.jpg. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Face verification on DIR/<identity>/*.jpg|png: all genuine pairs, as many"
            + " impostor pairs; 10-fold accuracy, ROC AUC, TAR at FAR, best threshold.")
public final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PipelineOptions pipeline;

  @Option(names = "--json", description = "One JSON object on stdout (shape in README-cli.md).")
  boolean json;

  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PipelineConfig config;
    try {
      config = pipeline.toConfig(QualityThresholds.OFF);
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException(dir + ": not a directory");
      }
    } catch (IllegalArgumentException e) {
      err.println("edgecam eval: " + e.getMessage());
      return 2;
    }
    try (FacePipeline p = FacePipeline.open(config)) {
      EvalReport r =
          new FaceEvaluation(
                  p,
                  line -> {
                    err.println(line);
                    err.flush();
                  })
              .run(dir);
      if (json) {
        out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r));
      } else {
        out.printf(
            "pairs %d (%d genuine, %d impostor), images %d, faces missed %d%n",
            r.pairs(), r.genuinePairs(), r.impostorPairs(), r.images(), r.facesMissed());
        out.printf(
            "accuracy (10-fold) %.4f%nROC AUC %.5f%nthreshold %.4f%n",
            r.accuracy(), r.auc(), r.threshold());
        r.tarAtFar().forEach((far, tar) -> out.printf("TAR at FAR %s: %.4f%n", far, tar));
        if (r.tarAtFar().size() < 2) {
          out.printf(
              "(TAR at FAR 1e-3 needs >= 1000 impostor pairs; %d here)%n", r.impostorPairs());
        }
        out.printf("precision %s%n", r.precision());
      }
      out.flush();
      return 0;
    } catch (EdgecamException e) {
      err.println("edgecam eval: " + e.getMessage());
      return 1;
    }
  }
}
