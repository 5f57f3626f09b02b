package io.edgecam.matcher.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.agent.config.MqttConfig;
import io.edgecam.agent.config.TlsConfig;
import io.edgecam.agent.update.mqtt.MqttTufFetcher;
import io.edgecam.matcher.broker.EmbeddedBroker;
import io.edgecam.matcher.config.EmbeddedBrokerConfig;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.Services;
import io.edgecam.matcher.testing.Vectors;
import io.edgecam.protocol.bundle.WatchlistBundle;
import io.edgecam.protocol.bundle.WatchlistBundleCodec;
import io.edgecam.protocol.tuf.DirectoryMetadataStore;
import io.edgecam.protocol.tuf.EdgecamTarget;
import io.edgecam.protocol.tuf.FetchLimits;
import io.edgecam.protocol.tuf.TopLevel;
import io.edgecam.protocol.tuf.TufUpdater;
import io.edgecam.protocol.tuf.mqtt.UpdateTopics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole update path on real brokers: {@code keys init}, {@code repo init}, {@code watchlist
 * publish --broker} (retained metadata + chunks), then a device's {@link MqttTufFetcher} under a
 * {@link TufUpdater} that knows only root v1 downloads and verifies the bundle. Runs on the
 * embedded HiveMQ CE and on the machine's Mosquitto (127.0.0.1:1883; skipped when absent, a failure
 * with EDGECAM_REQUIRE_SERVICES=1). A second publish sends only what changed and clears the
 * retained chunks of the superseded bundle.
 */
class UpdateTransportIT {
  @TempDir Path dir;

  @Test
  void publishFetchVerifyOnEmbeddedHiveMq() throws Exception {
    try (EmbeddedBroker broker =
        EmbeddedBroker.start(EmbeddedBrokerConfig.ephemeral(dir.resolve("broker")))) {
      roundTrip(broker.url(), "site-h");
    }
  }

