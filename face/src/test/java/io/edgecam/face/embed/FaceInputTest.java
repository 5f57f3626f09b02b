package io.edgecam.face.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.edgecam.face.align.AlignedFace;
import io.edgecam.face.align.FaceAligner;
import io.edgecam.face.align.SimilarityTransform;
import io.edgecam.face.detect.Detection;
import io.edgecam.face.image.Frame;
import org.junit.jupiter.api.Test;

/** face-api ResNet-34 input: its 150x150 alignment and its normalisation. */
class FaceInputTest {
  private static final FaceInput R34 = FaceInput.FACEAPI_RESNET34;

  @Test
  void normalisesWithFaceApisMeanRgbOver255() {
    float[] rgb = new float[R34.pixels()];
    rgb[0] = 122.782f; // r at its mean -> 0
    rgb[1] = 255f; // g
    rgb[2] = 0f; // b
    float[] out = new float[2 * R34.pixels()];
    R34.normalize(rgb, out, R34.pixels());
    assertThat(out[R34.pixels()]).isCloseTo(0f, within(1e-6f));
    assertThat(out[R34.pixels() + 1]).isCloseTo((255f - 117.001f) / 255f, within(1e-6f));
    assertThat(out[R34.pixels() + 2]).isCloseTo(-104.298f / 255f, within(1e-6f));
    assertThat(out[0]).as("slot 1 untouched").isZero();
  }

  @Test
  void mirroredNormalisationSwapsColumnsOnly() {
    int n = R34.size();
    float[] rgb = new float[R34.pixels()];
    int row = 7;
    rgb[3 * (row * n)] = 255f; // red at (0, row)
    float[] out = new float[R34.pixels()];
    R34.normalizeMirrored(rgb, out, 0);
    assertThat(out[3 * (row * n + n - 1)]).isCloseTo((255f - 122.782f) / 255f, within(1e-6f));
    assertThat(out[3 * (row * n)]).isCloseTo(-122.782f / 255f, within(1e-6f));
  }

  @Test
  void mobileFaceNetKeepsItsNormalisation() {
    float[] rgb = new float[FaceInput.MOBILEFACENET.pixels()];
    rgb[0] = 255f;
    float[] out = new float[rgb.length];
    FaceInput.MOBILEFACENET.normalize(rgb, out, 0);
    assertThat(out[0]).isCloseTo((255f - 127.5f) / 128f, within(1e-6f));
    assertThat(out[1]).isCloseTo(-127.5f / 128f, within(1e-6f));
  }

  @Test
  void keypointsLandOnFaceApisTemplate() {
    // A face 2x the template's size, rotated 20 degrees, somewhere in a frame.
    double angle = Math.toRadians(20);
    SimilarityTransform place =
        new SimilarityTransform(2 * Math.cos(angle), 2 * Math.sin(angle), 210, 90);
    double[] t = R34.template();
    float[] kp = new float[12];
    for (int i = 0; i < 4; i++) {
      kp[2 * i] = (float) place.applyX(t[2 * i], t[2 * i + 1]);
      kp[2 * i + 1] = (float) place.applyY(t[2 * i], t[2 * i + 1]);
    }
    Detection d = new Detection(100, 100, 300, 300, 0.9f, kp);
    FaceAligner aligner = new FaceAligner(t, R34.size());
    SimilarityTransform toChip = aligner.transform(d);
    for (int i = 0; i < 4; i++) {
      assertThat(toChip.applyX(kp[2 * i], kp[2 * i + 1])).isCloseTo(t[2 * i], within(1e-3));
      assertThat(toChip.applyY(kp[2 * i], kp[2 * i + 1])).isCloseTo(t[2 * i + 1], within(1e-3));
    }
    assertThat(toChip.scale()).isCloseTo(0.5, within(1e-6));
    assertThat(toChip.rotationDegrees()).isCloseTo(-20, within(1e-4));
  }

  @Test
  void alignedChipShowsTheEyeAtTheTemplatePoint() {
    // A white frame with a black 9x9 square centred on the left eye; identity placement.
    Frame frame = Frame.allocate(300, 300);
    byte[] px = frame.rgb();
    java.util.Arrays.fill(px, (byte) 255);
    double[] t = R34.template();
    int ex = (int) Math.round(t[0]) + 50;
    int ey = (int) Math.round(t[1]) + 50;
    for (int y = ey - 4; y <= ey + 4; y++) {
      for (int x = ex - 4; x <= ex + 4; x++) {
        int i = 3 * (y * 300 + x);
        px[i] = px[i + 1] = px[i + 2] = 0;
      }
    }
    float[] kp = new float[12];
    for (int i = 0; i < 4; i++) {
      kp[2 * i] = (float) t[2 * i] + 50;
      kp[2 * i + 1] = (float) t[2 * i + 1] + 50;
    }
    AlignedFace chip = new AlignedFace(150);
    new FaceAligner(t, 150).align(frame, new Detection(50, 50, 150, 150, 0.9f, kp), chip);
    int n = chip.size();
    int cx = (int) Math.round(t[0]);
    int cy = (int) Math.round(t[1]);
    assertThat(chip.rgb()[3 * (cy * n + cx)]).as("eye pixel").isLessThan(10f);
    assertThat(chip.rgb()[3 * (cy * n + cx + 10)]).as("beside the eye").isGreaterThan(245f);
  }

  @Test
  void alignerRefusesAChipOfAnotherSize() {
    FaceAligner aligner = new FaceAligner(R34.template(), R34.size());
    Detection d = new Detection(0, 0, 10, 10, 0.9f, new float[12]);
    assertThatThrownBy(() -> aligner.align(Frame.allocate(20, 20), d, new AlignedFace()))
        .hasMessageContaining("112x112")
        .hasMessageContaining("150");
  }

  @Test
  void rejectsAnIncompleteTemplate() {
    assertThatThrownBy(() -> new FaceInput(150, new double[6], new float[3], new float[] {1, 1, 1}))
        .hasMessageContaining("4 template points");
  }
}
