package io.edgecam.ctl.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SurveyCheckTest {
  @Test
  void facesPerBucketAndTimeAreReported() {
    CheckResult r = SurveyCheck.judge(50, 1920, 1080, 80, List.of(19, 20, 45, 45, 90, 200), 40, 10);
    assertThat(r.status()).isEqualTo(CheckResult.Status.OK);
    assertThat(r.detail())
        .contains("50 frames 1920x1080", "80 ms/frame (12.5 fps)")
        .contains("<20: 1, 20-27: 1, 28-39: 0, 40-55: 2, 56-79: 0, 80-111: 1, >=112: 1");
  }

  @Test
  void mostlySmallFacesAdviseZoomingIn() {
    CheckResult r = SurveyCheck.judge(50, 1280, 720, 50, List.of(22, 25, 30, 45), 40, 5);
    assertThat(r.status()).isEqualTo(CheckResult.Status.WARN);
    assertThat(r.detail()).contains("3 of 4 under quality.minFaceSize");
    assertThat(r.fix()).contains("zoom in", "higher resolution");
  }

  @Test
  void noFaceAdvisesOnMounting() {
    CheckResult r = SurveyCheck.judge(50, 1280, 720, 50, List.of(), 40, 5);
    assertThat(r.status()).isEqualTo(CheckResult.Status.WARN);
    assertThat(r.fix()).contains("no face seen", "mount");
  }

  @Test
  void slowerThanTheSourceIsAWarning() {
    CheckResult r = SurveyCheck.judge(50, 1920, 1080, 250, List.of(60, 70), 40, 10);
    assertThat(r.status()).isEqualTo(CheckResult.Status.WARN);
    assertThat(r.fix()).contains("slower than source.fps 10", "frameBudgetMs");
  }
}
