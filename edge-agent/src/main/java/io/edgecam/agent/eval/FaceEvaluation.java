package io.edgecam.agent.eval;

import io.edgecam.face.embed.Vectors;
import io.edgecam.face.image.ImageDecodeException;
import io.edgecam.face.image.Images;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.FaceResult;
import io.edgecam.protocol.EdgecamException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs a pipeline over {@code DIR/<identity>/*.jpg|png}: embeds the best face of each image, forms
 * every genuine pair and a balanced, seeded sample of impostor pairs, and computes {@link
 * VerificationMetrics}. Identities with one image only contribute impostor pairs.
 */
public final class FaceEvaluation {
  private static final long SEED = 20240601L;

  private final FacePipeline pipeline;
  private final Consumer<String> progress;

  /**
   * @param progress receives one line per image (e.g. printed on stderr)
   */
  public FaceEvaluation(FacePipeline pipeline, Consumer<String> progress) {
    this.pipeline = pipeline;
    this.progress = progress;
  }

  private record Sample(int identity, float[] embedding) {}

  /** Evaluates the folder. */
  public EvalReport run(Path dir) {
    List<Path> identities = listDirs(dir);
    if (identities.isEmpty()) {
      throw new EdgecamException(dir + ": no identity folders (expected DIR/<identity>/*.jpg)");
    }
    List<Sample> samples = new ArrayList<>();
    List<String> missed = new ArrayList<>();
    int images = 0;
    for (int id = 0; id < identities.size(); id++) {
      for (Path file : listImages(identities.get(id))) {
        images++;
        String name = dir.relativize(file).toString();
        try {
          FaceResult best = pipeline.best(Images.read(file));
          if (best == null || best.embedding() == null) {
            missed.add(name);
            progress.accept("no face: " + name);
          } else {
            samples.add(new Sample(id, best.embedding()));
            progress.accept("ok " + name);
          }
        } catch (ImageDecodeException e) {
          missed.add(name);
          progress.accept("error: " + e.getMessage());
        }
      }
    }
    List<Double> genuine = new ArrayList<>();
    List<double[]> impostorAll = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      for (int j = i + 1; j < samples.size(); j++) {
        double s = Vectors.cosine(samples.get(i).embedding(), samples.get(j).embedding());
        if (samples.get(i).identity() == samples.get(j).identity()) {
          genuine.add(s);
        } else {
          impostorAll.add(new double[] {s});
        }
      }
    }
    if (genuine.isEmpty() || impostorAll.isEmpty()) {
      throw new EdgecamException(
          dir
              + ": need at least one identity with 2 faces and 2 identities"
              + " (found "
              + genuine.size()
              + " genuine, "
              + impostorAll.size()
              + " impostor pairs)");
    }
    Collections.shuffle(impostorAll, new Random(SEED));
    int impostors = Math.min(impostorAll.size(), genuine.size());
    double[] g = genuine.stream().mapToDouble(Double::doubleValue).toArray();
    double[] im = new double[impostors];
    for (int i = 0; i < impostors; i++) {
      im[i] = impostorAll.get(i)[0];
    }
    return new EvalReport(
        g.length + im.length,
        g.length,
        im.length,
        VerificationMetrics.tenFoldAccuracy(g, im, SEED),
        VerificationMetrics.auc(g, im),
        VerificationMetrics.tarAtFar(g, im),
        VerificationMetrics.bestThreshold(g, im),
        images,
        missed.size(),
        missed,
        pipeline.precision().chosen().name().toLowerCase(Locale.ROOT));
  }

  private static List<Path> listDirs(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new EdgecamException(dir + ": cannot list folder: " + e.getMessage(), e);
    }
  }

  private static List<Path> listImages(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(
              p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new EdgecamException(dir + ": cannot list folder: " + e.getMessage(), e);
    }
  }
}
