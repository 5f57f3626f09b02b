package io.edgecam.matcher.testing;

import static org.awaitility.Awaitility.await;

import io.edgecam.matcher.MatcherService;
import io.edgecam.matcher.config.MatcherConfig;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A matcher in a JVM of its own, for scale-out tests: the child runs {@link #main} with a YAML
 * config and reports through files, one line per handled candidate ({@code device sequence
 * OUTCOME}) and a status file (health, watchlist size, counters) rewritten every 100 ms. It stops
 * when its standard input closes.
 */
public final class MatcherProcess implements AutoCloseable {
  private final Process process;
  private final Path handled;
  private final Path status;
  private final Path output;

  private MatcherProcess(Process process, Path handled, Path status, Path output) {
    this.process = process;
    this.handled = handled;
    this.status = status;
    this.output = output;
  }

  /** Starts a matcher JVM on {@code yaml} with its files in {@code dir}; returns once it runs. */
  public static MatcherProcess start(Path dir, String yaml) throws IOException {
    Files.createDirectories(dir);
    Path config = dir.resolve("matcher.yaml");
    Files.writeString(config, yaml);
    Path handled = dir.resolve("handled.log");
    Path status = dir.resolve("status.properties");
    Path output = dir.resolve("output.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                MatcherProcess.class.getName(),
                config.toString(),
                handled.toString(),
                status.toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    MatcherProcess m = new MatcherProcess(p, handled, status, output);
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> !p.isAlive() || "OK".equals(m.status().getProperty("health")));
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    if (!p.isAlive()) {
      throw new IllegalStateException(
          "matcher process exited with " + p.exitValue() + ":\n" + Files.readString(output));
    }
    return m;
  }

  /** The last status the child wrote (empty before the first). */
  public Properties status() throws IOException {
    Properties p = new Properties();
    if (Files.exists(status)) {
      p.load(new StringReader(Files.readString(status)));
    }
    return p;
  }

  /** Lines {@code device sequence OUTCOME}, one per candidate decided so far. */
  public List<String> handled() throws IOException {
    return Files.exists(handled) ? Files.readAllLines(handled) : List.of();
  }

  /** What the child printed (its log). */
  public String output() throws IOException {
    return Files.readString(output);
  }

  /** SIGKILL: no shutdown hook, no goodbye to the broker, no flush. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    try (OutputStream in = process.getOutputStream()) {
      in.write('\n');
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The child: {@code CONFIG HANDLED_LOG STATUS_FILE}. */
  public static void main(String[] args) throws Exception {
    MatcherConfig config = MatcherConfig.load(Path.of(args[0]));
    Path handledLog = Path.of(args[1]);
    Path statusFile = Path.of(args[2]);
    ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();
    try (BufferedWriter log =
            Files.newBufferedWriter(
                handledLog,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        MatcherService m = MatcherService.start(config)) {
      m.addCandidateListener(
          h -> {
            synchronized (log) {
              try {
                log.write(h.device() + " " + h.sequence() + " " + h.outcome() + "\n");
                log.flush();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
          });
      reporter.scheduleWithFixedDelay(
          () -> writeStatus(m, statusFile), 0, 100, TimeUnit.MILLISECONDS);
      // Runs until the parent closes our standard input.
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    } finally {
      reporter.shutdownNow();
    }
    System.exit(0);
  }

  private static void writeStatus(MatcherService m, Path file) {
    var c = m.counters();
    String text =
        "health="
            + m.health().state()
            + "\nwatchlist="
            + m.watchlist().size()
            + "\nreceived="
            + c.received()
            + "\nmatched="
            + c.matched()
            + "\nduplicates="
            + c.duplicates()
            + "\n";
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
