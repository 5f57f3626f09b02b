package io.edgecam.face.scene;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.face.embed.Vectors;
import io.edgecam.face.image.Frame;
import io.edgecam.face.image.TestData;
import io.edgecam.face.pipeline.DetectorKind;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.FaceResult;
import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.face.pipeline.Precision;
import io.edgecam.face.quality.QualityThresholds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Recognition on faces shrunk to CCTV sizes before detection and alignment: every photo of
 * ../shared/data/faces is cut to a square of 2.2x its face, shrunk (area averaging) so the face is
 * 20..112 px wide, and goes through the pipeline (detect, align from the small image, embed).
 * Genuine pairs (same identity) and impostor pairs (different identities) are scored at each size
 * against the threshold that gives FMR 1% at full size. The figures go into docs/accuracy.md "Small
 * faces".
 */
class SmallFaceRecognitionIT {
  private static final List<Integer> SIZES = List.of(20, 28, 40, 56, 80, 112, 0);

  @Test
  void separationShrinksWithTheFace() {
    List<Portrait> portraits = portraits();
    PipelineConfig c =
        PipelineConfig.defaults()
            .withModelsDir(TestData.models())
            .withPrecision(Precision.FLOAT)
            .withThreads(1)
            .withDetector(DetectorKind.SHORT)
            .withQuality(QualityThresholds.OFF);
    double threshold = Double.NaN;
    double[] fnmrBySize = new double[SIZES.size()];
    try (FacePipeline p = FacePipeline.open(c)) {
      for (int si = SIZES.size() - 1; si >= 0; si--) {
        int size = SIZES.get(si);
        List<float[]> emb = new ArrayList<>();
        List<String> who = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        int missed = 0;
        for (Portrait pt : portraits) {
          Frame image = size == 0 ? pt.image() : shrink(pt, size);
          FaceResult r = p.best(image);
          if (r == null || r.embedding() == null) {
            missed++;
            continue;
          }
          emb.add(r.embedding());
          who.add(pt.identity());
          scores.add(r.detection().score());
        }
        List<Double> genuine = new ArrayList<>();
        List<Double> impostor = new ArrayList<>();
        for (int i = 0; i < emb.size(); i++) {
          for (int j = i + 1; j < emb.size(); j++) {
            double cos = Vectors.cosine(emb.get(i), emb.get(j));
            (who.get(i).equals(who.get(j)) ? genuine : impostor).add(cos);
          }
        }
        double[] imp = impostor.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] gen = genuine.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (size == 0) {
          threshold = imp[(int) Math.floor(0.99 * imp.length)];
        }
        double t = threshold;
        double fnmr = Arrays.stream(gen).filter(g -> g < t).count() / (double) gen.length;
        double fmr = Arrays.stream(imp).filter(g -> g >= t).count() / (double) imp.length;
        double ownT = imp[(int) Math.floor(0.99 * imp.length)];
        double fnmrOwn = Arrays.stream(gen).filter(g -> g < ownT).count() / (double) gen.length;
        float medianScore = scores.stream().sorted().toList().get(scores.size() / 2);
        fnmrBySize[si] = fnmr;
        System.err.printf(
            Locale.ROOT,
            "SMALLFACE size %s: photos %d, no face %d, genuine %d, impostor %d, median det score"
                + " %.2f, median genuine %.3f, impostor p99 %.3f; at full-size FMR-1%% threshold"
                + " %.3f: FNMR %.3f FMR %.4f; at own FMR 1%%: FNMR %.3f%n",
            size == 0 ? "full" : size + "px",
            portraits.size(),
            missed,
            gen.length,
            imp.length,
            medianScore,
            gen[gen.length / 2],
            ownT,
            t,
            fnmr,
            fmr,
            fnmrOwn);
      }
    }
    // Recognition degrades with size: 112 px stays near full size, 20 px is far worse.
    assertThat(fnmrBySize[SIZES.indexOf(112)]).isLessThan(fnmrBySize[SIZES.indexOf(20)]);
  }

  private static List<Portrait> portraits() {
    try (FacePipeline finder =
        FacePipeline.open(
            PipelineConfig.defaults()
                .withModelsDir(TestData.models())
                .withPrecision(Precision.FLOAT)
                .withThreads(1)
                .withQuality(QualityThresholds.OFF)
                .withDetector(DetectorKind.SHORT))) {
      return CctvSceneGenerator.portraits(
          TestData.sharedData().resolve("faces"),
          image -> {
            FaceResult best = finder.best(image);
            return best == null ? null : best.detection();
          });
    }
  }

  /** The portrait's face with 2.2x context, shrunk so the face box is {@code size} px wide. */
  private static Frame shrink(Portrait p, int size) {
    int n = Math.round(CctvSceneGenerator.CONTEXT * size);
    double side = n * p.face().width() / size;
    double sx = p.face().x() + p.face().width() / 2 - side / 2;
    double sy = p.face().y() + p.face().height() / 2 - side / 2;
    float[] patch = Raster.patch(p.image(), sx, sy, side, n);
    Frame f = Frame.allocate(n, n);
    Raster.paste(f, patch, n, 0, 0, 0);
    return f;
  }
}
