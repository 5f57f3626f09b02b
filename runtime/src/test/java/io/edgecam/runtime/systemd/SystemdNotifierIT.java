package io.edgecam.runtime.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notifier against a real unix datagram socket, through the real systemd-notify. */
class SystemdNotifierIT {
  @TempDir Path dir;
  private final AtomicBoolean progressing = new AtomicBoolean(true);
  private final Liveness liveness =
      now ->
          progressing.get()
              ? Liveness.Verdict.progressing("42 frames; camera ok")
              : Liveness.Verdict.stalled("no frame analyzed for 31 s");

  private SystemdNotifier notifier(String socket) {
    // WatchdogSec=0.4 s: a ping every 200 ms.
    return SystemdNotifier.fromEnvironment(
        Map.of(
            "NOTIFY_SOCKET",
            socket,
            "WATCHDOG_USEC",
            "400000",
            "WATCHDOG_PID",
            Long.toString(ProcessHandle.current().pid())),
        liveness);
  }

  @Test
  void sendsReadyThenWatchdogAndStopsPingingWhileStalled() throws Exception {
    try (NotifySocketReceiver socket =
            NotifySocketReceiver.bind(dir, dir.resolve("notify").toString());
        SystemdNotifier notifier = notifier(socket.address())) {
      assertThat(notifier.isEnabled()).isTrue();
      notifier.ready("running: folder -> tcp://127.0.0.1:1");

      await().atMost(Duration.ofSeconds(10)).until(() -> socket.count("WATCHDOG=1") >= 2);
      List<String> first = socket.datagrams();
      assertThat(first.get(0)).startsWith("READY=1|STATUS=running: folder");

      progressing.set(false);
      await().atMost(Duration.ofSeconds(10)).until(() -> socket.count("STATUS=no frame") >= 1);
      long pings = socket.count("WATCHDOG=1");
      // Three more ticks while stalled: each says why, none feeds the watchdog.
      await().atMost(Duration.ofSeconds(10)).until(() -> socket.count("STATUS=no frame") >= 4);
      assertThat(socket.count("WATCHDOG=1")).isEqualTo(pings);

      progressing.set(true);
      await().atMost(Duration.ofSeconds(10)).until(() -> socket.count("WATCHDOG=1") > pings);

      notifier.stopping();
      await().atMost(Duration.ofSeconds(10)).until(() -> socket.count("STOPPING=1") == 1);
    }
  }

  @Test
  void notifiesAnAbstractNamespaceSocket() throws Exception {
    String name = "@edgecam-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    try (NotifySocketReceiver socket = NotifySocketReceiver.bind(dir, name);
        SystemdNotifier notifier = notifier(socket.address())) {
      notifier.ready("running");

      await().atMost(Duration.ofSeconds(10)).until(() -> socket.count("WATCHDOG=1") >= 1);
      assertThat(socket.datagrams().get(0)).startsWith("READY=1");
    }
  }
}
