package io.edgecam.runtime.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemdNotifierTest {
  private final Liveness alive = now -> Liveness.Verdict.progressing("ok");
  private final String self = Long.toString(ProcessHandle.current().pid());

  @Test
  void doesNothingOutsideSystemd() {
    SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of(), alive);

    assertThat(n.isEnabled()).isFalse();
    n.ready("running"); // no socket, no thread, no error
    n.close();
  }

  @Test
  void watchdogPeriodComesFromWatchdogUsec() {
    assertThat(SystemdNotifier.watchdog(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", self)))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(SystemdNotifier.watchdog(Map.of("WATCHDOG_USEC", "30000000")))
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void ignoresWatchdogMeantForAnotherProcessOrInvalid() {
    assertThat(SystemdNotifier.watchdog(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "1")))
        .isNull();
    assertThat(SystemdNotifier.watchdog(Map.of("WATCHDOG_USEC", "soon"))).isNull();
    assertThat(SystemdNotifier.watchdog(Map.of())).isNull();
    assertThat(SystemdNotifier.watchdogOrDefault(Map.of())).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void stoppingIsSentOnceAndEndsNotifications() {
    List<String> sent = new ArrayList<>();
    SystemdNotifier n = new SystemdNotifier(sent::add, null, alive);

    n.stopping();
    n.close();
    n.status("late");
    n.ready("late");

    assertThat(sent).containsExactly("STOPPING=1\nSTATUS=stopping");
  }

  @Test
  void statusIsKeptOnOneLine() {
    List<String> sent = new ArrayList<>();
    SystemdNotifier n = new SystemdNotifier(sent::add, null, alive);

    n.status("camera\ndown");

    assertThat(sent).containsExactly("STATUS=camera down");
  }
}
