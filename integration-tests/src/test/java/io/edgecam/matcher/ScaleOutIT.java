package io.edgecam.matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgecam.matcher.config.BrokerConfig;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.config.StoreConfig;
import io.edgecam.matcher.ingest.CandidateProcessor;
import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.MatcherProcess;
import io.edgecam.matcher.testing.SimulatedDevices;
import io.edgecam.matcher.testing.TestMqtt;
import io.edgecam.matcher.testing.Vectors;
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.Health;
import io.edgecam.testing.MosquittoProcess;
import io.edgecam.testing.Services;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out: two matchers, one in this JVM and one in a JVM of its own, each with its own MQTT
 * client on one shared subscription of a real Mosquitto 2, sharing one PostgreSQL database
 * (watchlist, revision, alert dedup key, outbox claims). Simulated devices publish 2,000
 * candidates; every (device, sequence) must be decided exactly once across both matchers, both must
 * get a share, and every expected alert must exist once in the database and on the alerts topic.
 * Then Mosquitto restarts, which drops shared subscriptions (docs/matcher.md): both matchers must
 * re-subscribe on their own and split the next 1,000 the same way.
 */
class ScaleOutIT {
  private static final int DEVICES = 4;
  private static final int ENTRIES = 4;

  @TempDir Path dir;
  private final Random random = new Random(21);
  private final List<float[]> people = new ArrayList<>();
  private final Set<String> expectedMatches = new HashSet<>();
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
  void twoMatcherProcessesSplitTheLoadAndDecideEachCandidateOnceAcrossABrokerRestart()
      throws Exception {
    String jdbcUrl = pgUrl + "&currentSchema=" + schema;
    MatcherConfig configA =
        MatcherConfig.embeddedIn(dir.resolve("a"))
            .withBroker(BrokerConfig.external(mosquitto.url()))
            .withStore(StoreConfig.postgres(jdbcUrl))
            .withClientId("matcher-a")
            .withSharedSubscription(true);
    ConcurrentLinkedQueue<String> handledByA = new ConcurrentLinkedQueue<>();
    try (MatcherService a = MatcherService.start(configA);
        TestMqtt consumer = new TestMqtt(mosquitto.url()).subscribeAlerts()) {
      a.addCandidateListener(h -> handledByA.add(line(h)));
      Instant now = Instant.now();
      for (int i = 0; i < ENTRIES; i++) {
        people.add(Vectors.unit(random));
        a.watchlist().enroll(Entries.entry("person-" + i, people.get(i), now));
      }
      try (MatcherProcess b =
          MatcherProcess.start(
              dir.resolve("b"),
              """
              clientId: matcher-b
              sharedSubscription: true
              sessionExpirySeconds: 600
              broker: {external: {url: "%s"}}
              store: {jdbcUrl: "%s", poolSize: 2}
              # Matchers sharing one database sign its audit log with one key.
              audit: {keyFile: "%s"}
              """
                  .formatted(mosquitto.url(), jdbcUrl, dir.resolve("a/audit.key")))) {
        assertThat(b.status().getProperty("watchlist"))
            .as("B loaded the watchlist A enrolled in the shared database")
            .isEqualTo(String.valueOf(ENTRIES));

        publish(1, 500);
        awaitDecided(handledByA, b, 2_000);
        assertExactlyOnce(handledByA, b, 2_000, consumer);

        // Mosquitto 2.0 forgets shared subscriptions across its restart; the matchers reconnect
        // and subscribe again by themselves.
        mosquitto.stop();
        await().atMost(Duration.ofSeconds(20)).until(() -> a.health().state() != Health.State.OK);
        mosquitto.restart();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    a.health().state() == Health.State.OK
                        && "OK".equals(b.status().getProperty("health")));
        try (TestMqtt consumer2 = new TestMqtt(mosquitto.url()).subscribeAlerts()) {
          Set<String> before = Set.copyOf(expectedMatches);
          publish(501, 750);
          awaitDecided(handledByA, b, 3_000);
          assertExactlyOnce(handledByA, b, 3_000, null);
          Set<String> after = new HashSet<>(expectedMatches);
          after.removeAll(before);
          assertAlertsPublished(consumer2, after, expectedMatches);
        }
      }
    }
  }

  private static String line(CandidateProcessor.Handled h) {
    return h.device() + " " + h.sequence() + " " + h.outcome();
  }

  /** Each device publishes sequences {@code from..to}: two in three near an entry, the rest not. */
  private void publish(int from, int to) throws Exception {
    Map<String, List<byte[]>> payloads = new LinkedHashMap<>();
    for (int d = 0; d < DEVICES; d++) {
      String device = "cam-" + d;
      List<byte[]> list = new ArrayList<>();
      for (int seq = from; seq <= to; seq++) {
        boolean match = seq % 3 != 0;
        float[] v =
            match
                ? Vectors.near(people.get((seq + d) % ENTRIES), 0.85, random)
                : Vectors.unit(random);
        if (match) {
          expectedMatches.add(device + " " + seq);
        }
        list.add(Vectors.encoded(device, seq, v));
      }
      payloads.put(device, list);
    }
    SimulatedDevices.publish(
        mosquitto.url(), payloads, "-" + from, Duration.ZERO, Duration.ofSeconds(30));
  }

  private static void awaitDecided(
      ConcurrentLinkedQueue<String> handledByA, MatcherProcess b, int total) {
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> handledByA.size() + b.handled().size() >= total);
    // Then nothing more for a while: a candidate delivered twice would show up here.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> handledByA.size() + b.handled().size() == total);
  }

  private void assertExactlyOnce(
      ConcurrentLinkedQueue<String> handledByA, MatcherProcess b, int total, TestMqtt consumer)
      throws Exception {
    List<String> byB = b.handled();
    List<String> all = new ArrayList<>(handledByA);
    all.addAll(byB);
    assertThat(all).as("decisions across both matchers").hasSize(total).doesNotHaveDuplicates();
    assertThat(handledByA).as("matcher A's share").isNotEmpty();
    assertThat(byB).as("matcher B's share").isNotEmpty();
    Map<String, String> outcome = new HashMap<>();
    for (String l : all) {
      int cut = l.lastIndexOf(' ');
      outcome.put(l.substring(0, cut), l.substring(cut + 1));
    }
    assertThat(outcome).as("every (device, sequence) decided once").hasSize(total);
    for (Map.Entry<String, String> e : outcome.entrySet()) {
      assertThat(e.getValue())
          .as(e.getKey())
          .isEqualTo(expectedMatches.contains(e.getKey()) ? "MATCHED" : "DISCARDED");
    }
    assertThat(storedAlertKeys()).as("alerts in PostgreSQL").isEqualTo(expectedMatches);
    if (consumer != null) {
      assertAlertsPublished(consumer, expectedMatches, expectedMatches);
    }
  }

  /**
   * Every expected alert reaches the alerts topic. Publishing is at-least-once: an alert whose
   * PUBACK timed out is published again (same id) once its matcher retries it, after 30 s; two
   * different alerts for one (device, sequence) would be a dedup failure. An alert retried late may
   * show up after its phase, so the consumer may see others of {@code allowed}.
   */
  private static void assertAlertsPublished(
      TestMqtt consumer, Set<String> expected, Set<String> allowed) {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> keys(consumer.alerts()).containsAll(expected));
    Map<String, Set<String>> idsByKey = new HashMap<>();
    for (Alert a : consumer.alerts()) {
      idsByKey.computeIfAbsent(a.device() + " " + a.sequence(), k -> new HashSet<>()).add(a.id());
    }
    assertThat(allowed).containsAll(idsByKey.keySet());
    assertThat(idsByKey.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
  }

  private static Set<String> keys(List<Alert> alerts) {
    Set<String> out = new HashSet<>();
    for (Alert a : alerts) {
      out.add(a.device() + " " + a.sequence());
    }
    return out;
  }

  private Set<String> storedAlertKeys() throws Exception {
    Set<String> keys = new HashSet<>();
    int rows = 0;
    try (Connection c = DriverManager.getConnection(pgUrl + "&currentSchema=" + schema);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT device, sequence FROM alert")) {
      while (rs.next()) {
        keys.add(rs.getString(1) + " " + rs.getLong(2));
        rows++;
      }
    }
    assertThat(rows).as("one row per alert key").isEqualTo(keys.size());
    return keys;
  }
}
