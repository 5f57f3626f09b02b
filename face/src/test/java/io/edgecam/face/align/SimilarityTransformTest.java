package io.edgecam.face.align;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.edgecam.face.detect.Detection;
import io.edgecam.face.image.Frame;
import org.junit.jupiter.api.Test;

class SimilarityTransformTest {
  @Test
  void recoversAKnownRotationScaleAndTranslation() {
    double angle = Math.toRadians(30);
    double s = 2.5;
    SimilarityTransform truth =
        new SimilarityTransform(s * Math.cos(angle), s * Math.sin(angle), 7, -3);
    double[] src = {0, 0, 10, 0, 5, 8, 3, 12};
    double[] dst = new double[8];
    for (int i = 0; i < 4; i++) {
      dst[2 * i] = truth.applyX(src[2 * i], src[2 * i + 1]);
      dst[2 * i + 1] = truth.applyY(src[2 * i], src[2 * i + 1]);
    }
    SimilarityTransform fit = SimilarityTransform.fit(src, dst);
    assertThat(fit.scale()).isCloseTo(2.5, within(1e-9));
    assertThat(fit.rotationDegrees()).isCloseTo(30, within(1e-9));
    assertThat(fit.tx()).isCloseTo(7, within(1e-9));
    assertThat(fit.ty()).isCloseTo(-3, within(1e-9));
  }

  @Test
  void inverseUndoesTheTransform() {
    SimilarityTransform t = new SimilarityTransform(0.8, -0.6, 12, 40);
    SimilarityTransform inv = t.inverse();
    double x = t.applyX(3, 4);
    double y = t.applyY(3, 4);
    assertThat(inv.applyX(x, y)).isCloseTo(3, within(1e-9));
    assertThat(inv.applyY(x, y)).isCloseTo(4, within(1e-9));
  }

  @Test
  void neverReflects() {
    // Mirrored points: the best similarity (no reflection) cannot map them exactly.
    double[] src = {0, 0, 10, 0, 0, 10};
    double[] dst = {0, 0, -10, 0, 0, 10};
    SimilarityTransform fit = SimilarityTransform.fit(src, dst);
    assertThat(fit.applyX(10, 0)).isNotCloseTo(-10, within(1.0));
  }

  @Test
  void coincidentPointsAreRejected() {
    assertThatThrownBy(
            () -> SimilarityTransform.fit(new double[] {1, 1, 1, 1}, new double[] {0, 0, 5, 5}))
        .hasMessageContaining("coincide");
  }

  @Test
  void keypointsOnTheTemplateAlignToIdentity() {
    double[] t = FaceAligner.TEMPLATE;
    float[] kp = new float[12];
    for (int i = 0; i < 8; i++) {
      kp[i] = (float) t[i];
    }
    Detection d = new Detection(20, 30, 70, 70, 0.9f, kp);
    SimilarityTransform fit = new FaceAligner().transform(d);
    assertThat(fit.scale()).isCloseTo(1, within(1e-5));
    assertThat(fit.tx()).isCloseTo(0, within(1e-3));

    // A frame whose pixel (x, y) has red = x: the aligned crop reproduces it.
    Frame frame = Frame.allocate(112, 112);
    for (int y = 0; y < 112; y++) {
      for (int x = 0; x < 112; x++) {
        frame.rgb()[3 * (y * 112 + x)] = (byte) x;
      }
    }
    AlignedFace out = new AlignedFace();
    new FaceAligner().align(frame, d, out);
    assertThat(out.rgb()[3 * (50 * 112 + 40)]).isCloseTo(40f, within(0.05f));
  }

  @Test
  void doubleSizeFaceIsShrunkByTwo() {
    double[] t = FaceAligner.TEMPLATE;
    float[] kp = new float[12];
    for (int i = 0; i < 8; i++) {
      kp[i] = (float) (2 * t[i] + 10);
    }
    SimilarityTransform fit = new FaceAligner().transform(new Detection(0, 0, 1, 1, 1, kp));
    assertThat(fit.scale()).isCloseTo(0.5, within(1e-5));
    assertThat(fit.rotationDegrees()).isCloseTo(0, within(1e-4));
  }
}
