package io.edgecam.agent.gpio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TamperSwitchTest {
  private record Report(boolean open, boolean atStart) {}

  private final List<Report> reports = new CopyOnWriteArrayList<>();
  private final AtomicBoolean line = new AtomicBoolean();
  private final TamperSwitch tamper =
      new TamperSwitch(20, (open, atStart) -> reports.add(new Report(open, atStart)));

  @AfterEach
  void close() {
    tamper.close();
  }

  @Test
  void enclosureAlreadyOpenAtStartIsReportedAsSuch() {
    line.set(true);
    tamper.start(line::get);

    await().atMost(Duration.ofSeconds(5)).until(() -> reports.size() == 1);
    assertThat(reports).containsExactly(new Report(true, true));
  }

  @Test
  void closedAtStartIsSilentAndABounceIsIgnored() {
    tamper.start(line::get);
    line.set(true);
    tamper.edge();
    line.set(false); // back before the debounce time is up
    tamper.edge();

    // Well past the 20 ms debounce: still nothing.
    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(reports::isEmpty);
    line.set(true);
    tamper.edge();
    await().atMost(Duration.ofSeconds(5)).until(() -> !reports.isEmpty());
    assertThat(reports).containsExactly(new Report(true, false));
  }

  @Test
  void eachSettledChangeIsReportedOnce() {
    tamper.start(line::get);
    line.set(true);
    tamper.edge();
    tamper.edge(); // a second edge of the same change
    await().atMost(Duration.ofSeconds(5)).until(() -> reports.size() == 1);
    line.set(false);
    tamper.edge();

    await().atMost(Duration.ofSeconds(5)).until(() -> reports.size() == 2);
    assertThat(reports).containsExactly(new Report(true, false), new Report(false, false));
  }
}
