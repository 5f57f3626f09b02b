package io.edgecam.face.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class VectorsTest {
  @Test
  void normalizeGivesUnitLengthAndReturnsOldNorm() {
    float[] v = {3, 4};
    assertThat(Vectors.normalize(v)).isCloseTo(5.0, within(1e-9));
    assertThat(v[0]).isCloseTo(0.6f, within(1e-7f));
    assertThat(v[1]).isCloseTo(0.8f, within(1e-7f));
  }

  @Test
  void zeroVectorStaysZero() {
    float[] v = {0, 0};
    assertThat(Vectors.normalize(v)).isZero();
    assertThat(v).containsExactly(0f, 0f);
    assertThat(Vectors.cosine(v, new float[] {1, 0})).isZero();
  }

  @Test
  void cosineOfParallelOrthogonalOpposite() {
    assertThat(Vectors.cosine(new float[] {1, 2}, new float[] {2, 4})).isCloseTo(1, within(1e-9));
    assertThat(Vectors.cosine(new float[] {1, 0}, new float[] {0, 3})).isCloseTo(0, within(1e-9));
    assertThat(Vectors.cosine(new float[] {1, 1}, new float[] {-1, -1}))
        .isCloseTo(-1, within(1e-9));
  }

  @Test
  void lengthMismatchIsRejected() {
    assertThatThrownBy(() -> Vectors.cosine(new float[2], new float[3]))
        .hasMessageContaining("2 != 3");
  }
}
