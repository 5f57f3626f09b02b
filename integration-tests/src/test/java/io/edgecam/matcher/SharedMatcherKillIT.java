package io.edgecam.matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgecam.matcher.config.BrokerConfig;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.config.StoreConfig;
import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.MatcherProcess;
import io.edgecam.matcher.testing.SimulatedDevices;
import io.edgecam.matcher.testing.TestMqtt;
import io.edgecam.matcher.testing.Vectors;
import io.edgecam.protocol.Alert;
import io.edgecam.testing.MosquittoProcess;
import io.edgecam.testing.Services;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A matcher killed with SIGKILL in the middle of a stream while a second one shares the
 * subscription (issue 8, "Faults"): matcher A in this JVM, matcher B in its own, one shared
 * subscription on a real Mosquitto, one PostgreSQL database. Every candidate is near a watchlist
 * entry, so every candidate must end as exactly one stored alert and one alert id on the alerts
 * topic: B's in-flight and queued candidates come back when B restarts on its persistent session,
 * and a candidate B stored but never acknowledged is redelivered and dropped by the database's
 * unique key.
 *
 * <p>The stream is published in three steps, each gated on the effect of the one before (B has
 * decided 100 candidates; B is dead; B is back), so that the kill lands mid-stream on a slow
 * machine as on a fast one.
 */
class SharedMatcherKillIT {
  private static final int DEVICES = 4;

  /** Sequence numbers (first, last) of each device in the three steps of the stream. */
  private static final int[][] STEPS = {{1, 100}, {101, 250}, {251, 400}};

  @TempDir Path dir;
  private final Random random = new Random(8);
  private final List<float[]> people = new ArrayList<>();
  private final Set<String> expected = new HashSet<>();
  private String pgUrl;
  private String schema;
  private MosquittoProcess mosquitto;

  @BeforeEach
  void services() throws Exception {
    pgUrl = Services.postgresUrl();
    schema = Services.createSchema(pgUrl);
    mosquitto = MosquittoProcess.start(dir.resolve("mosquitto"));
  }

  @AfterEach
  void stopServices() throws Exception {
    if (mosquitto != null) {
      mosquitto.close();
    }
    if (schema != null) {
      Services.dropSchema(pgUrl, schema);
    }
  }

  @Test
  void sigkillOfOneOfTwoSharedMatchersMidStreamLosesNothingAndAlertsOnce() throws Exception {
    String jdbcUrl = pgUrl + "&currentSchema=" + schema;
    MatcherConfig configA =
        MatcherConfig.embeddedIn(dir.resolve("a"))
            .withBroker(BrokerConfig.external(mosquitto.url()))
            .withStore(StoreConfig.postgres(jdbcUrl))
            .withClientId("matcher-a")
            .withSharedSubscription(true);
    String yamlB =
        """
        clientId: matcher-b
        sharedSubscription: true
        sessionExpirySeconds: 600
        broker: {external: {url: "%s"}}
        store: {jdbcUrl: "%s", poolSize: 2}
        # Matchers sharing one database sign its audit log with one key.
        audit: {keyFile: "%s"}
        """
            .formatted(mosquitto.url(), jdbcUrl, dir.resolve("a/audit.key"));
    ExecutorService stream = Executors.newSingleThreadExecutor();
    try (MatcherService a = MatcherService.start(configA);
        TestMqtt consumer = new TestMqtt(mosquitto.url()).subscribeAlerts()) {
      Instant now = Instant.now();
      for (int i = 0; i < 4; i++) {
        people.add(Vectors.unit(random));
        a.watchlist().enroll(Entries.entry("person-" + i, people.get(i), now));
      }
      List<Map<String, List<byte[]>>> steps = stream();
      MatcherProcess b = MatcherProcess.start(dir.resolve("b"), yamlB);
      try {
        // The test sets the pace, not the machine: each step of the stream is published, and
        // acknowledged by the broker, only once the one before has had its effect.
        // 1. A first share while both matchers run; B is killed once it has decided 100 of it.
        Future<?> first = stream.submit(() -> publish(steps.get(0), Duration.ofMillis(5)));
        MatcherProcess running = b;
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(10))
            .until(() -> running.handled().size() >= 100);
        running.kill9();
        first.get(180, TimeUnit.SECONDS);
        // 2. Published while B is dead: A and B's persistent session share it.
        publish(steps.get(1), Duration.ZERO);
        Files.deleteIfExists(dir.resolve("b/status.properties"));
        b = MatcherProcess.start(dir.resolve("b"), yamlB);
        // 3. The rest, once B is back on its session.
        publish(steps.get(2), Duration.ZERO);

        await()
            .atMost(Duration.ofSeconds(120))
            .untilAsserted(() -> assertThat(storedAlertKeys()).hasSize(expected.size()));
        assertThat(storedAlertKeys()).isEqualTo(expected);
        assertThat(storedAlertRows())
            .as("one row per (device, sequence)")
            .isEqualTo(expected.size());
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> keys(consumer.alerts()).containsAll(expected));
        Map<String, Set<String>> idsByKey = new HashMap<>();
        for (Alert al : consumer.alerts()) {
          idsByKey
              .computeIfAbsent(al.device() + " " + al.sequence(), k -> new HashSet<>())
              .add(al.id());
        }
        assertThat(idsByKey.values())
            .as("one alert id per (device, sequence) on the alerts topic")
            .allSatisfy(ids -> assertThat(ids).hasSize(1));
      } finally {
        b.close();
      }
    } finally {
      stream.shutdownNow();
    }
  }

  /**
   * Every device's candidates, each near a watchlist entry, cut into three steps of the stream
   * ({@link #STEPS} candidates a device each); records each as expected.
   */
  private List<Map<String, List<byte[]>>> stream() {
    List<Map<String, List<byte[]>>> steps = new ArrayList<>();
    for (int[] range : STEPS) {
      Map<String, List<byte[]>> step = new LinkedHashMap<>();
      for (int d = 0; d < DEVICES; d++) {
        String device = "cam-" + d;
        List<byte[]> list = new ArrayList<>();
        for (int seq = range[0]; seq <= range[1]; seq++) {
          list.add(
              Vectors.encoded(device, seq, Vectors.near(people.get((seq + d) % 4), 0.85, random)));
          expected.add(device + " " + seq);
        }
        step.put(device, list);
      }
      steps.add(step);
    }
    return steps;
  }

  /** Publishes one step of the stream; returns once the broker acknowledged all of it. */
  private Void publish(Map<String, List<byte[]>> step, Duration pause) throws Exception {
    SimulatedDevices.publish(mosquitto.url(), step, "", pause, Duration.ofSeconds(60));
    return null;
  }

  private Set<String> storedAlertKeys() throws Exception {
    Set<String> out = new HashSet<>();
    try (Connection c = DriverManager.getConnection(pgUrl + "&currentSchema=" + schema);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT device, sequence FROM alert")) {
      while (r.next()) {
        out.add(r.getString(1) + " " + r.getLong(2));
      }
    }
    return out;
  }

  private long storedAlertRows() throws Exception {
    try (Connection c = DriverManager.getConnection(pgUrl + "&currentSchema=" + schema);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM alert")) {
      r.next();
      return r.getLong(1);
    }
  }

  private static Set<String> keys(List<Alert> alerts) {
    Set<String> out = new HashSet<>();
    for (Alert a : alerts) {
      out.add(a.device() + " " + a.sequence());
    }
    return out;
  }
}
