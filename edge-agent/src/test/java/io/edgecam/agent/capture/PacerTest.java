package io.edgecam.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacerTest {
  private static final long MS = 1_000_000L;

  /** A clock that only moves when the pacer sleeps, or when the test says work took time. */
  private long now = 1_000 * MS;

  private final List<Long> releases = new ArrayList<>();

  private Pacer pacer(double fps) {
    return new Pacer(fps, () -> now, deadline -> now = deadline);
  }

  private void frame(Pacer p, long workMs) throws InterruptedException {
    p.await();
    releases.add(now / MS);
    now += workMs * MS;
  }

  @Test
  void releasesFramesOnePeriodApart() throws Exception {
    Pacer p = pacer(20);
    for (int i = 0; i < 4; i++) {
      frame(p, 1);
    }
    assertThat(releases).containsExactly(1000L, 1050L, 1100L, 1150L);
  }

  @Test
  void afterFallingBehindItDoesNotBurstToCatchUp() throws Exception {
    Pacer p = pacer(20);
    frame(p, 1); // 1000
    frame(p, 200); // 1050, then a slow frame: 200 ms of work
    frame(p, 1); // 1250: late, released at once
    frame(p, 1); // one period later, not immediately
    assertThat(releases).containsExactly(1000L, 1050L, 1250L, 1300L);
  }

  @Test
  void zeroFpsNeverWaits() throws Exception {
    Pacer p = pacer(0);
    frame(p, 0);
    frame(p, 0);
    assertThat(releases).containsExactly(1000L, 1000L);
  }

  @Test
  void liveSourceDropsFramesAboveTheRate() {
    Pacer p = pacer(10); // 100 ms period
    List<Boolean> due = new ArrayList<>();
    for (int i = 0; i < 8; i++) { // frames every 40 ms
      due.add(p.due());
      now += 40 * MS;
    }
    // Slots at 0, 100, 200 ms; frames at 0, 40, 80, 120, 160, 200, 240, 280 ms: the first frame
    // at or after each slot is due, so the average rate stays at 10 fps.
    assertThat(due).containsExactly(true, false, false, true, false, true, false, false);
  }
}
