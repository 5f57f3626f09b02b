package io.edgecam.matcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgecam.runtime.systemd.NotifySocketReceiver;
import io.edgecam.testing.MosquittoProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgecam matcher} as systemd runs it: its own process with {@code NOTIFY_SOCKET} and {@code
 * WATCHDOG_USEC} pointing at a real unix datagram socket, then SIGTERM. The broker is a Mosquitto
 * of the test's own: the embedded HiveMQ took 6-12 s to start on a busy 2-core machine, and the
 * notify path does not depend on which broker it is.
 */
class MatcherNotifyIT {
  @TempDir Path dir;

  @Test
  void readyOnlyOnceSubscribedThenWatchdogPingsThenStoppingOnSigterm() throws Exception {
    Path config = dir.resolve("matcher.yaml");
    Path log = dir.resolve("matcher.log");
    try (MosquittoProcess broker = MosquittoProcess.start(dir.resolve("broker"));
        NotifySocketReceiver socket =
            NotifySocketReceiver.bind(dir, dir.resolve("notify").toString())) {
      Files.writeString(
          config,
          """
          broker:
            external: {url: "%s"}
          store: {sqlite: matcher.db}
          sessionExpirySeconds: 0
          """
              .formatted(broker.url()));
      String classpath =
          System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      ProcessBuilder pb =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-cp",
                  classpath,
                  MatcherMain.class.getName(),
                  "--config",
                  config.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      // WatchdogSec=1: a ping every 500 ms.
      pb.environment().put("NOTIFY_SOCKET", socket.address());
      pb.environment().put("WATCHDOG_USEC", "1000000");
      Process matcher = pb.start();
      try {
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> socket.count("READY=1") == 1 || !matcher.isAlive());
        assertThat(matcher.isAlive()).as("matcher log:%n%s", Files.readString(log)).isTrue();
        List<String> first = socket.datagrams();
        assertThat(first.get(0))
            .isEqualTo(
                "READY=1|STATUS=subscribed to $share/matchers/edgecam/v1/+/+/candidates on "
                    + broker.url());
        // Ready means serving: the subscription was made before READY was sent. READY=1 goes out
        // just before its log line, so the line is waited for, not assumed.
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> Files.readString(log).contains("systemd: ready"));
        String text = Files.readString(log);
        assertThat(text.indexOf("Subscribed to $share/matchers/edgecam/v1/+/+/candidates"))
            .as("matcher log:%n%s", text)
            .isBetween(0, text.indexOf("systemd: ready"));

        await().atMost(Duration.ofSeconds(20)).until(() -> socket.count("WATCHDOG=1") >= 3);
        assertThat(socket.datagrams().stream().filter(d -> d.contains("WATCHDOG=1")))
            .allMatch(d -> !d.contains("STATUS=") || d.contains("STATUS=subscribed to"));

        matcher.destroy(); // SIGTERM, as systemctl stop
        await().atMost(Duration.ofSeconds(30)).until(() -> socket.count("STOPPING=1") == 1);
        assertThat(matcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(matcher.exitValue()).isIn(0, 143);
        // systemd-notify follows each message with a BARRIER=1 of its own.
        List<String> all = socket.datagrams().stream().filter(d -> !d.equals("BARRIER=1")).toList();
        assertThat(all.get(all.size() - 1)).startsWith("STOPPING=1");
      } finally {
        stop(matcher);
      }
    }
  }

  private static void stop(Process p) throws IOException {
    if (p.isAlive()) {
      p.destroyForcibly();
    }
  }
}
