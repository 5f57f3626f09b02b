package io.edgecam.face.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.face.detect.Detection;
import java.util.List;
import org.junit.jupiter.api.Test;

class FacePipelineTest {
  private static Detection box(float size, float score) {
    return new Detection(0, 0, size, size, score, new float[12]);
  }

  @Test
  void bestIsLargestAmongThoseNearTheTopScore() {
    Detection top = box(50, 0.95f);
    Detection bigNear = box(120, 0.80f);
    Detection hugeLow = box(400, 0.60f); // a logo: large but scored far below
    assertThat(FacePipeline.choose(List.of(top, bigNear, hugeLow))).isSameAs(bigNear);
  }

  @Test
  void bestOfNothingIsNull() {
    assertThat(FacePipeline.choose(List.of())).isNull();
  }

  @Test
  void configRejectsBadThreadsNamingTheKey() {
    assertThatThrownBy(() -> PipelineConfig.defaults().withThreads(0))
        .hasMessageContaining("pipeline.threads");
  }

  @Test
  void goldenFrameHasTheRequestedSize() {
    assertThat(GoldenFace.frame(640, 480).width()).isEqualTo(640);
    assertThatThrownBy(() -> GoldenFace.frame(100, 100)).hasMessageContaining("at least 256");
  }

  @Test
  void detectorKindsParseByLabel() {
    assertThat(DetectorKind.parse("short+tiles")).isEqualTo(DetectorKind.SHORT_TILES);
    assertThat(DetectorKind.parse("SHORT_TILES")).isEqualTo(DetectorKind.SHORT_TILES);
    assertThat(DetectorKind.parse("Full")).isEqualTo(DetectorKind.FULL);
    assertThat(DetectorKind.SHORT_TILES.modelName()).isEqualTo(DetectorKind.SHORT.modelName());
    assertThatThrownBy(() -> DetectorKind.parse("tiles")).hasMessageContaining("short+tiles");
  }
}
