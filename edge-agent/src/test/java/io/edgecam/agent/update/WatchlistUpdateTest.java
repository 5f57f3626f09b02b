package io.edgecam.agent.update;

import static io.edgecam.agent.update.Faces.TAG;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.agent.track.BestShot;
import io.edgecam.agent.track.Face;
import io.edgecam.protocol.Box;
import io.edgecam.protocol.bundle.WatchlistBundle;
import io.edgecam.protocol.bundle.WatchlistBundleCodec;
import io.edgecam.protocol.tuf.EdgecamTarget;
import io.edgecam.protocol.tuf.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watchlist bundles through the agent's update client: each TUF attack is refused with its reason
 * as an update event, a valid bundle is applied, persisted and used after a restart; real
 * embeddings of real photos (../shared/data), directory transport.
 */
class WatchlistUpdateTest {
  private static Path jolie1;
  private static Path jolie2;
  private static Path dorsey;
  private static final long DAY = Duration.ofDays(1).toMillis();

  @TempDir Path dir;
  private UpdateFixture given;
  private long future;

  @BeforeAll
  static void photos() {
    jolie1 = Faces.photo("angelina_jolie", "deepface_img1.jpg");
    jolie2 = Faces.photo("angelina_jolie", "deepface_img2.jpg");
    dorsey = Faces.photo("jack_dorsey", "deepface_img16.jpg");
  }

  @BeforeEach
  void repository() throws Exception {
    given = new UpdateFixture(dir);
    future = given.clock.millis() + 30 * DAY;
  }

  private WatchlistBundle bundle(long version) {
    return Faces.bundle(version, TAG, future, jolie1);
  }

  private static BestShot shotOf(Path photo) {
    return new BestShot(1, 0, new Face(new Box(0, 0, 10, 10), 0.9f, 0.9f, Faces.embed(photo)));
  }

  private Map<String, String> lastWatchlistResult() {
    List<Map<String, String>> r = given.results("watchlist");
    assertThat(r).isNotEmpty();
    return r.get(r.size() - 1);
  }

  /** Given v1 applied. */
  private UpdateClient clientWithV1() throws Exception {
    given.addWatchlist(bundle(1));
    given.publish();
    UpdateClient c = given.client();
    given.refresh(c, true);
    assertThat(c.versions()).containsEntry("watchlist", "1");
    return c;
  }