  @Test
  void publishFetchVerifyOnTheMachinesMosquitto() throws Exception {
    if (!listening(1883)) {
      try {
        new ProcessBuilder("mosquitto", "-d", "-c", "/etc/mosquitto/mosquitto.conf")
            .inheritIO()
            .start()
            .waitFor(10, TimeUnit.SECONDS);
      } catch (IOException e) {
        // reported below
      }
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!listening(1883) && System.nanoTime() < end) {
        Thread.sleep(200);
      }
      if (!listening(1883)) {
        Services.unavailable("Mosquitto is not running on 127.0.0.1:1883 and could not be started");
      }
    }
    // a site of its own, cleared at the end, so the shared broker keeps nothing of this test
    String site = "upd-it-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      roundTrip("tcp://127.0.0.1:1883", site);
    } finally {
      clearSite("tcp://127.0.0.1:1883", site);
    }
  }

  private void roundTrip(String url, String site) throws Exception {
    Path keys = dir.resolve("keys");
    Path repo = dir.resolve("repo");
    Path db = dir.resolve("m.db");
    Random random = new Random(5);
    try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
      for (int i = 0; i < 400; i++) { // ~100 kB: two 64 KiB chunks
        s.putEntry(Entries.entry("e" + i, Vectors.unit(random), Instant.now()));
      }
    }
    run("keys", "init", "--dir", keys.toString());
    run("repo", "init", "--keys", keys.toString(), "--repo", repo.toString());
    String[] publish = {
      "watchlist",
      "publish",
      "--store",
      db.toString(),
      "--keys",
      keys.toString(),
      "--repo",
      repo.toString(),
      "--site",
      site,
      "--broker",
      url
    };
    Cli.Run first = run(publish);
    assertThat(first.err()).contains("published to " + url);

    Path store = Files.createDirectories(dir.resolve("device"));
    Files.copy(repo.resolve("metadata/1.root.json"), store.resolve("root.json"));
    MqttConfig mqtt =
        new MqttConfig(url, null, null, null, new TlsConfig(null, null, null), 0, 10, 30, 60);
    try (MqttTufFetcher fetcher =
        new MqttTufFetcher(
            mqtt,
            "dev-" + UUID.randomUUID(),
            site,
            dir.resolve("staging"),
            MqttTufFetcher.Settings.DEFAULTS.withTimeout(Duration.ofSeconds(15)))) {
      TufUpdater device =
          new TufUpdater(
              new DirectoryMetadataStore(store), fetcher, Clock.systemUTC(), FetchLimits.DEFAULTS);
      device.refresh();
      WatchlistBundle b1 = fetchBundle(device);
      assertThat(b1.version()).isEqualTo(1);
      assertThat(b1.entries()).hasSize(400);
      assertThat(fetcher.stats().chunksReceived()).isEqualTo(2);

      // unchanged repository: nothing is sent again
      Cli.Run again =
          run(
              "repo",
              "publish",
              "--keys",
              keys.toString(),
              "--repo",
              repo.toString(),
              "--site",
              site,
              "--broker",
              url);
      assertThat(again.err()).contains(" 0 messages").contains("0 cleared");

      // a new version: its chunks are sent, v1's retained chunks and metadata cleared
      try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
        s.removeEntry("e0");
      }
      String v1Chunk = UpdateTopics.chunk(site, storedPath(repo, "watchlist"), 0);
      Cli.Run second = run(publish);
      assertThat(second.err()).containsPattern("[1-9][0-9]* cleared");
      device.refresh();
      WatchlistBundle b2 = fetchBundle(device);
      assertThat(b2.version()).isEqualTo(2);
      assertThat(b2.entries()).hasSize(399);
      assertThat(retained(url, v1Chunk)).as("v1 chunk cleared from the broker").isFalse();
      assertThat(device.trustedVersions()).containsEntry(TopLevel.TIMESTAMP, 3L);
    }
  }

  private static WatchlistBundle fetchBundle(TufUpdater device) {
    EdgecamTarget.Listed t =
        EdgecamTarget.select(
                device.targetsOf("watchlist"), EdgecamTarget.Kind.WATCHLIST, Vectors.MODEL, "cam-1")
            .orElseThrow();
    return WatchlistBundleCodec.decode(device.download(device.targetInfo(t.path())));
  }

  /** The consistent-snapshot path of the (single) bundle the repository lists now. */
  private static String storedPath(Path repo, String dirName) throws IOException {
    try (var s = Files.list(repo.resolve("targets").resolve(dirName))) {
      List<Path> files = s.toList();
      assertThat(files).hasSize(1);
      return dirName + "/" + files.get(0).getFileName();
    }
  }

  private static Cli.Run run(String... args) {
    Cli.Run r = Cli.run(args);
    assertThat(r.exit()).as(r.toString()).isZero();
    return r;
  }

  /** Whether the broker holds a retained message on {@code topic}. */
  private static boolean retained(String url, String topic) throws Exception {
    ConcurrentHashMap<String, byte[]> got = new ConcurrentHashMap<>();
    MqttClient c = new MqttClient(url, "probe-" + UUID.randomUUID(), new MemoryPersistence());
    c.setCallback(collector(got));
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    c.connect(o);
    c.subscribe(new MqttSubscription[] {new MqttSubscription(topic, 1)});
    Thread.sleep(1000);
    c.disconnect();
    c.close();
    return got.containsKey(topic);
  }

  /** Clears every retained message of {@code site}'s update topics. */
  private static void clearSite(String url, String site) throws Exception {
    ConcurrentHashMap<String, byte[]> got = new ConcurrentHashMap<>();
    MqttClient c = new MqttClient(url, "cleaner-" + UUID.randomUUID(), new MemoryPersistence());
    c.setCallback(collector(got));
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    c.connect(o);
    c.subscribe(new MqttSubscription[] {new MqttSubscription(UpdateTopics.prefix(site) + "/#", 1)});
    Thread.sleep(1500);
    for (String t : got.keySet()) {
      c.publish(t, new byte[0], 1, true);
    }
    c.disconnect();
    c.close();
  }

  private static MqttCallback collector(ConcurrentHashMap<String, byte[]> got) {
    return new MqttCallback() {
      @Override
      public void disconnected(MqttDisconnectResponse r) {}

      @Override
      public void mqttErrorOccurred(MqttException e) {}

      @Override
      public void messageArrived(String topic, MqttMessage m) {
        if (m.getPayload().length > 0) {
          got.put(topic, m.getPayload());
        }
      }

      @Override
      public void deliveryComplete(IMqttToken t) {}

      @Override
      public void connectComplete(boolean reconnect, String uri) {}

      @Override
      public void authPacketArrived(int code, MqttProperties p) {}
    };
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
