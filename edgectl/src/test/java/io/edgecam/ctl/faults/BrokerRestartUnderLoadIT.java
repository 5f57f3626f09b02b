package io.edgecam.ctl.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.service.AgentService;
import io.edgecam.agent.service.OneFaceAnalyzer;
import io.edgecam.agent.service.Prefilter;
import io.edgecam.ctl.EdgecamCli;
import io.edgecam.ctl.testing.OneFaceEntry;
import io.edgecam.matcher.MatcherService;
import io.edgecam.matcher.Watchlist;
import io.edgecam.matcher.config.BrokerConfig;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.index.ExactWatchlistIndex;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.testing.MosquittoProcess;
import io.edgecam.testing.Services;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away and comes back in the middle of a stream of 10,000 candidates, for both
 * brokers the product supports: the embedded HiveMQ CE (the matcher process that hosts it is
 * stopped and started again on the same port and data folder) and Mosquitto (its process stopped
 * and started). Both are stopped with SIGTERM: a broker killed with SIGKILL loses the messages it
 * acknowledged but had not yet persisted (docs/operations.md). Real agent spool and link, real
 * matcher; the analyzer is the one-face stand-in. Every sequence must give exactly one alert.
 */
class BrokerRestartUnderLoadIT {
  private static final int CANDIDATES = 10_000;

  @TempDir Path dir;

  /** A broker the test can stop and start again at the same address. */
  private interface Restartable extends AutoCloseable {
    String url();

    void stop() throws Exception;

    void start() throws Exception;

    @Override
    void close();
  }

  /**
   * The embedded broker lives in the matcher's process, so its restart is the restart of that
   * process ({@code edgecam matcher} with {@code broker.embedded}, SIGTERM then start again on the
   * same port and data folder). The matcher counts what it stored; this test reads its database.
   */
  @Test
  void embeddedBrokerRestartMidStreamLosesNothingAndDuplicatesNothing() throws Exception {
    int port = freePort();
    Path db = dir.resolve("matcher/matcher.db");
    Files.createDirectories(db.getParent());
    try (SqliteMatcherStore store = new SqliteMatcherStore(db)) {
      new Watchlist(store, new ExactWatchlistIndex(), 0.45, Clock.systemUTC())
          .enroll(OneFaceEntry.create());
    }
    Path yaml = dir.resolve("matcher.yaml");
    Files.writeString(
        yaml,
        """
        clientId: matcher-embedded-restart
        broker: {embedded: {port: %d, dataDir: "%s"}}
        store: {sqlite: "%s"}
        """
            .formatted(port, dir.resolve("hivemq"), db));
    Path log = dir.resolve("matcher.log");
    Process[] matcher = {startMatcher(log, yaml, port)};
    try {
      Set<Long> alerted = ConcurrentHashMap.newKeySet();
      stream(
          "tcp://127.0.0.1:" + port,
          () -> {
            alerted.clear();
            alerted.addAll(alertSequences(db));
            return (long) alerted.size();
          },
          () -> {
            matcher[0].destroy(); // SIGTERM: the broker persists its sessions and queues
            assertThat(matcher[0].waitFor(60, TimeUnit.SECONDS)).isTrue();
            TimeUnit.SECONDS.sleep(1);
            matcher[0] = startMatcher(log, yaml, port);
          });
      await()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(() -> assertThat(alertSequences(db)).hasSize(CANDIDATES));
      List<Long> rows = alertSequences(db);
      assertThat(rows).as("one stored alert per sequence").doesNotHaveDuplicates();
      assertThat(new TreeSet<>(rows)).isEqualTo(range());
    } finally {
      matcher[0].destroy();
      matcher[0].waitFor(60, TimeUnit.SECONDS);
    }
  }

