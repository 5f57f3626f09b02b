package io.edgecam.face.scene;

import io.edgecam.face.image.Frame;
import io.edgecam.face.image.Images;
import io.edgecam.face.image.TestData;
import io.edgecam.face.pipeline.DetectorKind;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.face.pipeline.Precision;
import io.edgecam.face.quality.QualityThresholds;
import java.nio.file.Path;
import java.util.List;

/** The CCTV test set generated from ../shared/data for the tests (skipped when it is absent). */
public final class CctvScenes {
  private CctvScenes() {}

  /** A generator over ../shared/data/faces and the no-face backgrounds. */
  public static CctvSceneGenerator generator() {
    Path data = TestData.sharedData();
    List<Portrait> portraits;
    try (FacePipeline finder =
        FacePipeline.open(
            PipelineConfig.defaults()
                .withModelsDir(TestData.models())
                .withPrecision(Precision.FLOAT)
                .withDetector(DetectorKind.SHORT)
                .withQuality(QualityThresholds.OFF))) {
      portraits =
          CctvSceneGenerator.portraits(
              data.resolve("faces"),
              image -> {
                var best = finder.best(image);
                return best == null ? null : best.detection();
              });
    }
    List<Frame> backgrounds =
        CctvSceneGenerator.images(data.resolve("noface"), false).stream()
            .map(Images::read)
            .toList();
    return new CctvSceneGenerator(portraits, backgrounds);
  }
}
