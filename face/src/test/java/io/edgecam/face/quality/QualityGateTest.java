package io.edgecam.face.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.edgecam.face.align.AlignedFace;
import io.edgecam.face.detect.Detection;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QualityGateTest {
  /** Frontal face: eyes level, nose and mouth centred. */
  private static Detection face(float size, float score, float noseShift, float eyeTilt) {
    float[] kp = {30, 40, 70, 40 + eyeTilt, 50 + noseShift, 60, 50, 80, 10, 45, 90, 45};
    return new Detection(0, 0, size, size, score, kp);
  }

  private static AlignedFace sharp() {
    AlignedFace f = new AlignedFace();
    Random r = new Random(3);
    for (int i = 0; i < f.rgb().length; i++) {
      f.rgb()[i] = r.nextInt(256);
    }
    return f;
  }

  private final QualityGate gate = new QualityGate(QualityThresholds.DEFAULTS);

  @Test
  void frontalSharpLargeFacePasses() {
    QualityVerdict v = gate.judge(face(100, 0.9f, 0, 0), sharp());
    assertThat(v.passed()).isTrue();
    assertThat(v.yawDegrees()).isCloseTo(0, within(1e-6));
    assertThat(v.rollDegrees()).isCloseTo(0, within(1e-6));
  }

  @Test
  void eachGateRejectsWithItsReason() {
    assertThat(gate.judge(face(20, 0.9f, 0, 0), sharp()).reason())
        .isEqualTo(QualityVerdict.Reason.TOO_SMALL);
    assertThat(gate.judge(face(100, 0.55f, 0, 0), sharp()).reason())
        .isEqualTo(QualityVerdict.Reason.LOW_SCORE);
    assertThat(gate.judge(face(100, 0.9f, 0, 0), new AlignedFace()).reason())
        .isEqualTo(QualityVerdict.Reason.BLURRY);
    assertThat(gate.judge(face(100, 0.9f, 18, 0), sharp()).reason())
        .isEqualTo(QualityVerdict.Reason.YAW);
    assertThat(gate.judge(face(100, 0.9f, 0, 50), sharp()).reason())
        .isEqualTo(QualityVerdict.Reason.ROLL);
  }

  @Test
  void rollIsTheEyeLineAngle() {
    assertThat(QualityGate.roll(face(100, 0.9f, 0, 40))).isCloseTo(45, within(1e-6));
  }

  @Test
  void yawGrowsWithNoseOffset() {
    assertThat(QualityGate.yaw(face(100, 0.9f, 5, 0)))
        .isCloseTo(Math.toDegrees(Math.asin(0.25)), within(1e-6));
    assertThat(QualityGate.yaw(face(100, 0.9f, -5, 0))).isNegative();
  }

  @Test
  void describeSaysWhy() {
    QualityVerdict v = gate.judge(face(20, 0.9f, 0, 0), sharp());
    assertThat(v.describe(QualityThresholds.DEFAULTS))
        .isEqualTo("rejected: TOO_SMALL (20 px < 32 px)");
  }

  @Test
  void invalidThresholdsNameTheKey() {
    assertThatThrownBy(() -> new QualityThresholds(-1, 0.5f, 1, 10, 10))
        .hasMessageContaining("minFaceSize");
  }
}
