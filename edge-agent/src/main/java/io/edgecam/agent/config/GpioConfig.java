package io.edgecam.agent.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * GPIO of the device ({@code gpio} in agent.yaml; wiring in docs/gpio.md): a status LED, a PIR
 * motion sensor that wakes analysis, and an enclosure tamper switch. Pins are BCM GPIO numbers (the
 * {@code GPIO17} names on the 40-pin header, not physical pin positions).
 *
 * @param enabled whether the agent uses GPIO at all
 * @param provider how GPIO is reached
 * @param statusLed the status LED; pin null means none
 * @param pir the PIR motion sensor; pin null means none (every frame is analyzed)
 * @param tamper the tamper switch; pin null means none
 */
public record GpioConfig(
    boolean enabled, Provider provider, Led statusLed, Pir pir, Tamper tamper) {

  /** Highest BCM GPIO number on the Raspberry Pi's 40-pin header. */
  public static final int MAX_PIN = 27;

  /** GPIO off: what an agent without a {@code gpio} section gets. */
  public static final GpioConfig DISABLED =
      new GpioConfig(
          false,
          Provider.AUTO,
          new Led(null, Level.HIGH),
          new Pir(null, Level.HIGH, Pull.DOWN, 10),
          new Tamper(null, Level.HIGH, Pull.UP, 50, false));

  /** How GPIO is reached. */
  public enum Provider {
    /**
     * libgpiod when the kernel exposes a GPIO character device ({@code /dev/gpiochip*}); without
     * one GPIO stays off and the agent says so once.
     */
    @JsonProperty("auto")
    AUTO,
    /** libgpiod, required: without a GPIO chip the agent runs with GPIO health FAILED. */
    @JsonProperty("gpiod")
    GPIOD
  }

  /** Electrical level of a pin. */
  public enum Level {
    @JsonProperty("high")
    HIGH,
    @JsonProperty("low")
    LOW
  }

  /**
   * Internal bias resistor of an input pin. ("none", not "off": YAML reads a bare {@code off} as
   * false.)
   */
  public enum Pull {
    @JsonProperty("up")
    UP,
    @JsonProperty("down")
    DOWN,
    @JsonProperty("none")
    NONE
  }

  /**
   * The status LED ({@code gpio.statusLed}).
   *
   * @param pin BCM GPIO number, or null for no LED
   * @param activeLevel the level that lights the LED: {@code high} for an LED from the pin to
   *     ground, {@code low} for one from 3.3 V to the pin
   */
  public record Led(@Nullable Integer pin, Level activeLevel) {
    public Led {
      requirePin(pin);
      requireLevel(activeLevel);
    }
  }

  /**
   * The PIR motion sensor ({@code gpio.pir}).
   *
   * @param pin BCM GPIO number, or null for no sensor
   * @param activeLevel the level the sensor outputs while it sees motion (HC-SR501: {@code high})
   * @param pull the input's bias resistor
   * @param holdSeconds frames are analyzed until this long after the sensor last reported motion
   */
  public record Pir(@Nullable Integer pin, Level activeLevel, Pull pull, int holdSeconds) {
    public Pir {
      requirePin(pin);
      requireLevel(activeLevel);
      requirePull(pull);
      if (holdSeconds < 1 || holdSeconds > 3600) {
        throw new IllegalArgumentException("holdSeconds must be in 1..3600, was " + holdSeconds);
      }
    }
  }

  /**
   * The enclosure tamper switch ({@code gpio.tamper}).
   *
   * @param pin BCM GPIO number, or null for no switch
   * @param activeLevel the level while the enclosure is open (tampered); with a normally-closed
   *     switch to ground and {@code pull: up} that is {@code high}, so a cut wire reads as tampered
   * @param pull the input's bias resistor
   * @param debounceMs the level must stay the same this long before it counts
   * @param wipeWatchlist erase the device's local watchlist copy when the enclosure opens
   */
  public record Tamper(
      @Nullable Integer pin, Level activeLevel, Pull pull, int debounceMs, boolean wipeWatchlist) {
    public Tamper {
      requirePin(pin);
      requireLevel(activeLevel);
      requirePull(pull);
      if (debounceMs < 0 || debounceMs > 10_000) {
        throw new IllegalArgumentException("debounceMs must be in 0..10000, was " + debounceMs);
      }
      if (wipeWatchlist && pin == null) {
        throw new IllegalArgumentException("wipeWatchlist needs a tamper switch: set pin");
      }
    }
  }

  public GpioConfig {
    if (provider == null) {
      throw new IllegalArgumentException("provider must be auto or gpiod");
    }
    if (statusLed == null || pir == null || tamper == null) {
      throw new IllegalArgumentException("statusLed, pir and tamper must be mappings of keys");
    }
    if (enabled && statusLed.pin() == null && pir.pin() == null && tamper.pin() == null) {
      throw new IllegalArgumentException(
          "enabled is true but no pin is set: set statusLed.pin, pir.pin or tamper.pin");
    }
    Map<Integer, String> used = new HashMap<>();
    claim(used, statusLed.pin(), "statusLed.pin");
    claim(used, pir.pin(), "pir.pin");
    claim(used, tamper.pin(), "tamper.pin");
  }

  private static void claim(Map<Integer, String> used, @Nullable Integer pin, String key) {
    if (pin == null) {
      return;
    }
    String other = used.putIfAbsent(pin, key);
    if (other != null) {
      throw new IllegalArgumentException(
          key + " and " + other + " are both GPIO" + pin + ": each needs its own pin");
    }
  }

  private static void requirePin(@Nullable Integer pin) {
    if (pin != null && (pin < 0 || pin > MAX_PIN)) {
      throw new IllegalArgumentException(
          "pin must be a BCM GPIO number in 0.." + MAX_PIN + " (GPIO17 is 17), was " + pin);
    }
  }

  private static void requireLevel(Level level) {
    if (level == null) {
      throw new IllegalArgumentException("activeLevel must be high or low");
    }
  }

  private static void requirePull(Pull pull) {
    if (pull == null) {
      throw new IllegalArgumentException("pull must be up, down or none");
    }
  }
}
