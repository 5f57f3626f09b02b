package io.edgecam.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Int8EmbeddingTest {

  private static double floatCosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  @Test
  void quantizedCosineTracksFloatCosine() {
    // Rounding error per component is uniform in +-scale/2; for 192-d unit vectors that gives a
    // cosine error with a standard deviation of a few 1e-4, so 1e-3 holds at RMS, not worst case.
    Random random = new Random(1234);
    double worst = 0;
    double sumSquares = 0;
    for (int i = 0; i < 2_000; i++) {
      float[] a = Fixtures.unitVector(random, 192);
      float[] b = Fixtures.unitVector(random, 192);
      if (i % 2 == 0) {
        // Similar pairs too, where the matcher's threshold lives.
        for (int k = 0; k < b.length; k++) {
          b[k] = a[k] + 0.4f * b[k];
        }
      }
      double want = floatCosine(a, b);
      double got = Int8Embedding.quantize(a).cosine(Int8Embedding.quantize(b));
      worst = Math.max(worst, Math.abs(got - want));
      sumSquares += (got - want) * (got - want);
      assertThat(got).isCloseTo(want, within(3e-3));
    }
    double rms = Math.sqrt(sumSquares / 2_000);
    System.out.println("int8 cosine error over 2000 pairs: rms " + rms + ", worst " + worst);
    assertThat(rms).isLessThan(1e-3);
  }

  @Test
  void quantizeUsesMaxOver127AndDequantizesClose() {
    Int8Embedding e = Int8Embedding.quantize(new float[] {0.5f, -0.25f, 0f, 0.127f});
    assertThat(e.values()).containsExactly(127, -63, 0, 32);
    assertThat(e.scale()).isEqualTo(0.5f / 127f);
    assertThat(e.toFloat()[1]).isCloseTo(-0.25f, within(0.5f / 127f));
    float[] unit = e.toUnitFloat();
    double n = 0;
    for (float x : unit) {
      n += x * x;
    }
    assertThat(n).isCloseTo(1.0, within(1e-6));
    assertThat(e.cosine(e)).isCloseTo(1.0, within(1e-12));
    assertThat(e.rawDot(e)).isEqualTo((int) e.rawNormSquared());
  }

  @Test
  void rejectsZeroNanInfiniteEmptyAndOversized() {
    assertThatThrownBy(() -> Int8Embedding.quantize(new float[192]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("embedding is all zero");
    assertThatThrownBy(() -> Int8Embedding.quantize(new float[] {1f, Float.NaN}))
        .hasMessage("embedding value [1] is not finite: NaN");
    assertThatThrownBy(() -> Int8Embedding.quantize(new float[] {Float.NEGATIVE_INFINITY}))
        .hasMessage("embedding value [0] is not finite: -Infinity");
    assertThatThrownBy(() -> Int8Embedding.quantize(new float[0]))
        .hasMessage("embedding must have 1..1024 dimensions, had 0");
    assertThatThrownBy(() -> Int8Embedding.quantize(null))
        .hasMessage("embedding must have 1..1024 dimensions, had none (null)");
    assertThatThrownBy(() -> Int8Embedding.quantize(new float[1025]))
        .hasMessageContaining("had 1025");
    assertThatThrownBy(() -> Int8Embedding.quantize(new float[] {Float.MIN_VALUE}))
        .hasMessageContaining("too small to quantize");
    assertThatThrownBy(() -> new Int8Embedding(new byte[4], 0.01f))
        .hasMessage("embedding is all zero");
    assertThatThrownBy(() -> new Int8Embedding(new byte[] {1}, Float.NaN))
        .hasMessageContaining("scale");
    assertThatThrownBy(() -> new Int8Embedding(new byte[] {1}, 0f)).hasMessageContaining("scale");
    assertThatThrownBy(() -> new Int8Embedding(new byte[] {1}, -1f)).hasMessageContaining("scale");
    assertThatThrownBy(() -> new Int8Embedding(new byte[] {1}, Float.MAX_VALUE))
        .hasMessageContaining("127 * scale finite");
  }

  @Test
  void rejectsComparingDifferentDimensions() {
    Int8Embedding a = new Int8Embedding(new byte[] {1, 2}, 1f);
    Int8Embedding b = new Int8Embedding(new byte[] {1, 2, 3}, 1f);
    assertThatThrownBy(() -> a.cosine(b)).hasMessage("embedding dimensions differ: 2 vs 3");
    assertThatThrownBy(() -> a.rawDot(b)).hasMessage("embedding dimensions differ: 2 vs 3");
  }

  @Test
  void isImmutableAndNeverPrintsValues() {
    byte[] q = {12, -34, 56};
    Int8Embedding e = new Int8Embedding(q, 0.01f);
    q[0] = 99;
    e.values()[1] = 99;
    assertThat(e.values()).containsExactly(12, -34, 56);
    assertThat(e.toString())
        .isEqualTo("Int8Embedding[3d]")
        .doesNotContain("12")
        .doesNotContain("0.01");
    Candidate c = Fixtures.candidate();
    String s = c.toString();
    for (byte b : c.embedding().values()) {
      assertThat(s).doesNotContain(", " + b + ",");
    }
    assertThat(s).contains("Int8Embedding[192d]");
  }

  @Test
  void equalityIsByValuesAndScale() {
    assertThat(new Int8Embedding(new byte[] {1, 2}, 1f))
        .isEqualTo(new Int8Embedding(new byte[] {1, 2}, 1f))
        .hasSameHashCodeAs(new Int8Embedding(new byte[] {1, 2}, 1f))
        .isNotEqualTo(new Int8Embedding(new byte[] {1, 2}, 2f))
        .isNotEqualTo(new Int8Embedding(new byte[] {1, 3}, 1f));
  }
}
