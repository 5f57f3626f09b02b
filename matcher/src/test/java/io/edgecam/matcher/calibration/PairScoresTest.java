package io.edgecam.matcher.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.protocol.Int8Embedding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PairScoresTest {
  private static Int8Embedding at(double angle) {
    return Int8Embedding.quantize(new float[] {(float) Math.cos(angle), (float) Math.sin(angle)});
  }

  @Test
  void countsGenuineAndImpostorPairsOnTheGrid() {
    // Unit vectors in 2-d: the cosine of two is the cosine of their angle difference.
    Map<String, List<Int8Embedding>> faces = new LinkedHashMap<>();
    faces.put("a", List.of(at(0), at(0.5))); // genuine: cos 0.5 = 0.878
    faces.put("b", List.of(at(1.2), at(1.3))); // genuine: cos 0.1 = 0.995
    faces.put("c", List.of(at(3.0))); // single image: impostor pairs only

    Calibration c = PairScores.calibrate(faces, "m.json", "tag", "five images", "test");

    assertThat(c.genuinePairs()).isEqualTo(2);
    assertThat(c.impostors().pairs()).isEqualTo(10 - 2);
    // Impostor cosines: a0-b1.2 0.362, a0-b1.3 0.267, a0.5-b1.2 0.765, a0.5-b1.3 0.697,
    // and with c (angle 3.0): -0.990, -0.936, -0.671, -0.598.
    assertThat(c.impostors().atOrAbove(0)).isEqualTo(8); // negatives count at 0
    assertThat(c.impostors().atOrAbove(1)).isEqualTo(4);
    assertThat(c.impostors().atOrAbove(30)).isEqualTo(3);
    assertThat(c.impostors().atOrAbove(70)).isEqualTo(1);
    assertThat(c.impostors().atOrAbove(77)).isZero();
    assertThat(c.fnmr(87)).isZero();
    assertThat(c.fnmr(88)).isEqualTo(0.5);
    assertThat(c.fnmr(100)).isEqualTo(1.0);
  }
}
