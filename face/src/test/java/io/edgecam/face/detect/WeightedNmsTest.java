package io.edgecam.face.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class WeightedNmsTest {
  private static Detection box(float x, float y, float size, float score) {
    float[] kp = new float[12];
    for (int i = 0; i < 6; i++) {
      kp[2 * i] = x + i;
      kp[2 * i + 1] = y;
    }
    return new Detection(x, y, size, size, score, kp);
  }

  @Test
  void overlappingBoxesMergeIntoScoreWeightedMeanKeepingBestScore() {
    List<Detection> out =
        WeightedNms.apply(List.of(box(0, 0, 100, 0.6f), box(10, 0, 100, 0.9f)), 0.3f);
    assertThat(out).hasSize(1);
    Detection d = out.get(0);
    assertThat(d.score()).isEqualTo(0.9f);
    assertThat(d.x()).isCloseTo((0.6f * 0 + 0.9f * 10) / 1.5f, within(1e-4f));
    assertThat(d.keypointX(0)).isCloseTo((0.6f * 0 + 0.9f * 10) / 1.5f, within(1e-4f));
    assertThat(d.width()).isCloseTo(100f, within(1e-4f));
  }

  @Test
  void separateBoxesSurviveBestFirst() {
    List<Detection> out =
        WeightedNms.apply(List.of(box(0, 0, 50, 0.7f), box(200, 0, 50, 0.95f)), 0.3f);
    assertThat(out).extracting(Detection::score).containsExactly(0.95f, 0.7f);
  }

  @Test
  void overlapAtThresholdIsNotMerged() {
    // IoU of two 100-wide boxes shifted by 50: 50/150 = 0.333 > 0.3 merges; shifted by 60: 0.25.
    assertThat(WeightedNms.apply(List.of(box(0, 0, 100, 0.8f), box(50, 0, 100, 0.7f)), 0.3f))
        .hasSize(1);
    assertThat(WeightedNms.apply(List.of(box(0, 0, 100, 0.8f), box(60, 0, 100, 0.7f)), 0.3f))
        .hasSize(2);
  }

  @Test
  void iouAndBorder() {
    Detection a = box(0, 0, 10, 1);
    assertThat(a.iou(box(5, 0, 10, 1))).isCloseTo(50f / 150, within(1e-6f));
    assertThat(a.iou(box(20, 0, 10, 1))).isZero();
    assertThat(box(-1, 5, 10, 1).crossesBorder(100, 100)).isTrue();
    assertThat(box(1, 5, 10, 1).crossesBorder(100, 100)).isFalse();
    assertThat(box(95, 5, 10, 1).crossesBorder(100, 100)).isTrue();
  }
}
