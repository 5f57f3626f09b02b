package io.edgecam.face.scene;

import io.edgecam.face.image.TestData;
import io.edgecam.face.pipeline.DetectorKind;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.face.pipeline.Precision;
import io.edgecam.face.quality.QualityThresholds;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Recall per face size on generated 1080p CCTV frames, real models. */
class CctvRecallIT {
  private static List<Scene> scenes;

  @BeforeAll
  static void generate() {
    CctvSceneGenerator g = CctvScenes.generator();
    scenes = new ArrayList<>();
    scenes.addAll(g.scenes(1920, 1080, 8, CctvSceneGenerator.SIZES, false, 1));
    scenes.addAll(g.scenes(1920, 1080, 8, CctvSceneGenerator.SIZES, true, 2));
  }

  @Test
  void explore() {
    for (DetectorKind kind : DetectorKind.values()) {
      for (int min : kind.tiled() ? new int[] {24, 28} : new int[] {28}) {
        PipelineConfig c =
            PipelineConfig.defaults()
                .withModelsDir(TestData.models())
                .withPrecision(Precision.FLOAT)
                .withThreads(1)
                .withDetector(kind)
                .withMinFaceSize(min)
                .withQuality(new QualityThresholds(0, 0.6f, 20, 50, 45));
        try (FacePipeline p = FacePipeline.open(c)) {
          DetectionBench.run(p, scenes.subList(0, 2));
          DetectionBench.Result r = DetectionBench.run(p, scenes);
          StringBuilder sb = new StringBuilder(String.format("%-12s min %2d:", r.mode(), min));
          for (int s : CctvSceneGenerator.SIZES) {
            sb.append(String.format(" %d:%.2f/%.2f", s, r.recall(s), r.passedRate(s)));
          }
          sb.append(
              String.format(
                  " fp %.2f gated %.2f ms %.1f inv %.1f tiles %.1f",
                  r.falsePositivesPerFrame(),
                  r.falsePositivesGatedPerFrame(),
                  r.msPerFrame(),
                  r.detectorInvokeMsPerFrame(),
                  r.tilesPerFrame()));
          System.err.println("RESULT " + sb);
          System.err.println("SCORES found " + r.foundScores() + " fp " + r.falsePositiveScores());
        }
      }
    }
  }
}
