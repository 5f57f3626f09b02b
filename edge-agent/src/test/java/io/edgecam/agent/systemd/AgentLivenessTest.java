package io.edgecam.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.agent.config.SourceConfig;
import io.edgecam.protocol.Health;
import io.edgecam.runtime.systemd.Liveness;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentLivenessTest {
  private static final long SECOND = 1_000_000_000L;
  private long lastFrame = 0;
  private boolean failed;
  private boolean ended;
  private Health camera = Health.ok();

  private AgentLiveness liveness(boolean live) {
    return new AgentLiveness(
        () -> lastFrame,
        () -> failed,
        () -> ended,
        () -> camera,
        () -> 7,
        live,
        Duration.ofSeconds(30));
  }

  @Test
  void progressingWhileFramesAreAnalyzed() {
    Liveness.Verdict v = liveness(false).check(10 * SECOND);

    assertThat(v.progressing()).isTrue();
    assertThat(v.status()).isEqualTo("7 frames; camera ok");
  }

  @Test
  void stalledWhenNoFrameForLongerThanTheLimitAndTheCameraIsFine() {
    Liveness.Verdict v = liveness(true).check(31 * SECOND);

    assertThat(v.progressing()).isFalse();
    assertThat(v.status()).startsWith("no frame analyzed for 31 s");
  }

  @Test
  void liveCameraThatIsDownIsLegitimatelyIdle() {
    camera = Health.degraded("rtsp://cam: connection refused");

    Liveness.Verdict v = liveness(true).check(600 * SECOND);

    assertThat(v.progressing()).isTrue();
    assertThat(v.status()).contains("waiting for the camera").contains("connection refused");
  }

  @Test
  void fileSourceWithoutFramesIsStalledEvenIfDegraded() {
    camera = Health.degraded("3 frames skipped");

    assertThat(liveness(false).check(31 * SECOND).progressing()).isFalse();
  }

  @Test
  void failedPipelineStarvesTheWatchdog() {
    failed = true;

    assertThat(liveness(false).check(SECOND).progressing()).isFalse();
  }

  @Test
  void endedSourceKeepsFeedingWhileTheRestIsSent() {
    ended = true;

    assertThat(liveness(false).check(600 * SECOND).progressing()).isTrue();
  }

  @Test
  void stallLimitCoversThreeFrameIntervalsOfASlowSource() {
    SourceConfig slow = new SourceConfig(SourceConfig.Type.FOLDER, Path.of("x"), null, 0.05, false);
    SourceConfig fast = new SourceConfig(SourceConfig.Type.FOLDER, Path.of("x"), null, 10, false);

    assertThat(AgentLiveness.stallLimit(slow, Duration.ofSeconds(30)))
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(AgentLiveness.stallLimit(fast, Duration.ofSeconds(30)))
        .isEqualTo(Duration.ofSeconds(30));
  }
}
