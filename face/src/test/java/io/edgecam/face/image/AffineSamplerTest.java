package io.edgecam.face.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AffineSamplerTest {
  private static Frame gradient(int w, int h) {
    Frame f = Frame.allocate(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = 3 * (y * w + x);
        f.rgb()[i] = (byte) x;
        f.rgb()[i + 1] = (byte) y;
        f.rgb()[i + 2] = (byte) 100;
      }
    }
    return f;
  }

  @Test
  void identityCopiesAndNormalises() {
    Frame f = gradient(8, 4);
    float[] out = new float[8 * 4 * 3];
    new AffineSampler()
        .normalization(1 / 127.5f, -1, -1)
        .windowWholeImage(f)
        .sample(f, out, 0, 8, 4);
    assertThat(out[3 * (2 * 8 + 5)]).isCloseTo(5 / 127.5f - 1, within(1e-6f));
    assertThat(out[3 * (2 * 8 + 5) + 1]).isCloseTo(2 / 127.5f - 1, within(1e-6f));
  }

  @Test
  void halvingAveragesPixelPairs() {
    Frame f = gradient(8, 8);
    float[] out = new float[4 * 4 * 3];
    // dst index x -> src index 2x + 0.5 (the centre of source pixels 2x and 2x+1).
    new AffineSampler().transform(2, 0, 0.5, 0, 2, 0.5).windowWholeImage(f).sample(f, out, 0, 4, 4);
    assertThat(out[3 * (1 * 4 + 2)]).isCloseTo(4.5f, within(1e-4f));
    assertThat(out[3 * (1 * 4 + 2) + 1]).isCloseTo(2.5f, within(1e-4f));
  }

  @Test
  void outsideWindowGetsPadAndInsideWindowPastEdgeIsReplicated() {
    Frame f = gradient(4, 4);
    float[] out = new float[3];
    AffineSampler s = new AffineSampler().normalization(1, 0, -7);
    s.transform(1, 0, -2, 0, 1, 1).window(0, 0, 4, 4).sample(f, out, 0, 1, 1);
    assertThat(out[0]).isEqualTo(-7f);
    s.window(-3, 0, 4, 4).sample(f, out, 0, 1, 1);
    assertThat(out[0]).isEqualTo(0f); // edge pixel x = 0 replicated
  }

  @Test
  void rotationSamplesBilinearly() {
    Frame f = gradient(10, 10);
    float[] out = new float[3];
    // 90 degrees: dst (x, y) -> src (y, x); dst (0, 0) maps to src (3.5, 2.25).
    new AffineSampler()
        .transform(0, 1, 3.5, 1, 0, 2.25)
        .windowWholeImage(f)
        .sample(f, out, 0, 1, 1);
    assertThat(out[0]).isCloseTo(3.5f, within(1e-4f));
    assertThat(out[1]).isCloseTo(2.25f, within(1e-4f));
  }
}