  private static Process startMatcher(Path log, Path yaml, int port) throws Exception {
    Process p = Children.start(log, EdgecamCli.class, "matcher", "--config", yaml.toString());
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              assertThat(p.isAlive())
                  .as("matcher running; log:%n%s", Files.readString(log))
                  .isTrue();
              return Services.listening(port) && Files.readString(log).contains("Subscribed to");
            });
    return p;
  }

  private static List<Long> alertSequences(Path db) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT sequence FROM alert WHERE device = 'cam-load'")) {
      List<Long> out = new ArrayList<>();
      while (r.next()) {
        out.add(r.getLong(1));
      }
      return out;
    }
  }

  @Test
  void mosquittoRestartMidStreamLosesNothingAndDuplicatesNothing() throws Exception {
    MosquittoProcess mosquitto = MosquittoProcess.start(dir.resolve("mosquitto"));
    streamAcrossARestart(
        new Restartable() {
          @Override
          public String url() {
            return mosquitto.url();
          }

          @Override
          public void stop() throws Exception {
            mosquitto.stop();
          }

          @Override
          public void start() throws Exception {
            mosquitto.restart();
          }

          @Override
          public void close() {
            mosquitto.close();
          }
        });
  }

  private void streamAcrossARestart(Restartable broker) throws Exception {
    try (broker;
        MatcherService matcher =
            MatcherService.start(
                MatcherConfig.embeddedIn(dir.resolve("matcher"))
                    .withBroker(BrokerConfig.external(broker.url()))
                    .withClientId("matcher-load-restart")
                    // One matcher: a plain subscription, kept by Mosquitto across a restart.
                    .withSharedSubscription(false))) {
      matcher.watchlist().enroll(OneFaceEntry.create());
      Set<Long> sequences = ConcurrentHashMap.newKeySet();
      AtomicLong alerts = new AtomicLong();
      matcher.addAlertListener(
          a -> {
            alerts.incrementAndGet();
            sequences.add(a.sequence());
          });
      stream(
          broker.url(),
          alerts::get,
          () -> {
            broker.stop();
            TimeUnit.SECONDS.sleep(2); // the agent keeps spooling; its link and the matcher's retry
            broker.start();
          });
      await()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () ->
                  assertThat(sequences)
                      .as("sequences alerted; matcher counters %s", matcher.counters())
                      .hasSize(CANDIDATES));
      assertThat(new TreeSet<>(sequences)).isEqualTo(range());
      assertThat(alerts.get()).as("alerts (one per sequence)").isEqualTo(CANDIDATES);
      assertThat(matcher.storedAlerts(2 * CANDIDATES)).hasSize(CANDIDATES);
      assertThat(matcher.counters().malformed()).isZero();
    }
  }

  /** What the test does to the broker while the stream runs. */
  private interface Outage {
    void run() throws Exception;
  }

  /**
   * Streams {@link #CANDIDATES} candidates from the real agent and runs {@code outage} once a fifth
   * of them have alerted ({@code alerts}); returns when the agent has drained its spool.
   */
  private void stream(String url, Callable<Long> alerts, Outage outage) throws Exception {
    Path images = Files.createDirectories(dir.resolve("images"));
    for (int i = 0; i < CANDIDATES; i++) {
      ImageIO.write(
          new BufferedImage(8, 8, BufferedImage.TYPE_3BYTE_BGR),
          "png",
          images.resolve(String.format("f%05d.png", i)).toFile());
    }
    AgentConfig config =
        AgentConfig.parse(
            """
            device: cam-load
            site: it
            stateDir: state
            source: {type: folder, path: images, fps: 0}
            tracker: {bestShotIntervalMs: 0}
            spool: {maxCandidates: 20000}
            mqtt: {url: "%s"}
            """
                .formatted(url),
            "agent.yaml",
            dir);
    ExecutorService runner = Executors.newSingleThreadExecutor();
    try (AgentService agent = new AgentService(config, new OneFaceAnalyzer(), Prefilter.PASS_ALL)) {
      Future<Boolean> run = runner.submit(() -> agent.runOnce(Duration.ofMinutes(5)));
      await().atMost(Duration.ofSeconds(120)).until(() -> alerts.call() >= CANDIDATES / 5);
      outage.run();
      assertThat(run.get()).as("agent drained its spool").isTrue();
      assertThat(agent.published()).isEqualTo(CANDIDATES);
      assertThat(agent.counters().spooled()).isEqualTo(CANDIDATES);
    } finally {
      runner.shutdownNow();
    }
  }

  private static TreeSet<Long> range() {
    return LongStream.rangeClosed(1, CANDIDATES)
        .boxed()
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
