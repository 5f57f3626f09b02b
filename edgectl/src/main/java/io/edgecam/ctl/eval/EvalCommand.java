package io.edgecam.ctl.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.face.pipeline.PipelineOptions;
import io.edgecam.face.quality.QualityThresholds;
import io.edgecam.protocol.EdgecamException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgecam eval DIR [--json]}: verification accuracy on DIR/&lt;identity&gt;/*.jpg; with
 * {@code --open-set}, the watchlist figures from every pair (docs/accuracy.md).
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Face verification on DIR/<identity>/*.jpg|png: all genuine pairs, as many"
          + " impostor pairs; 10-fold accuracy, ROC AUC, TAR at FAR, best threshold.",
      "With --open-set: every genuine and every impostor pair; FMR (with its 95% upper bound)"
          + " and FNMR at thresholds, FNMR at FMR 1e-3/1e-4/1e-5 where the pairs support it,"
          + " FPIR per list size (simulated and from the FMR), FNIR at FPIR 1% and 10%, the"
          + " threshold for FPIR 1%. How to read them: docs/accuracy.md."
    })
public final class EvalCommand implements Callable<Integer> {
  private static final long SEED = 20240601L;

  @Spec CommandSpec spec;
  @Mixin PipelineOptions pipeline;

  @Option(names = "--json", description = "One JSON object on stdout (shape in README.md).")
  boolean json;

  @Option(names = "--open-set", description = "Open-set (watchlist) figures from every pair.")
  boolean openSet;

  @Option(
      names = "--list-sizes",
      split = ",",
      paramLabel = "N",
      description = "With --open-set: list sizes for FPIR/FNIR (default: ${DEFAULT-VALUE}).",
      defaultValue = "1000,10000,100000")
  List<Integer> listSizes = new ArrayList<>();

  @Option(
      names = "--thresholds",
      split = ",",
      paramLabel = "T",
      description = "With --open-set: thresholds for FMR and FPIR (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.45,0.6")
  List<Double> thresholds = new ArrayList<>();

  @Option(
      names = "--scores",
      paramLabel = "FILE",
      description = "With --open-set: write every pair as CSV (image_a,image_b,same,score).")
  @Nullable Path scores;

  @Option(
      names = "--plot",
      paramLabel = "FILE",
      description = "With --open-set: DET curve and FPIR/FNIR against threshold, .png or .svg.")
  @Nullable Path plot;

  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PipelineConfig config;
    try {
      config = pipeline.toConfig(QualityThresholds.OFF);
      validate();
    } catch (IllegalArgumentException e) {
      err.println("edgecam eval: " + e.getMessage());
      return 2;
    }
    try (FacePipeline p = FacePipeline.open(config)) {
      FaceEvaluation evaluation =
          new FaceEvaluation(
              p,
              line -> {
                err.println(line);
                err.flush();
              });
      if (openSet) {
        openSet(evaluation, out, err);
      } else {
        balanced(evaluation.run(dir), out);
      }
      out.flush();
      return 0;
    } catch (EdgecamException e) {
      err.println("edgecam eval: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("edgecam eval: cannot write: " + e.getMessage());
      return 1;
    }
  }

  private void validate() {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + ": not a directory");
    }
    if (!openSet) {
      if (scores != null || plot != null) {
        throw new IllegalArgumentException("--scores and --plot need --open-set");
      }
      return;
    }
    for (int n : listSizes) {
      if (n < 1) {
        throw new IllegalArgumentException("--list-sizes: each must be >= 1, was " + n);
      }
    }
    for (double t : thresholds) {
      if (!(t >= -1 && t <= 1)) {
        throw new IllegalArgumentException("--thresholds: each must be in [-1, 1], was " + t);
      }
    }
    if (plot != null) {
      String name = plot.getFileName().toString().toLowerCase(Locale.ROOT);
      if (!name.endsWith(".png") && !name.endsWith(".svg")) {
        throw new IllegalArgumentException("--plot " + plot + ": must end in .png or .svg");
      }
      requireParent("--plot", plot);
    }
    if (scores != null) {
      requireParent("--scores", scores);
    }
  }

  private static void requireParent(String option, Path file) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new IllegalArgumentException(option + " " + file + ": no such directory " + parent);
    }
  }

  private void openSet(FaceEvaluation evaluation, PrintWriter out, PrintWriter err)
      throws IOException {
    FaceEvaluation.FaceSet set = evaluation.embed(dir);
    List<ScoredPair> pairs = FaceEvaluation.allPairs(set);
    long genuine = pairs.stream().filter(ScoredPair::genuine).count();
    FaceEvaluation.requirePairs(dir, (int) genuine, (int) (pairs.size() - genuine));
    err.printf("scored %,d pairs; simulating %d list sizes%n", pairs.size(), listSizes.size());
    err.flush();
    OpenSetMetrics metrics = OpenSetMetrics.of(pairs);
    List<StrangerSimulation> sims = new ArrayList<>();
    for (int n : listSizes) {
      sims.add(metrics.simulate(n, SEED + n));
    }
    OpenSetReport report = OpenSetReport.of(set, metrics, thresholds, sims);
    if (scores != null) {
      ScoresCsv.write(scores, pairs);
      err.println("wrote " + scores);
    }
    if (plot != null) {
      String title = dir.toAbsolutePath().normalize().getFileName() + ", " + set.precision();
      OpenSetPlots.write(plot, title, metrics, sims);
      err.println("wrote " + plot);
    }
    if (json) {
      out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
    } else {
      OpenSetText.print(report, out);
    }
  }

  private void balanced(EvalReport r, PrintWriter out) throws IOException {
    if (json) {
      out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r));
      return;
    }
    out.printf(
        "pairs %d (%d genuine, %d impostor), images %d, faces missed %d%n",
        r.pairs(), r.genuinePairs(), r.impostorPairs(), r.images(), r.facesMissed());
    out.printf(
        "accuracy (10-fold) %.4f%nROC AUC %.5f%nthreshold %.4f%n",
        r.accuracy(), r.auc(), r.threshold());
    r.tarAtFar().forEach((far, tar) -> out.printf("TAR at FAR %s: %.4f%n", far, tar));
    if (r.tarAtFar().size() < 2) {
      out.printf("(TAR at FAR 1e-3 needs >= 1000 impostor pairs; %d here)%n", r.impostorPairs());
    }
    out.printf("precision %s%n", r.precision());
    out.println(
        "(balanced pairs: this does not tell the false-alarm rate on a watchlist;"
            + " see eval --open-set)");
  }
}
