package io.edgecam.agent.gpio;

import io.edgecam.agent.config.GpioConfig;
import io.edgecam.agent.service.AgentService;
import io.edgecam.protocol.Health;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's GPIO (docs/gpio.md), wired to a running {@link AgentService}:
 *
 * <ul>
 *   <li>status LED: a {@link LedPattern} from the agent's health, pipeline and update state;
 *   <li>PIR sensor: a {@link MotionGate}, so that frames are analyzed only around motion;
 *   <li>tamper switch: a {@code tamper} device event when the enclosure opens (after wiping the
 *       local watchlist if configured), {@code tamper.cleared} when it closes again.
 * </ul>
 *
 * GPIO never stops the agent: without GPIO hardware, or when a line cannot be claimed, the agent
 * runs without that part (every frame analyzed), says so once in the log, and reports {@code gpio}
 * health in its status. Threads: {@code edgecam-led}, {@code edgecam-tamper}, and Pi4J's event
 * thread for inputs.
 */
public final class AgentGpio implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentGpio.class);

  private final GpioConfig config;
  private final AgentService service;
  private final GpioHooks hooks;
  private final @Nullable GpioBoard board;
  private final List<AutoCloseable> parts = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private volatile Health health = Health.ok();
  private volatile boolean enclosureOpen;
  private boolean closed;

  private AgentGpio(
      GpioConfig config, AgentService service, GpioHooks hooks, @Nullable GpioBoard board) {
    this.config = config;
    this.service = service;
    this.hooks = hooks;
    this.board = board;
  }

  /**
   * Wires GPIO to {@code service} as {@code config} says, through libgpiod. Call before {@link
   * AgentService#start()} (the motion gate must be in place before the first frame).
   */
  public static AgentGpio attach(GpioConfig config, AgentService service, GpioHooks hooks) {
    return attach(config, service, hooks, GpioChips.DEV);
  }

  static AgentGpio attach(GpioConfig config, AgentService service, GpioHooks hooks, Path dev) {
    if (!config.enabled()) {
      log.debug("GPIO not enabled (gpio.enabled: false)");
      return new AgentGpio(config, service, hooks, null);
    }
    if (GpioChips.find(dev).isEmpty()) {
      String why = "this machine has no GPIO (no " + dev.resolve("gpiochip*") + ")";
      if (config.provider() == GpioConfig.Provider.AUTO) {
        log.info(
            "GPIO off: {}; no status LED, motion sensor or tamper switch, every frame is analyzed",
            why);
        return new AgentGpio(config, service, hooks, null);
      }
      log.warn("GPIO off: {}, but gpio.provider is gpiod; every frame is analyzed", why);
      return failed(config, service, hooks, why);
    }
    GpioBoard board;
    try {
      board = Pi4jGpioBoard.gpiod();
    } catch (GpioException e) {
      log.warn("GPIO off: {}; every frame is analyzed", e.getMessage());
      return failed(config, service, hooks, e.getMessage());
    }
    return attach(config, service, hooks, board);
  }

  /** Wires GPIO on {@code board} (tests: Pi4J's mock platform). */
  static AgentGpio attach(
      GpioConfig config, AgentService service, GpioHooks hooks, GpioBoard board) {
    AgentGpio gpio = new AgentGpio(config, service, hooks, board);
    gpio.wire(board);
    service.addHealth("gpio", gpio::health);
    return gpio;
  }

  private static AgentGpio failed(
      GpioConfig config, AgentService service, GpioHooks hooks, String why) {
    AgentGpio gpio = new AgentGpio(config, service, hooks, null);
    gpio.health = Health.failed(why);
    service.addHealth("gpio", gpio::health);
    return gpio;
  }

  private void wire(GpioBoard b) {
    // The tamper switch first: of the three it is the one that protects data.
    GpioConfig.Tamper t = config.tamper();
    if (t.pin() != null) {
      int pin = t.pin();
      TamperSwitch tamper =
          new TamperSwitch(t.debounceMs(), (open, atStart) -> onTamper(pin, open, atStart));
      parts.add(tamper);
      claim(
          () -> {
            GpioBoard.Input in =
                b.input("tamper", pin, t.activeLevel(), t.pull(), active -> tamper.edge());
            tamper.start(in::isActive);
            log.info(
                "tamper switch on GPIO{}: open enclosure -> tamper event{}",
                pin,
                t.wipeWatchlist() ? " and local watchlist wiped" : "");
          });
    }
    GpioConfig.Pir p = config.pir();
    if (p.pin() != null) {
      int pin = p.pin();
      claim(
          () -> {
            MotionGate gate = new MotionGate(Duration.ofSeconds(p.holdSeconds()), System::nanoTime);
            GpioBoard.Input in = b.input("pir", pin, p.activeLevel(), p.pull(), gate::motion);
            if (in.isActive()) {
              gate.motion(true);
            }
            service.gateFrames(gate);
            log.info(
                "motion sensor on GPIO{}: frames are analyzed only from motion until {} s after it",
                pin,
                p.holdSeconds());
          });
    }
    GpioConfig.Led l = config.statusLed();
    if (l.pin() != null) {
      int pin = l.pin();
      claim(
          () -> {
            StatusLed led =
                new StatusLed(b.output("statusLed", pin, l.activeLevel()), this::pattern);
            parts.add(led);
            led.start();
            log.info("status LED on GPIO{}", pin);
          });
    }
    updateHealth();
  }

  private void claim(Runnable wiring) {
    try {
      wiring.run();
    } catch (GpioException e) {
      log.warn("GPIO line unusable: {}; running without it", e.getMessage());
      synchronized (failures) {
        failures.add(e.getMessage());
      }
    }
  }

  private LedPattern pattern() {
    return LedPattern.of(
        service.health().values(), service.pipelineFailed(), hooks.updating().getAsBoolean());
  }

  private void onTamper(int pin, boolean open, boolean atStart) {
    enclosureOpen = open;
    updateHealth();
    Map<String, String> detail = new LinkedHashMap<>();
    detail.put("switch", "GPIO" + pin);
    detail.put("state", open ? "open" : "closed");
    if (atStart) {
      detail.put("atStart", "true");
    }
    if (!open) {
      log.info("tamper switch GPIO{}: enclosure closed again", pin);
      service.publishEvent("tamper.cleared", detail);
      return;
    }
    log.warn("tamper switch GPIO{}: enclosure open{}", pin, atStart ? " at start" : "");
    if (config.tamper().wipeWatchlist()) {
      try {
        String wiped = hooks.wipe().wipe();
        detail.put("wipe", "done");
        detail.put("wiped", wiped);
        log.warn("tamper: local watchlist wiped ({})", wiped);
      } catch (RuntimeException e) {
        detail.put("wipe", "failed");
        detail.put("wipeError", String.valueOf(e.getMessage()));
        log.error("tamper: wiping the local watchlist failed: {}", e.getMessage(), e);
      }
    }
    service.publishEvent("tamper", detail);
  }

  private void updateHealth() {
    String failed;
    synchronized (failures) {
      failed = String.join("; ", failures);
    }
    if (!failed.isEmpty()) {
      health = Health.failed(failed);
    } else if (enclosureOpen) {
      health = Health.degraded("enclosure open (tamper switch GPIO" + config.tamper().pin() + ")");
    } else {
      health = Health.ok();
    }
  }

  /** Health of GPIO: OK, DEGRADED while the enclosure is open, FAILED if a line is unusable. */
  public Health health() {
    return health;
  }

  /** Turns the LED off and releases every line. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = parts.size() - 1; i >= 0; i--) {
      try {
        parts.get(i).close();
      } catch (Exception e) {
        log.debug("closing {} failed: {}", parts.get(i), e.getMessage());
      }
    }
    if (board != null) {
      board.close();
    }
  }
}
