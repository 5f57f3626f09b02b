package io.edgecam.agent.gpio;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.exception.Pi4JException;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider;
import io.edgecam.agent.config.GpioConfig.Level;
import io.edgecam.agent.config.GpioConfig.Pull;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link GpioBoard} on a Pi4J 2 context: libgpiod on the device ({@link #gpiod()}), Pi4J's mock
 * platform in tests. Pi4J's exceptions (unchecked) are translated into {@link GpioException} naming
 * the pin and its role. Thread-safe as far as Pi4J is.
 */
final class Pi4jGpioBoard implements GpioBoard {
  private static final Logger log = LoggerFactory.getLogger(Pi4jGpioBoard.class);

  private final Context context;

  Pi4jGpioBoard(Context context) {
    this.context = context;
  }

  /**
   * A board on the kernel's GPIO character device through libgpiod (Pi4J's gpiod plugin, with its
   * own libgpiod for aarch64 and armhf). Only the gpiod providers are added: no plugin discovery,
   * so no other native library is ever loaded. Pi4J's own shutdown hook is off; {@link #close} runs
   * from the agent's.
   *
   * @throws GpioException if Pi4J cannot start
   */
  static Pi4jGpioBoard gpiod() {
    try {
      return new Pi4jGpioBoard(
          Pi4J.newContextBuilder()
              .add(
                  GpioDDigitalInputProvider.newInstance(), GpioDDigitalOutputProvider.newInstance())
              .disableShutdownHook()
              .build());
    } catch (Pi4JException | IllegalStateException | UnsatisfiedLinkError e) {
      throw new GpioException("cannot start Pi4J with libgpiod: " + e.getMessage(), e);
    }
  }

  @Override
  public Output output(String role, int pin, Level activeLevel) {
    DigitalState on = state(activeLevel, true);
    DigitalState off = state(activeLevel, false);
    DigitalOutput out;
    try {
      out =
          context.create(
              DigitalOutput.newConfigBuilder(context)
                  .id(role)
                  .name(role)
                  .address(pin)
                  .initial(off)
                  .shutdown(off)
                  .build());
    } catch (RuntimeException e) {
      throw failure(role, pin, e);
    }
    return active -> {
      try {
        out.state(active ? on : off);
      } catch (RuntimeException e) {
        throw failure(role, pin, e);
      }
    };
  }

  @Override
  public Input input(
      String role, int pin, Level activeLevel, Pull pull, Consumer<Boolean> onChange) {
    DigitalState on = state(activeLevel, true);
    DigitalInput in;
    try {
      in =
          context.create(
              DigitalInput.newConfigBuilder(context)
                  .id(role)
                  .name(role)
                  .address(pin)
                  .pull(pull(pull))
                  .build());
      in.addListener(event -> onChange.accept(event.state() == on));
    } catch (RuntimeException e) {
      throw failure(role, pin, e);
    }
    return () -> {
      try {
        return in.state() == on;
      } catch (RuntimeException e) {
        throw failure(role, pin, e);
      }
    };
  }

  private static DigitalState state(Level activeLevel, boolean active) {
    boolean high = (activeLevel == Level.HIGH) == active;
    return high ? DigitalState.HIGH : DigitalState.LOW;
  }

  private static PullResistance pull(Pull pull) {
    return switch (pull) {
      case UP -> PullResistance.PULL_UP;
      case DOWN -> PullResistance.PULL_DOWN;
      case NONE -> PullResistance.OFF;
    };
  }

  private static GpioException failure(String role, int pin, RuntimeException e) {
    // Pi4J wraps libgpiod errors in several unchecked types; the message is what helps.
    return new GpioException("GPIO" + pin + " (" + role + "): " + e.getMessage(), e);
  }

  /** Shuts the Pi4J context down: outputs go to their inactive level, lines are released. */
  @Override
  public void close() {
    try {
      context.shutdown();
    } catch (RuntimeException e) {
      log.warn("releasing the GPIO lines failed: {}", e.getMessage());
    }
  }
}
