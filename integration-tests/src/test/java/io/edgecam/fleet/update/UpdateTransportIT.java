package io.edgecam.fleet.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgecam.agent.config.MqttConfig;
import io.edgecam.agent.config.TlsConfig;
import io.edgecam.agent.update.mqtt.MqttTufFetcher;
import io.edgecam.matcher.broker.EmbeddedBroker;
import io.edgecam.matcher.config.EmbeddedBrokerConfig;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.Vectors;
import io.edgecam.protocol.bundle.WatchlistBundle;
import io.edgecam.protocol.bundle.WatchlistBundleCodec;
import io.edgecam.protocol.tuf.DirectoryMetadataStore;
import io.edgecam.protocol.tuf.EdgecamTarget;
import io.edgecam.protocol.tuf.FetchLimits;
import io.edgecam.protocol.tuf.TopLevel;
import io.edgecam.protocol.tuf.TufUpdater;
import io.edgecam.protocol.tuf.mqtt.UpdateTopics;
import io.edgecam.testing.MosquittoProcess;
import io.edgecam.testing.WireTap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole update path on real brokers: {@code keys init}, {@code repo init}, {@code watchlist
 * publish --broker} (retained metadata + chunks), then a device's {@link MqttTufFetcher} under a
 * {@link TufUpdater} that knows only root v1 downloads and verifies the bundle. Runs on the
 * embedded HiveMQ CE and on a Mosquitto of the test's own (skipped when mosquitto is not installed,
 * a failure with EDGECAM_REQUIRE_SERVICES=1). A second publish sends only what changed and clears
 * the retained chunks of the superseded bundle.
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

  /** A Mosquitto of the test's own on a free port, never the machine's on 1883. */
  @Test
  void publishFetchVerifyOnMosquitto() throws Exception {
    try (MosquittoProcess broker = MosquittoProcess.start(dir.resolve("mosquitto"))) {
      roundTrip(broker.url(), "site-m");
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
      String v1Path = storedPath(repo, "watchlist");
      Cli.Run second = run(publish);
      assertThat(second.err()).containsPattern("[1-9][0-9]* cleared");
      device.refresh();
      WatchlistBundle b2 = fetchBundle(device);
      assertThat(b2.version()).isEqualTo(2);
      assertThat(b2.entries()).hasSize(399);
      assertRetainedChunksAreOnlyThoseOf(url, site, otherPath(repo, "watchlist", v1Path));
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

  /** The stored path of the one bundle other than {@code previous}. */
  private static String otherPath(Path repo, String dirName, String previous) throws IOException {
    try (var s = Files.list(repo.resolve("targets").resolve(dirName))) {
      List<String> paths =
          s.map(f -> dirName + "/" + f.getFileName()).filter(p -> !p.equals(previous)).toList();
      assertThat(paths).hasSize(1);
      return paths.get(0);
    }
  }

  /**
   * The broker retains the chunks of {@code path} (two of them) and no other target's: a fresh
   * subscriber to all of the site's chunk topics is first waited on until both of them have
   * arrived, which proves the retained messages are being delivered, so that the absence of the
   * superseded bundle's chunks is not merely an absence of time to receive them.
   */
  private static void assertRetainedChunksAreOnlyThoseOf(String url, String site, String path)
      throws Exception {
    List<String> expected =
        List.of(UpdateTopics.chunk(site, path, 0), UpdateTopics.chunk(site, path, 1));
    try (WireTap tap = new WireTap(url, UpdateTopics.allChunksFilter(site))) {
      await().atMost(Duration.ofSeconds(15)).until(() -> retainedTopics(tap).containsAll(expected));
      assertThat(retainedTopics(tap))
          .as("retained chunk topics: the superseded bundle's were cleared")
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  private static List<String> retainedTopics(WireTap tap) {
    return tap.messages.stream()
        .filter(m -> m.retained() && m.payload().length > 0)
        .map(WireTap.Message::topic)
        .distinct()
        .toList();
  }
}
