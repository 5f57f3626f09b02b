package io.edgecam.ctl.eval;

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
 * Runs a pipeline over {@code DIR/<identity>/*.jpg|png}: embeds the best face of each image and
 * scores pairs of them. {@link #run} forms every genuine pair and a balanced, seeded sample of
 * impostor pairs for {@link VerificationMetrics}; {@link #allPairs} gives every pair for {@link
 * OpenSetMetrics}. Identities with one image only contribute impostor pairs.
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

  /**
   * One embedded image.
   *
   * @param image path relative to the folder, e.g. {@code alice/1.jpg}
   * @param identity the identity folder's name
   */
  public record Face(String image, String identity, float[] embedding) {}

  /**
   * The embedded folder.
   *
   * @param faces one per image where a face was found
   * @param images images read
   * @param missed images without a face (or undecodable), relative to the folder
   * @param precision the precision the pipeline ran
   */
  public record FaceSet(List<Face> faces, int images, List<String> missed, String precision) {}

  /** Evaluates the folder: balanced verification figures. */
  public EvalReport run(Path dir) {
    return balanced(dir, embed(dir));
  }

  /** Embeds the best face of every image of {@code DIR/<identity>/}. */
  public FaceSet embed(Path dir) {
    List<Path> identities = listDirs(dir);
    if (identities.isEmpty()) {
      throw new EdgecamException(dir + ": no identity folders (expected DIR/<identity>/*.jpg)");
    }
    List<Face> faces = new ArrayList<>();
    List<String> missed = new ArrayList<>();
    int images = 0;
    for (Path identity : identities) {
      for (Path file : listImages(identity)) {
        images++;
        String name = dir.relativize(file).toString();
        try {
          FaceResult best = pipeline.best(Images.read(file));
          if (best == null || best.embedding() == null) {
            missed.add(name);
            progress.accept("no face: " + name);
          } else {
            faces.add(new Face(name, identity.getFileName().toString(), best.embedding()));
            progress.accept("ok " + name);
          }
        } catch (ImageDecodeException e) {
          missed.add(name);
          progress.accept("error: " + e.getMessage());
        }
      }
    }
    return new FaceSet(
        List.copyOf(faces),
        images,
        List.copyOf(missed),
        pipeline.precision().chosen().name().toLowerCase(Locale.ROOT));
  }

  /** Every pair of faces once, scored by cosine similarity, in folder order. */
  public static List<ScoredPair> allPairs(FaceSet set) {
    List<Face> f = set.faces();
    List<ScoredPair> pairs = new ArrayList<>(f.size() * (f.size() - 1) / 2);
    for (int i = 0; i < f.size(); i++) {
      for (int j = i + 1; j < f.size(); j++) {
        Face a = f.get(i);
        Face b = f.get(j);
        pairs.add(
            new ScoredPair(
                a.image(),
                a.identity(),
                b.image(),
                b.identity(),
                Vectors.cosine(a.embedding(), b.embedding())));
      }
    }
    return pairs;
  }

  /**
   * Balanced verification figures: every genuine pair and a seeded sample of as many impostor
   * pairs.
   */
  static EvalReport balanced(Path dir, FaceSet set) {
    List<Double> genuine = new ArrayList<>();
    List<double[]> impostorAll = new ArrayList<>();
    for (ScoredPair p : allPairs(set)) {
      if (p.genuine()) {
        genuine.add(p.score());
      } else {
        impostorAll.add(new double[] {p.score()});
      }
    }
    requirePairs(dir, genuine.size(), impostorAll.size());
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
        set.images(),
        set.missed().size(),
        set.missed(),
        set.precision());
  }

  /** Fails with the folder's name unless there are genuine and impostor pairs. */
  static void requirePairs(Path dir, int genuine, int impostor) {
    if (genuine == 0 || impostor == 0) {
      throw new EdgecamException(
          dir
              + ": need at least one identity with 2 faces and 2 identities"
              + " (found "
              + genuine
              + " genuine, "
              + impostor
              + " impostor pairs)");
    }
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
