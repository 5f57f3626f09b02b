package io.edgecam.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.agent.config.GpioConfig.Level;
import io.edgecam.agent.config.GpioConfig.Pull;
import io.edgecam.runtime.config.ConfigException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpioConfigTest {
  private static final String MINIMAL = "device: cam-01\nsite: lobby\nsource: {path: images}\n";

  @TempDir Path dir;

  private AgentConfig parse(String gpio) {
    return AgentConfig.parse(MINIMAL + "gpio:\n" + gpio, "agent.yaml", dir);
  }

  @Test
  void gpioIsOffByDefault() {
    AgentConfig c = AgentConfig.parse(MINIMAL, "agent.yaml", dir);

    assertThat(c.gpio()).isEqualTo(GpioConfig.DISABLED);
    assertThat(c.gpio().enabled()).isFalse();
  }

  @Test
  void pinsPolarityAndTimesBind() {
    GpioConfig g =
        parse(
                """
                  enabled: true
                  statusLed: {pin: 18, activeLevel: low}
                  pir: {pin: 17, holdSeconds: 30}
                  tamper: {pin: 27, pull: none, debounceMs: 20, wipeWatchlist: true}
                """)
            .gpio();

    assertThat(g.provider()).isEqualTo(GpioConfig.Provider.AUTO);
    assertThat(g.statusLed()).isEqualTo(new GpioConfig.Led(18, Level.LOW));
    assertThat(g.pir()).isEqualTo(new GpioConfig.Pir(17, Level.HIGH, Pull.DOWN, 30));
    assertThat(g.tamper()).isEqualTo(new GpioConfig.Tamper(27, Level.HIGH, Pull.NONE, 20, true));
  }

  @Test
  void pinOutsideTheHeaderIsNamed() {
    assertThatThrownBy(() -> parse("  enabled: true\n  pir: {pin: 40}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "agent.yaml: gpio.pir.pin must be a BCM GPIO number in 0..27 (GPIO17 is 17), was 40");
  }

  @Test
  void onePinCannotServeTwoParts() {
    assertThatThrownBy(() -> parse("  enabled: true\n  statusLed: {pin: 17}\n  pir: {pin: 17}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "agent.yaml: gpio.pir.pin and statusLed.pin are both GPIO17: each needs its own pin");
  }

  @Test
  void enabledWithoutAnyPinIsAnError() {
    assertThatThrownBy(() -> parse("  enabled: true\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "agent.yaml: gpio.enabled is true but no pin is set: set statusLed.pin, pir.pin or"
                + " tamper.pin");
  }

  @Test
  void wipeNeedsATamperSwitch() {
    assertThatThrownBy(() -> parse("  tamper: {wipeWatchlist: true}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("agent.yaml: gpio.tamper.wipeWatchlist needs a tamper switch: set pin");
  }

  @Test
  void badLevelAndPullListTheChoices() {
    // A bare "on" is YAML for true: still a clear message.
    assertThatThrownBy(() -> parse("  statusLed: {activeLevel: on}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("agent.yaml: gpio.statusLed.activeLevel must be one of high, low");
    assertThatThrownBy(() -> parse("  pir: {pull: weak}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("agent.yaml: gpio.pir.pull must be one of up, down, none");
    assertThatThrownBy(() -> parse("  provider: pigpio\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("agent.yaml: gpio.provider must be one of auto, gpiod");
  }

  @Test
  void holdAndDebounceRangesAreNamed() {
    assertThatThrownBy(() -> parse("  pir: {holdSeconds: 0}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("agent.yaml: gpio.pir.holdSeconds must be in 1..3600, was 0");
    assertThatThrownBy(() -> parse("  tamper: {debounceMs: -1}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("agent.yaml: gpio.tamper.debounceMs must be in 0..10000, was -1");
  }
}
