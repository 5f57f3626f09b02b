package io.edgecam.ctl.doctor;

import io.edgecam.agent.config.GpioConfig;
import io.edgecam.agent.gpio.GpioChips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * GPIO: configured pins, a GPIO chip on this machine, and access to it for this user. Does not
 * claim the lines: the running agent holds them.
 */
final class GpioCheck {
  private static final String NAME = "gpio";

  private GpioCheck() {}

  static CheckResult run(GpioConfig gpio, Path dev) {
    if (!gpio.enabled()) {
      return CheckResult.ok(NAME, "not configured (gpio.enabled: false)");
    }
    String pins = pins(gpio);
    List<Path> chips = GpioChips.find(dev);
    if (chips.isEmpty()) {
      String detail = "no GPIO on this machine (no " + dev.resolve("gpiochip*") + "): " + pins;
      return gpio.provider() == GpioConfig.Provider.AUTO
          ? CheckResult.warn(
              NAME, detail + " unused", "run on the Raspberry Pi, or set gpio.enabled: false")
          : CheckResult.fail(
              NAME,
              detail + ", but gpio.provider is gpiod",
              "enable the GPIO driver, or set gpio.provider: auto");
    }
    List<String> denied = new ArrayList<>();
    for (Path chip : chips) {
      if (!Files.isReadable(chip) || !Files.isWritable(chip)) {
        denied.add(chip.toString());
      }
    }
    if (!denied.isEmpty()) {
      return CheckResult.fail(
          NAME,
          "no read/write access to " + String.join(", ", denied) + " for this user",
          "add the service user to group gpio (the unit has SupplementaryGroups=gpio)");
    }
    return CheckResult.ok(NAME, chips.size() + " GPIO chip(s) accessible; " + pins);
  }

  private static String pins(GpioConfig gpio) {
    List<String> parts = new ArrayList<>();
    if (gpio.statusLed().pin() != null) {
      parts.add("LED GPIO" + gpio.statusLed().pin());
    }
    if (gpio.pir().pin() != null) {
      parts.add("PIR GPIO" + gpio.pir().pin());
    }
    if (gpio.tamper().pin() != null) {
      parts.add("tamper GPIO" + gpio.tamper().pin());
    }
    return String.join(", ", parts);
  }
}
