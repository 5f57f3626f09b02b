package io.edgecam.matcher.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A Mosquitto process of the test's own, on a free port of 127.0.0.1, with persistence in a
 * temporary folder. Skips the test (or fails, with EDGECAM_REQUIRE_SERVICES=1) when mosquitto is
 * not installed.
 */
public final class MosquittoBroker implements AutoCloseable {
  private final Path dir;
  private final int port;
  private Process process;

  private MosquittoBroker(Path dir, Process process, int port) {
    this.dir = dir;
    this.process = process;
    this.port = port;
  }

  public static MosquittoBroker start(Path dir) throws IOException {
    Path exe = Path.of("/usr/sbin/mosquitto");
    if (!Files.isExecutable(exe)) {
      Services.unavailable("mosquitto is not installed (/usr/sbin/mosquitto)");
    }
    int port = Services.freePort();
    Files.createDirectories(dir);
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(conf, String.join("\n",
        "listener " + port + " 127.0.0.1",
        "allow_anonymous true",
        "persistence true",
        "persistence_location " + dir.toAbsolutePath() + "/",
        "log_dest file " + dir.resolve("mosquitto.log").toAbsolutePath(),
        ""));
    Process p = launch(dir);
    MosquittoBroker broker = new MosquittoBroker(dir, p, port);
    try {
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !p.isAlive() || Services.portOpen(port));
    } catch (ConditionTimeoutException e) {
      broker.close();
      Services.unavailable("mosquitto did not open port " + port);
    }
    if (!p.isAlive()) {
      Services.unavailable("mosquitto exited at start: " + Files.readString(dir.resolve("mosquitto.out")));
    }
    return broker;
  }

  private static Process launch(Path dir) throws IOException {
    return new ProcessBuilder("/usr/sbin/mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.out").toFile()))
        .start();
  }

  /** Starts the broker again on the same port with the same persistence (after {@link #close}). */
  public void restart() throws IOException {
    process = launch(dir);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Services.portOpen(port));
  }

  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
