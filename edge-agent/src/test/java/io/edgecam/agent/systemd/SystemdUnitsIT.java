package io.edgecam.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.face.image.TestData;
import io.edgecam.runtime.systemd.SystemdNotifier;
import io.edgecam.testing.Services;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped units: {@code systemd-analyze verify} finds nothing to complain about, and both run
 * as {@code Type=notify} with a watchdog (the code behind it: {@link SystemdNotifier}).
 */
class SystemdUnitsIT {

  @ParameterizedTest
  @ValueSource(strings = {"edgecam-agent.service", "edgecam-matcher.service"})
  void unitVerifiesCleanAndIsNotifyWithWatchdog(String name) throws Exception {
    Path unit = TestData.root().resolve("systemd").resolve(name);
    List<String> lines = Files.readAllLines(unit);
    assertThat(lines)
        .contains("Type=notify", "NotifyAccess=all", "Restart=on-failure", "NoNewPrivileges=true")
        .anyMatch(l -> l.matches("WatchdogSec=[1-9][0-9]*"))
        .anyMatch(l -> l.startsWith("ProtectSystem=strict"));

    Path analyze = Path.of("/usr/bin/systemd-analyze");
    if (!Files.isExecutable(analyze)) {
      String reason = "systemd-analyze is not installed (apt-get install systemd)";
      Services.unavailable(reason);
    }
    Process p =
        new ProcessBuilder(analyze.toString(), "verify", unit.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).as("systemd-analyze verify %s", name).isBlank();
  }
}
