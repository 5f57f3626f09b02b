package io.edgecam.agent.gpio;

import io.edgecam.agent.config.GpioConfig.Level;
import io.edgecam.agent.config.GpioConfig.Pull;
import java.util.function.Consumer;

/**
 * The device's GPIO lines, in their active sense: {@code true} means "LED lit", "motion",
 * "enclosure open", whatever the wiring's polarity. Our boundary around Pi4J ({@link
 * Pi4jGpioBoard}); closing it releases every line it claimed and leaves outputs inactive.
 */
interface GpioBoard extends AutoCloseable {

  /** An output line. */
  interface Output {
    /**
     * Drives the line to its active or inactive level.
     *
     * @throws GpioException if the line cannot be driven
     */
    void set(boolean active);
  }

  /** An input line. */
  interface Input {
    /** Whether the line is at its active level now. */
    boolean isActive();
  }

  /**
   * Claims {@code pin} as an output, inactive.
   *
   * @param role what the line is for, used in messages ("statusLed")
   * @throws GpioException if the line cannot be claimed
   */
  Output output(String role, int pin, Level activeLevel);

  /**
   * Claims {@code pin} as an input.
   *
   * @param onChange called with the new active state after every change, on the provider's event
   *     thread; must not block
   * @throws GpioException if the line cannot be claimed
   */
  Input input(String role, int pin, Level activeLevel, Pull pull, Consumer<Boolean> onChange);

  /** Releases every line. */
  @Override
  void close();
}
