package io.edgecam.face.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnchorsTest {
  @Test
  void shortRangeHas896AnchorsInRowColumnAnchorOrder() {
    float[] c = Anchors.centres(128, List.of(8, 16), List.of(2, 6));
    assertThat(c.length / 2).isEqualTo(896);
    // First cell of the 16x16 grid, two anchors at the same centre.
    assertThat(c[0]).isCloseTo(0.5f / 16, within(1e-6f));
    assertThat(c[1]).isCloseTo(0.5f / 16, within(1e-6f));
    assertThat(c[2]).isEqualTo(c[0]);
    // Anchor 2 is the second column of row 0.
    assertThat(c[4]).isCloseTo(1.5f / 16, within(1e-6f));
    assertThat(c[5]).isCloseTo(0.5f / 16, within(1e-6f));
    // Anchor 32 starts row 1.
    assertThat(c[64]).isCloseTo(0.5f / 16, within(1e-6f));
    assertThat(c[65]).isCloseTo(1.5f / 16, within(1e-6f));
    // The second layer (8x8, 6 per cell) starts at 512; its last anchor is the last cell.
    assertThat(c[2 * 512]).isCloseTo(0.5f / 8, within(1e-6f));
    assertThat(c[2 * 895]).isCloseTo(7.5f / 8, within(1e-6f));
    assertThat(c[2 * 895 + 1]).isCloseTo(7.5f / 8, within(1e-6f));
  }

  @Test
  void fullRangeHas2304Anchors() {
    assertThat(Anchors.centres(192, List.of(4), List.of(1)).length / 2).isEqualTo(2304);
  }

  @Test
  void decodeMapsOffsetsToSourcePixels() {
    float[] anchors = {0.25f, 0.5f};
    float[] regressors = new float[16];
    regressors[0] = 12.8f; // +0.1 of the 128 input in x
    regressors[2] = 25.6f; // width 0.2
    regressors[3] = 25.6f;
    regressors[4] = -12.8f; // keypoint 0 at anchor x - 0.1
    float[] logits = {2f};
    List<Detection> out = new java.util.ArrayList<>();
    // Letterbox: source side 1000 px, origin at (-100, 0).
    BlazeFaceDetector.decode(regressors, logits, anchors, 128, 0f, 1000, -100, 0, out);
    assertThat(out).hasSize(1);
    Detection d = out.get(0);
    assertThat(d.x()).isCloseTo(-100 + 1000 * (0.35f - 0.1f), within(1e-3f));
    assertThat(d.width()).isCloseTo(200f, within(1e-3f));
    assertThat(d.keypointX(0)).isCloseTo(-100 + 1000 * 0.15f, within(1e-3f));
    assertThat(d.keypointY(0)).isCloseTo(500f, within(1e-3f));
    assertThat(d.score()).isCloseTo((float) (1 / (1 + Math.exp(-2))), within(1e-6f));
  }

  @Test
  void decodeSkipsScoresBelowThreshold() {
    List<Detection> out = new java.util.ArrayList<>();
    BlazeFaceDetector.decode(
        new float[16], new float[] {-0.1f}, new float[] {0.5f, 0.5f}, 128, 0f, 128, 0, 0, out);
    assertThat(out).isEmpty();
  }
}
