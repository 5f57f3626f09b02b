package io.edgecam.agent.gpio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.service.AgentService;
import io.edgecam.agent.service.OneFaceAnalyzer;
import io.edgecam.agent.service.Prefilter;
import io.edgecam.protocol.DeviceEvent;
import io.edgecam.protocol.Health;
import io.edgecam.protocol.JsonMessages;
import io.edgecam.protocol.Topics;
import io.edgecam.testing.MosquittoProcess;
import io.edgecam.testing.TestSubscriber;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPIO wired to a running agent (stand-in face analyzer, a Mosquitto of the test's own), with
 * Pi4J's mock platform as the board: the test drives the input pins and watches the LED pin.
 */
class AgentGpioIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path dir;
  private MosquittoProcess broker;
  private Context pi4j;
  private AgentService agent;
  private AgentGpio gpio;

  @BeforeEach
  void start() throws Exception {
    broker = MosquittoProcess.start(Files.createDirectories(dir.resolve("broker")));
    Path images = Files.createDirectories(dir.resolve("images"));
    for (int i = 0; i < 5; i++) {
      ImageIO.write(
          new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR),
          "png",
          images.resolve("f" + i + ".png").toFile());
    }
    pi4j =
        Pi4J.newContextBuilder()
            .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance())
            .disableShutdownHook()
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (gpio != null) {
      gpio.close(); // shuts the Pi4J context down
    } else {
      pi4j.shutdown();
    }
    broker.close();
  }

  private AgentConfig config(String gpioSection) {
    return AgentConfig.parse(
        """
        device: cam-gpio
        site: it
        stateDir: state
        source: {type: folder, path: images, fps: 100, loop: true}
        tracker: {bestShotIntervalMs: 0}
        mqtt: {url: "%s"}
        gpio:
        %s
        """
            .formatted(broker.url(), gpioSection.indent(2)),
        "agent.yaml",
        dir);
  }

  private void run(AgentConfig cfg, GpioHooks hooks) {
    agent = new AgentService(cfg, new OneFaceAnalyzer(), Prefilter.PASS_ALL);
    gpio = AgentGpio.attach(cfg.gpio(), agent, hooks, new Pi4jGpioBoard(pi4j));
    agent.start();
  }

  private MockDigitalInput input(String role) {
    return pi4j.registry().get(role, MockDigitalInput.class);
  }

  @Test
  void pirSensorGatesAnalysisToMotionPlusHoldTime() {
    run(config("enabled: true\npir: {pin: 17, holdSeconds: 1}"), GpioHooks.NONE);
    MockDigitalInput pir = input("pir");

    // No motion yet: frames are read (the stream stays current) but none is analyzed.
    await().atMost(WAIT).until(() -> agent.counters().idleFrames() >= 30);
    assertThat(agent.counters().frames()).isZero();
    assertThat(agent.counters().candidates()).isZero();

    pir.mockState(DigitalState.HIGH);
    await().atMost(WAIT).until(() -> agent.counters().frames() >= 30);

    pir.mockState(DigitalState.LOW);
    long atQuiet = agent.counters().frames();
    long idleAtQuiet = agent.counters().idleFrames();
    // The hold time: still analyzing after the sensor went quiet, then idle again.
    await().atMost(WAIT).until(() -> agent.counters().idleFrames() >= idleAtQuiet + 30);
    long analyzed = agent.counters().frames();
    assertThat(analyzed).isGreaterThan(atQuiet);
    long idle = agent.counters().idleFrames();
    await().atMost(WAIT).until(() -> agent.counters().idleFrames() >= idle + 30);
    assertThat(agent.counters().frames()).isEqualTo(analyzed);
  }

  @Test
  void openedEnclosureWipesTheWatchlistOnceAndSendsATamperEvent() throws Exception {
    AtomicInteger wipes = new AtomicInteger();
    GpioHooks hooks =
        new GpioHooks(
            () -> {
              wipes.incrementAndGet();
              return "3 entries";
            },
            () -> false);
    AgentConfig cfg =
        config("enabled: true\ntamper: {pin: 22, debounceMs: 50, wipeWatchlist: true}");
    try (TestSubscriber events =
        new TestSubscriber(broker.url(), "gpio-events", Topics.events("it", "cam-gpio"), null)) {
      run(cfg, hooks);
      MockDigitalInput tamper = input("tamper");

      // Contact bounce: back to closed within the debounce time, so nothing happens.
      tamper.mockState(DigitalState.HIGH);
      tamper.mockState(DigitalState.LOW);
      // Opened for real.
      tamper.mockState(DigitalState.HIGH);
      await().atMost(WAIT).until(() -> events.payloads.size() >= 1);
      DeviceEvent opened = decode(events.payloads.get(0));
      assertThat(opened.type()).isEqualTo("tamper");
      assertThat(opened.device()).isEqualTo("cam-gpio");
      assertThat(opened.detail())
          .containsEntry("state", "open")
          .containsEntry("switch", "GPIO22")
          .containsEntry("wipe", "done")
          .containsEntry("wiped", "3 entries")
          .doesNotContainKey("atStart");
      assertThat(agent.health().get("gpio").state()).isEqualTo(Health.State.DEGRADED);

      tamper.mockState(DigitalState.LOW);
      await().atMost(WAIT).until(() -> events.payloads.size() >= 2);
      assertThat(decode(events.payloads.get(1)).type()).isEqualTo("tamper.cleared");
      assertThat(agent.health().get("gpio")).isEqualTo(Health.ok());
      assertThat(events.payloads).hasSize(2);
      assertThat(wipes).hasValue(1);
    }
  }

  @Test
  void failingWipeIsReportedInTheEvent() throws Exception {
    GpioHooks hooks =
        new GpioHooks(
            () -> {
              throw new IllegalStateException("watchlist file locked");
            },
            () -> false);
    try (TestSubscriber events =
        new TestSubscriber(broker.url(), "gpio-events2", Topics.events("it", "cam-gpio"), null)) {
      run(config("enabled: true\ntamper: {pin: 22, wipeWatchlist: true}"), hooks);
      input("tamper").mockState(DigitalState.HIGH);

      await().atMost(WAIT).until(() -> events.payloads.size() >= 1);
      assertThat(decode(events.payloads.get(0)).detail())
          .containsEntry("wipe", "failed")
          .containsEntry("wipeError", "watchlist file locked");
    }
  }

  @Test
  void statusLedShowsHealthAndUpdates() {
    AtomicBoolean updating = new AtomicBoolean();
    AtomicReference<Health> fault = new AtomicReference<>(Health.ok());
    run(
        config("enabled: true\nstatusLed: {pin: 18}"),
        new GpioHooks(WatchlistWipe.NONE, updating::get));
    agent.addHealth("test", fault::get);
    LedRecorder led = new LedRecorder(pi4j.registry().get("statusLed", DigitalOutput.class));

    // Everything healthy (broker connected): steady on.
    await()
        .atMost(WAIT)
        .until(() -> agent.health().values().stream().allMatch(h -> h.equals(Health.ok())));
    await().atMost(WAIT).until(() -> led.isLit() && led.quietFor(Duration.ofMillis(600)));

    fault.set(Health.failed("test fault"));
    List<LedRecorder.Phase> error = led.phasesAfter(led.mark(), 8);
    assertThat(LedRecorder.median(error, true)).isLessThan(400);
    assertThat(LedRecorder.median(error, false)).isLessThan(400);

    fault.set(Health.ok());
    updating.set(true);
    long u = led.mark();
    await().atMost(WAIT).until(() -> led.since(u).size() >= 3); // into the new pattern
    List<LedRecorder.Phase> update = led.phasesAfter(led.mark(), 6);
    List<Long> dark = update.stream().filter(p -> !p.lit()).map(LedRecorder.Phase::millis).toList();
    assertThat(update.stream().filter(LedRecorder.Phase::lit)).allMatch(p -> p.millis() < 400);
    // Two flashes, then a pause: dark gaps alternate short and long.
    assertThat(dark).hasSize(3);
    assertThat(dark.stream().filter(d -> d < 400).count()).isBetween(1L, 2L);
    assertThat(dark.stream().filter(d -> d > 700).count()).isBetween(1L, 2L);

    updating.set(false);
    fault.set(Health.degraded("test slow"));
    long d = led.mark();
    await().atMost(WAIT).until(() -> led.since(d).size() >= 2);
    List<LedRecorder.Phase> degraded = led.phasesAfter(led.mark(), 2);
    assertThat(degraded).allMatch(p -> p.millis() > 700);

    fault.set(Health.ok());
    await().atMost(WAIT).until(() -> led.isLit() && led.quietFor(Duration.ofMillis(600)));
  }

  private static DeviceEvent decode(String json) {
    return JsonMessages.decodeEvent(json.getBytes(StandardCharsets.UTF_8));
  }
}