  @Test
  void validBundleIsAppliedPersistedAndUsedAfterRestartBeforeAnyNetwork() throws Exception {
    String path = given.addWatchlist(bundle(1));
    given.publish();

    try (UpdateClient c = given.client()) {
      given.refresh(c, true);
      assertThat(lastWatchlistResult())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "kind", "watchlist",
                  "name", TAG,
                  "target", path,
                  "version", "1",
                  "result", "applied"));
      assertThat(c.versions()).containsEntry("watchlist", "1");
      assertThat(c.prefilter().accept(shotOf(jolie2))).isTrue();
      assertThat(c.prefilter().accept(shotOf(dorsey))).isFalse();
    }
    Files.delete(given.repoDir.resolve("metadata/timestamp.json")); // no repository any more

    try (UpdateClient restarted = given.client()) { // not started: no network at all
      assertThat(restarted.versions()).containsEntry("watchlist", "1");
      assertThat(restarted.prefilter().accept(shotOf(jolie2))).isTrue();
      assertThat(restarted.prefilter().accept(shotOf(dorsey))).isFalse();
    }
  }

  @Test
  void rejectsBundleSignedByUnknownKey() throws Exception {
    try (UpdateClient c = clientWithV1()) {
      given.serveForgedWatchlist(
          bundle(2), 2, List.of(SigningKey.generate(), SigningKey.generate()));

      given.refresh(c, false);

      assertThat(lastWatchlistResult())
          .containsEntry("result", "rejected")
          .containsEntry("kind", "watchlist")
          .containsEntry("name", TAG);
      assertThat(lastWatchlistResult().get("reason"))
          .startsWith("threshold: watchlist v2: 0 valid signature(s) of 2 required");
      assertThat(c.versions()).containsEntry("watchlist", "1");
      assertThat(c.health().reason()).contains("threshold");
    }
  }

  @Test
  void rejectsBundleSignedBelowThreshold() throws Exception {
    try (UpdateClient c = clientWithV1()) {
      given.serveForgedWatchlist(bundle(2), 2, List.of(given.watchlistKeys.keys().get(0)));

      given.refresh(c, false);

      assertThat(lastWatchlistResult().get("reason"))
          .startsWith("threshold: watchlist v2: 1 valid signature(s) of 2 required");
      assertThat(lastWatchlistResult()).containsEntry("result", "rejected");
      assertThat(c.versions()).containsEntry("watchlist", "1");
    }
  }

  @Test
  void rejectsRollbackToOlderMetadata() throws Exception {
    given.addWatchlist(bundle(1));
    given.publish();
    byte[] oldTimestamp = given.metadata("timestamp.json");
    given.addWatchlist(bundle(2));
    given.publish();
    try (UpdateClient c = given.client()) {
      given.refresh(c, true);
      assertThat(c.versions()).containsEntry("watchlist", "2");
      given.writeMetadata("timestamp.json", oldTimestamp); // replay of the v1 state

      given.refresh(c, false);

      assertThat(lastWatchlistResult())
          .containsEntry("result", "rejected")
          .containsEntry("reason", "rollback: timestamp v2 is older than trusted v3");
      assertThat(c.versions()).containsEntry("watchlist", "2");
    }
  }

  @Test
  void keepsTheActiveBundleWhenOnlyAnOlderVersionIsOffered() throws Exception {
    given.addWatchlist(bundle(1));
    WatchlistBundle v2 = bundle(2);
    given.addWatchlist(v2);
    given.publish();
    try (UpdateClient c = given.client()) {
      given.refresh(c, true);
      assertThat(c.versions()).containsEntry("watchlist", "2");
      // The maintainer narrows v2 to another device: v1 is the highest this device may use.
      given.repo.addTarget(
          UpdateClient.WATCHLIST_ROLE,
          UpdateFixture.watchlistPath(v2),
          WatchlistBundleCodec.encode(v2),
          new EdgecamTarget(
                  EdgecamTarget.Kind.WATCHLIST,
                  TAG,
                  2,
                  new EdgecamTarget.Rollout(List.of("cam-other"), 0, "s"),
                  null)
              .toCustom());
      given.publish();

      given.refresh(c, false);

      assertThat(lastWatchlistResult())
          .containsEntry("result", "rejected")
          .containsEntry("version", "1")
          .containsEntry("reason", "rollback: v1 is older than the active v2");
      assertThat(c.versions()).containsEntry("watchlist", "2");
    }
  }

  @Test
  void rejectsExpiredMetadataAsFreezeAttack() throws Exception {
    try (UpdateClient c = clientWithV1()) {
      given.addWatchlist(bundle(2));
      given.publish(); // signed now, served unchanged from here on
      given.clock.advance(Duration.ofDays(2)); // the timestamp lives 1 day

      given.refresh(c, false);

      assertThat(lastWatchlistResult())
          .containsEntry("result", "rejected")
          .containsEntry("target", "");
      assertThat(lastWatchlistResult().get("reason")).startsWith("expired: timestamp");
      assertThat(c.versions()).containsEntry("watchlist", "1");
    }
  }

  @Test
  void rejectsBundleWithWrongHash() throws Exception {
    try (UpdateClient c = clientWithV1()) {
      WatchlistBundle v2 = bundle(2);
      String path = given.addWatchlist(v2);
      given.publish();
      String sha =
          given.repo.files().keySet().stream()
              .filter(f -> f.endsWith(path.substring(10)) && f.startsWith("targets/"))
              .findFirst()
              .orElseThrow()
              .substring("targets/watchlist/".length(), "targets/watchlist/".length() + 64);
      Path file = given.targetFile(path, sha);
      byte[] content = Files.readAllBytes(file);
      content[content.length - 1] ^= 1; // arbitrary content of the declared length
      Files.write(file, content);

      given.refresh(c, false);

      assertThat(lastWatchlistResult())
          .containsEntry("result", "rejected")
          .containsEntry("target", path)
          .containsEntry("version", "2");
      assertThat(lastWatchlistResult().get("reason")).startsWith("hash_mismatch:");
      assertThat(c.versions()).containsEntry("watchlist", "1");
    }
  }

  @Test
  void rejectsBundleForAnotherEmbedderListedUnderThisOne() throws Exception {
    WatchlistBundle other = Faces.bundle(1, "other-embedder", future, jolie1);
    given.repo.addTarget(
        UpdateClient.WATCHLIST_ROLE,
        "watchlist/mislabelled.bin",
        WatchlistBundleCodec.encode(other),
        new EdgecamTarget(EdgecamTarget.Kind.WATCHLIST, TAG, 1, null, null).toCustom());
    given.publish();
    try (UpdateClient c = given.client()) {
      given.refresh(c, true);

      assertThat(lastWatchlistResult())
          .containsEntry("result", "rejected")
          .containsEntry(
              "reason", "model: bundle is for embedder other-embedder, this device runs " + TAG);
      assertThat(c.versions()).containsEntry("watchlist", "0");
    }
  }

  @Test
  void deviceOutsideTheRolloutKeepsThePreviousBundle() throws Exception {
    try (UpdateClient c = clientWithV1()) {
      WatchlistBundle v2 = bundle(2);
      given.repo.addTarget(
          UpdateClient.WATCHLIST_ROLE,
          UpdateFixture.watchlistPath(v2),
          WatchlistBundleCodec.encode(v2),
          new EdgecamTarget(
                  EdgecamTarget.Kind.WATCHLIST,
                  TAG,
                  2,
                  new EdgecamTarget.Rollout(List.of("cam-canary"), 0, "wl-2"),
                  null)
              .toCustom());
      given.publish();
      int before = given.events.size();

      given.refresh(c, false);

      assertThat(c.versions()).containsEntry("watchlist", "1");
      assertThat(given.events).hasSize(before);
    }
  }

  @Test
  void expiredEntriesAreDroppedAtUseTime() throws Exception {
    given.addWatchlist(Faces.bundle(1, TAG, given.clock.millis() + DAY, jolie1));
    given.publish();
    try (UpdateClient c = given.client()) {
      given.refresh(c, true);
      assertThat(c.prefilter().accept(shotOf(jolie2))).isTrue();

      given.clock.advance(Duration.ofDays(1));

      assertThat(c.prefilter().accept(shotOf(jolie2))).isFalse();
    }
  }

  @Test
  void wipeDeletesTheCopyBlocksEverythingAndOnlyANewerVersionRearms() throws Exception {
    try (UpdateClient c = clientWithV1()) {
      c.wipeWatchlist();

      assertThat(c.prefilter().accept(shotOf(jolie2))).isFalse();
      assertThat(c.prefilter().accept(shotOf(dorsey))).isFalse();
      assertThat(dir.resolve("state/updates/watchlist/bundle.bin")).doesNotExist();
      given.refresh(c, false); // the same v1 is still offered: not applied again
      assertThat(c.versions()).containsEntry("watchlist", "0");
      assertThat(c.prefilter().accept(shotOf(jolie2))).isFalse();
    }
    try (UpdateClient restarted = given.client()) {
      assertThat(restarted.prefilter().accept(shotOf(jolie2))).isFalse();
      given.addWatchlist(bundle(2));
      given.publish();

      given.refresh(restarted, true);

      assertThat(restarted.versions()).containsEntry("watchlist", "2");
      assertThat(restarted.prefilter().accept(shotOf(jolie2))).isTrue();
      assertThat(restarted.prefilter().accept(shotOf(dorsey))).isFalse();
    }
  }

  @Test
  void watchlistOfAnotherEmbeddingSpaceIsReplacedWhateverItsVersion() throws Exception {
    // An earlier embedder (another model tag) left its v5 on the device.
    new WatchlistStore(dir.resolve("state/updates"))
        .save(WatchlistBundleCodec.encode(Faces.bundle(5, "mfn-old", future, dorsey)));
    given.addWatchlist(bundle(1)); // v1 of the running embedder's space
    given.publish();

    try (UpdateClient c = given.client()) {
      assertThat(c.prefilter().accept(shotOf(jolie2))).isTrue(); // v5 unusable: pass (default)
      given.refresh(c, true);

      assertThat(lastWatchlistResult())
          .containsEntry("result", "applied")
          .containsEntry("version", "1");
      assertThat(c.versions()).containsEntry("watchlist", "1");
      assertThat(c.prefilter().accept(shotOf(dorsey))).isFalse();
    }
  }
}
