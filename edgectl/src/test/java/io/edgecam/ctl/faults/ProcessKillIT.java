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
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.testing.MosquittoProcess;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of the agent and of the matcher in the middle of a stream, real processes, real
 * Mosquitto. The claim under test: every candidate the agent spooled reaches the matcher, and each
 * sequence number gives exactly one stored alert; nothing lost, nothing twice. Kill points are
 * random; the seed is printed so a failure can be replayed.
 */
class ProcessKillIT {
  private static final String SITE = "faults";

  @TempDir Path dir;

  @Test
  void agentKilledAtRandomPointsReplaysItsSpoolAndEachSequenceAlertsOnce() throws Exception {
    long seed = System.nanoTime();
    System.out.println("ProcessKillIT agent kills: seed " + seed);
    Random random = new Random(seed);
    writeFrames(dir.resolve("images"), 1500);
    try (MosquittoProcess broker = MosquittoProcess.start(dir.resolve("broker"));
        MatcherService matcher = MatcherService.start(matcherConfig(broker.url(), "m-agentkill"))) {
      enroll(matcher);
      Set<Long> alerted = ConcurrentHashMap.newKeySet();
      matcher.addAlertListener(a -> alerted.add(a.sequence()));
      Path config = agentConfig("cam-kill", broker.url(), 200);
      Path log = dir.resolve("agent.log");
      for (int kill = 0; kill < 5; kill++) {
        Process agent = Children.start(log, AgentChild.class, config.toString());
        TimeUnit.MILLISECONDS.sleep(1_000 + random.nextInt(3_000));
        assertThat(agent.isAlive())
            .as("agent still running at kill %d; its log:%n%s", kill, Files.readString(log))
            .isTrue();
        Children.kill9(agent);
      }
      Process last = Children.start(log, AgentChild.class, config.toString());
      assertThat(last.waitFor(180, TimeUnit.SECONDS)).as("last run ends").isTrue();
      assertThat(last.exitValue())
          .as("last run drained its spool; its log:%n%s", Files.readString(log))
          .isZero();

      long n = nextSequence(dir.resolve("agent-cam-kill/spool.db"), "cam-kill") - 1;
      assertThat(n).as("the runs together spooled more than one pass").isGreaterThan(1500);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(alerted).hasSize((int) n));
      assertThat(new TreeSet<>(alerted)).isEqualTo(range(n));
      assertThat(matcher.storedAlerts((int) n * 2)).hasSize((int) n);
      System.out.printf(
          "ProcessKillIT agent kills: %d sequences, %d redelivered duplicates dropped%n",
          n, matcher.counters().duplicates());
    }
  }

  @Test
  void matcherKilledAtRandomPointsResumesItsPersistentSessionAndLosesNothing() throws Exception {
    long seed = System.nanoTime();
    System.out.println("ProcessKillIT matcher kills: seed " + seed);
    Random random = new Random(seed);
    int frames = 1500;
    writeFrames(dir.resolve("images"), frames);
    ExecutorService runner = Executors.newSingleThreadExecutor();
    try (MosquittoProcess broker = MosquittoProcess.start(dir.resolve("broker"))) {
      MatcherConfig config = matcherConfig(broker.url(), "m-killed");
      // Enroll and create the matcher's persistent session, then hand over to the child.
      try (MatcherService first = MatcherService.start(config)) {
        enroll(first);
      }
      Path yaml = dir.resolve("matcher.yaml");
      Files.writeString(
          yaml,
          """
          clientId: m-killed
          sharedSubscription: false
          site: %s
          broker: {external: {url: "%s"}}
          store: {sqlite: "%s"}
          # The key the enrolling matcher above created: the audit log already has its records.
          audit: {keyFile: "%s"}
          """
              .formatted(
                  SITE,
                  broker.url(),
                  dir.resolve("matcher/matcher.db"),
                  dir.resolve("matcher/audit.key")));
      Path log = dir.resolve("matcher.log");
      Process matcher =
          Children.start(log, EdgecamCli.class, "matcher", "--config", yaml.toString());
      AgentConfig agentConfig = AgentConfig.load(agentConfig("cam-steady", broker.url(), 150));
      try (AgentService agent =
          new AgentService(agentConfig, new OneFaceAnalyzer(), Prefilter.PASS_ALL)) {
        Future<Boolean> run = runner.submit(() -> agent.runOnce(Duration.ofMinutes(3)));
        for (int kill = 0; kill < 3; kill++) {
          TimeUnit.MILLISECONDS.sleep(1_500 + random.nextInt(2_000));
          Children.kill9(matcher);
          TimeUnit.MILLISECONDS.sleep(random.nextInt(1_000));
          matcher = Children.start(log, EdgecamCli.class, "matcher", "--config", yaml.toString());
        }
        assertThat(run.get()).as("agent delivered everything to the broker").isTrue();
        assertThat(agent.published()).isEqualTo(frames);
      }
      Path db = dir.resolve("matcher/matcher.db");
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(() -> assertThat(alertSequences(db, "cam-steady")).hasSize(frames));
      matcher.destroy();
      matcher.waitFor(30, TimeUnit.SECONDS);
      List<Long> rows = alertSequences(db, "cam-steady");
      assertThat(rows).as("one stored alert per sequence").doesNotHaveDuplicates();
      assertThat(new TreeSet<>(rows)).isEqualTo(range(frames));
    } finally {
      runner.shutdownNow();
    }
  }

  private MatcherConfig matcherConfig(String url, String clientId) {
    return MatcherConfig.embeddedIn(dir.resolve("matcher"))
        .withBroker(io.edgecam.matcher.config.BrokerConfig.external(url))
        .withClientId(clientId)
        .withSharedSubscription(false)
        .withSite(SITE);
  }

  private static void enroll(MatcherService matcher) {
    matcher.watchlist().enroll(OneFaceEntry.create());
  }

  private Path agentConfig(String device, String url, int fps) throws Exception {
    Path file = dir.resolve(device + ".yaml");
    Files.writeString(
        file,
        """
        device: %s
        site: %s
        stateDir: "%s"
        source: {type: folder, path: "%s", fps: %d}
        tracker: {bestShotIntervalMs: 0}
        mqtt: {url: "%s"}
        """
            .formatted(
                device, SITE, dir.resolve("agent-" + device), dir.resolve("images"), fps, url));
    return file;
  }

  private static void writeFrames(Path images, int count) throws Exception {
    Files.createDirectories(images);
    for (int i = 0; i < count; i++) {
      ImageIO.write(
          new BufferedImage(16, 16, BufferedImage.TYPE_3BYTE_BGR),
          "png",
          images.resolve(String.format("f%05d.png", i)).toFile());
    }
  }

  private static long nextSequence(Path spool, String device) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + spool);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT next_seq FROM counters WHERE device = '" + device + "'")) {
      assertThat(r.next()).isTrue();
      return r.getLong(1);
    }
  }

  private static List<Long> alertSequences(Path db, String device) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT sequence FROM alert WHERE device = '" + device + "'")) {
      List<Long> out = new java.util.ArrayList<>();
      while (r.next()) {
        out.add(r.getLong(1));
      }
      return out;
    }
  }

  private static TreeSet<Long> range(long n) {
    return LongStream.rangeClosed(1, n).boxed().collect(Collectors.toCollection(TreeSet::new));
  }
}
