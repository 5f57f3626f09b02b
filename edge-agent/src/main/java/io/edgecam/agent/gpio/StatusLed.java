package io.edgecam.agent.gpio;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the status LED through the {@link LedPattern} that {@code pattern} names. The pattern is
 * asked again at the start of every cycle (at least every 2 s), so a change shows within one cycle.
 * Runs on its own thread, {@code edgecam-led}; a line that cannot be driven is logged once and the
 * LED stops.
 */
final class StatusLed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatusLed.class);

  private final GpioBoard.Output led;
  private final Supplier<LedPattern> pattern;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "edgecam-led");
            t.setDaemon(true);
            return t;
          });
  // Confined to the LED thread.
  private LedPattern current = LedPattern.OFF;
  private int phase;
  private @Nullable Boolean lit;

  StatusLed(GpioBoard.Output led, Supplier<LedPattern> pattern) {
    this.led = led;
    this.pattern = pattern;
  }

  void start() {
    thread.execute(this::step);
  }

  private void step() {
    if (phase == 0) {
      current = ask();
    }
    boolean on = current.lit(phase);
    int millis = current.millis(phase);
    phase = (phase + 1) % current.phases();
    try {
      if (lit == null || lit != on) {
        led.set(on);
        lit = on;
      }
    } catch (GpioException e) {
      log.warn("status LED stopped: {}", e.getMessage());
      return;
    }
    try {
      thread.schedule(this::step, millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("status LED closed");
    }
  }

  private LedPattern ask() {
    try {
      return pattern.get();
    } catch (RuntimeException e) {
      log.debug("agent state unavailable for the LED: {}", e.getMessage());
      return LedPattern.ERROR;
    }
  }

  /** Stops blinking and turns the LED off. */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      led.set(false);
    } catch (GpioException e) {
      log.debug("status LED not turned off: {}", e.getMessage());
    }
  }
}
