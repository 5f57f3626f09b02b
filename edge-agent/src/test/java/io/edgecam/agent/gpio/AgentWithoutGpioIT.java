package io.edgecam.agent.gpio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.service.AgentService;
import io.edgecam.agent.service.OneFaceAnalyzer;
import io.edgecam.agent.service.Prefilter;
import io.edgecam.protocol.Health;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent with a full {@code gpio} section on a machine that has no GPIO (an empty device
 * directory stands in for /dev): it analyzes every frame and says so once. No broker is needed; the
 * link just keeps retrying.
 */
class AgentWithoutGpioIT {
  private static final String GPIO =
      """
      gpio:
        enabled: true
        provider: %s
        statusLed: {pin: 18}
        pir: {pin: 17}
        tamper: {pin: 22, wipeWatchlist: true}
      """;

  @TempDir Path dir;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private PrintStream stderr;
  private AgentService agent;
  private AgentGpio gpio;

  @BeforeEach
  void captureLog() throws IOException {
    Path images = Files.createDirectories(dir.resolve("images"));
    ImageIO.write(
        new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR),
        "png",
        images.resolve("f.png").toFile());
    // slf4j-simple writes to the current System.err: copy it here and still show it.
    stderr = System.err;
    System.setErr(new PrintStream(new Tee(stderr, log), true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() {
    if (gpio != null) {
      gpio.close();
    }
    if (agent != null) {
      agent.close();
    }
    System.setErr(stderr);
  }

  private void run(String provider, Path dev) {
    AgentConfig cfg =
        AgentConfig.parse(
            """
            device: cam-nogpio
            site: it
            stateDir: state
            source: {type: folder, path: images, fps: 100, loop: true}
            mqtt: {url: "tcp://127.0.0.1:9"}
            """
                + GPIO.formatted(provider),
            "agent.yaml",
            dir);
    agent = new AgentService(cfg, new OneFaceAnalyzer(), Prefilter.PASS_ALL);
    gpio = AgentGpio.attach(cfg.gpio(), agent, GpioHooks.NONE, dev);
    agent.start();
  }

  private long logLines(String part) {
    return log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(part)).count();
  }

  @Test
  void autoWithoutGpioAnalyzesEveryFrameAndSaysSoOnce() throws IOException {
    run("auto", Files.createDirectories(dir.resolve("dev")));

    // The PIR pin is configured, yet without GPIO nothing gates the frames.
    await().atMost(Duration.ofSeconds(15)).until(() -> agent.counters().frames() >= 100);
    assertThat(agent.counters().idleFrames()).isZero();
    assertThat(agent.health()).doesNotContainKey("gpio");
    assertThat(logLines("GPIO off: this machine has no GPIO")).isEqualTo(1);
    assertThat(logLines("GPIO")).isEqualTo(1);
  }

  @Test
  void requiredGpiodWithoutGpioIsAFailedComponentNotAStoppedAgent() throws IOException {
    run("gpiod", Files.createDirectories(dir.resolve("dev")));

    await().atMost(Duration.ofSeconds(15)).until(() -> agent.counters().frames() >= 100);
    Health h = agent.health().get("gpio");
    assertThat(h.state()).isEqualTo(Health.State.FAILED);
    assertThat(h.reason()).startsWith("this machine has no GPIO (no ").endsWith("gpiochip*)");
    assertThat(logLines("GPIO off")).isEqualTo(1);
  }

  @Test
  void realGpiodProviderOffARaspberryPiFailsPerLineWithTheReason() throws IOException {
    // A GPIO chip node, but not a Raspberry Pi: Pi4J's gpiod plugin (the one the device uses) is
    // loaded for real and refuses every line; the agent keeps running without GPIO.
    Path model = Path.of("/proc/device-tree/model");
    org.junit.jupiter.api.Assumptions.assumeFalse(
        Files.isReadable(model) && Files.readString(model).contains("Raspberry Pi"),
        "on a Raspberry Pi this would claim real pins");
    Path dev = Files.createDirectories(dir.resolve("dev"));
    Files.createFile(dev.resolve("gpiochip0"));
    run("auto", dev);

    await().atMost(Duration.ofSeconds(15)).until(() -> agent.counters().frames() >= 100);
    assertThat(agent.counters().idleFrames()).isZero();
    Health h = agent.health().get("gpio");
    assertThat(h.state()).isEqualTo(Health.State.FAILED);
    assertThat(h.reason()).contains("GPIO22 (tamper): ", "GPIO17 (pir): ", "GPIO18 (statusLed): ");
  }

  /** Writes to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws IOException {
      a.write(c);
      synchronized (b) {
        b.write(c);
      }
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      synchronized (b) {
        b.write(buf, off, len);
      }
    }
  }
}
