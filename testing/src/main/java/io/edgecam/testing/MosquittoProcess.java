package io.edgecam.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto broker of a test's own on an ephemeral port, with persistence in a temp directory so
 * that a stop/start keeps sessions like a production broker. Skips the test (or fails it with
 * EDGECAM_REQUIRE_SERVICES=1) when mosquitto is not installed.
 */
public final class MosquittoProcess implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final Path config;
  private Process process;

  private MosquittoProcess(Path dir, int port, Path config) {
    this.dir = dir;
    this.port = port;
    this.config = config;
  }

  /** Starts a broker with its config and data in {@code dir}. */
  public static MosquittoProcess start(Path dir) throws IOException {
    requireBinary();
    Files.createDirectories(dir);
    int port = freePort();
    Files.writeString(
        dir.resolve("mosquitto.conf"),
        "listener "
            + port
            + " 127.0.0.1\n"
            + "allow_anonymous true\n"
            // Run as ourselves: as root, Mosquitto would switch to user mosquitto and could not
            // write its persistence file into our temp directory.
            + "user "
            + System.getProperty("user.name")
            + "\n"
            + "persistence true\n"
            + "persistence_location "
            + dir
            + "/\n"
            + "max_queued_messages 0\n"
            + "log_dest file "
            + dir.resolve("mosquitto.log")
            + "\n");
    MosquittoProcess m = new MosquittoProcess(dir, port, dir.resolve("mosquitto.conf"));
    m.launch();
    return m;
  }

  /**
   * Starts a broker with a config file of the caller's, which must make it listen on {@code port}
   * of 127.0.0.1; its output goes to {@code dir}/stdout.log. Skips or fails like {@link #start}.
   */
  public static MosquittoProcess startWithConfig(Path dir, Path config, int port)
      throws IOException {
    requireBinary();
    Files.createDirectories(dir);
    MosquittoProcess m = new MosquittoProcess(dir, port, config);
    m.launch();
    return m;
  }

  /** A port that was free a moment ago. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void requireBinary() {
    if (findBinary() == null) {
      Services.unavailable("mosquitto is not installed (apt-get install mosquitto)");
    }
  }

  private static String findBinary() {
    for (String p :
        new String[] {"/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"}) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    return null;
  }

  private void launch() throws IOException {
    process =
        new ProcessBuilder(findBinary(), "-c", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(this::acceptingOrDead);
  }

  /** True once accepting; fails at once (with its output) if the broker exited, e.g. bad config. */
  private boolean acceptingOrDead() throws IOException {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "mosquitto exited with "
              + process.exitValue()
              + ": "
              + Files.readString(dir.resolve("stdout.log")).strip());
    }
    return accepting();
  }

  private boolean accepting() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The broker's process id, e.g. for a {@code kill -HUP} reload. */
  public long pid() {
    return process.pid();
  }

  /** Stops the broker (SIGTERM: it saves its sessions, as a restart in production would). */
  public void stop() throws InterruptedException {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> !accepting());
  }

  /** Starts the broker again on the same port. */
  public void restart() throws IOException {
    launch();
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
