package io.edgecam.face.scene;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.face.detect.TileScheduler;
import io.edgecam.face.image.TestData;
import io.edgecam.face.pipeline.DetectorKind;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.face.pipeline.Precision;
import io.edgecam.face.quality.QualityThresholds;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Recall per face size on generated 1080p CCTV frames (8 clean + 8 degraded, one face of each size
 * per frame), real float models: the whole-frame full-range pass as the baseline, the tiled search
 * as the agent runs it (every tile, no verification).
 */
class CctvRecallIT {
  private static List<Scene> scenes;

  @BeforeAll
  static void generate() {
    CctvSceneGenerator g = CctvScenes.generator();
    scenes = new ArrayList<>();
    scenes.addAll(g.scenes(1920, 1080, 8, CctvSceneGenerator.SIZES, false, 1));
    scenes.addAll(g.scenes(1920, 1080, 8, CctvSceneGenerator.SIZES, true, 2));
  }

  private static DetectionBench.Result run(DetectorKind kind, int minFaceSize) {
    PipelineConfig c =
        PipelineConfig.defaults()
            .withModelsDir(TestData.models())
            .withPrecision(Precision.FLOAT)
            .withThreads(1)
            .withDetector(kind)
            .withMinFaceSize(minFaceSize)
            .withQuality(new QualityThresholds(0, 0.6f, 20, 45, 30));
    try (FacePipeline p = FacePipeline.open(c)) {
      p.tileScheduler(TileScheduler.everyTile(false));
      DetectionBench.Result r = DetectionBench.run(p, scenes);
      StringBuilder sb =
          new StringBuilder(String.format(Locale.ROOT, "%-11s min %2d:", r.mode(), minFaceSize));
      for (int s : CctvSceneGenerator.SIZES) {
        sb.append(String.format(Locale.ROOT, " %d:%.2f/%.2f", s, r.recall(s), r.passedRate(s)));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              " fp %.2f gated %.2f ms %.1f tiles %.1f",
              r.falsePositivesPerFrame(),
              r.falsePositivesGatedPerFrame(),
              r.msPerFrame(),
              r.tilesPerFrame()));
      System.err.println("CctvRecallIT " + sb);
      System.err.println("CctvRecallIT scores found " + r.foundScores());
      System.err.println("CctvRecallIT scores fp " + r.falsePositiveScores());
      return r;
    }
  }

  @Test
  void tilesFindSmallFacesTheWholeFrameMisses() {
    DetectionBench.Result whole = run(DetectorKind.FULL, 28);
    DetectionBench.Result tiles = run(DetectorKind.FULL_TILES, 24);
    // measured: 20 px 0.69, 28 px and up 1.00 (16 faces per size); whole frame 0 below 80 px
    assertThat(tiles.recall(20)).as("20 px").isGreaterThanOrEqualTo(0.5);
    for (int size : List.of(28, 40, 56, 80, 112)) {
      assertThat(tiles.recall(size)).as("%d px", size).isGreaterThanOrEqualTo(0.9);
    }
    assertThat(whole.recall(40)).isLessThan(0.5);
    assertThat(tiles.falsePositivesGatedPerFrame()).isLessThanOrEqualTo(0.1);
    assertThat(tiles.tilesPerFrame()).isEqualTo(40);
  }
}
