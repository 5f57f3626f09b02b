package io.edgecam.ctl.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.agent.config.FacePipelineConfig;
import io.edgecam.agent.config.FacePipelineConfig.Detector;
import io.edgecam.agent.config.QualityConfig;
import org.junit.jupiter.api.Test;

class ScaleCheckTest {
  private static FacePipelineConfig pipeline(Detector d, int minFaceSize, int embedMin) {
    return new FacePipelineConfig(
        null,
        d,
        FacePipelineConfig.Precision.FLOAT,
        2,
        new QualityConfig(embedMin, 0.6, 20, 45, 30),
        minFaceSize,
        3,
        0,
        FacePipelineConfig.Embedder.MOBILEFACENET);
  }

  @Test
  void wholeFrameDetectorAt1080pCannotFind40PxFaces() {
    CheckResult r = ScaleCheck.judge(1920, 1080, pipeline(Detector.FULL, 28, 40));
    assertThat(r.status()).isEqualTo(CheckResult.Status.WARN);
    assertThat(r.detail()).contains("1920x1080", "~120 px", "quality.minFaceSize is 40");
    assertThat(r.fix()).contains("full+tiles");
  }

  @Test
  void wholeFrameDetectorOnASmallFrameIsFine() {
    CheckResult r = ScaleCheck.judge(640, 360, pipeline(Detector.FULL, 28, 40));
    assertThat(r.status()).isEqualTo(CheckResult.Status.OK);
  }

  @Test
  void tiledDetectorReportsItsTiles() {
    CheckResult r = ScaleCheck.judge(1920, 1080, pipeline(Detector.FULL_TILES, 28, 40));
    assertThat(r.status()).isEqualTo(CheckResult.Status.OK);
    assertThat(r.detail()).contains("28 tiles of 448 px", "10 per frame");
  }

  @Test
  void searchingAboveTheEmbeddingSizeIsAWarning() {
    CheckResult r = ScaleCheck.judge(1920, 1080, pipeline(Detector.FULL_TILES, 48, 40));
    assertThat(r.status()).isEqualTo(CheckResult.Status.WARN);
    assertThat(r.detail()).contains("pipeline.minFaceSize 48 > quality.minFaceSize 40");
  }

  @Test
  void tooManyTilesPerFrameIsAWarning() {
    CheckResult r = ScaleCheck.judge(3840, 2160, pipeline(Detector.SHORT_TILES, 16, 40));
    assertThat(r.status()).isEqualTo(CheckResult.Status.WARN);
    assertThat(r.fix()).contains("pipeline.minFaceSize");
  }
}
