package io.edgecam.ctl.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.config.GpioConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpioCheckTest {
  @TempDir Path dir;

  private GpioConfig gpio(String provider) {
    return AgentConfig.parse(
            """
            device: d
            site: s
            source: {path: images}
            gpio:
              enabled: true
              provider: %s
              statusLed: {pin: 18}
              tamper: {pin: 27}
            """
                .formatted(provider),
            "agent.yaml",
            dir)
        .gpio();
  }

  @Test
  void notConfiguredIsFine() {
    CheckResult r = GpioCheck.run(GpioConfig.DISABLED, dir);

    assertThat(r.status()).isEqualTo(CheckResult.Status.OK);
    assertThat(r.detail()).isEqualTo("not configured (gpio.enabled: false)");
  }

  @Test
  void noChipIsAWarningWithAutoAndAFailureWithGpiod() {
    CheckResult auto = GpioCheck.run(gpio("auto"), dir);
    CheckResult gpiod = GpioCheck.run(gpio("gpiod"), dir);

    assertThat(auto.status()).isEqualTo(CheckResult.Status.WARN);
    assertThat(auto.detail()).contains("no GPIO on this machine", "LED GPIO18, tamper GPIO27");
    assertThat(gpiod.status()).isEqualTo(CheckResult.Status.FAIL);
    assertThat(gpiod.fix()).contains("gpio.provider: auto");
  }

  @Test
  void accessibleChipIsOkAndListsThePins() throws IOException {
    Files.createFile(dir.resolve("gpiochip0"));
    Files.createFile(dir.resolve("gpiochip4"));

    CheckResult r = GpioCheck.run(gpio("gpiod"), dir);

    assertThat(r.status()).isEqualTo(CheckResult.Status.OK);
    assertThat(r.detail()).isEqualTo("2 GPIO chip(s) accessible; LED GPIO18, tamper GPIO27");
  }
}
