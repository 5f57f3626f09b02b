package io.edgecam.protocol.tuf;

import static io.edgecam.protocol.tuf.TufFixture.rejects;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A repository written to disk and loaded again carries on: versions, delegations, targets. */
class TufRepositoryLoadTest {
  @TempDir Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private Map<String, RoleKeys> keys(TufFixture f) {
    Map<String, RoleKeys> k = new HashMap<>();
    k.put(TopLevel.ROOT, f.rootKeys);
    k.put(TopLevel.TARGETS, f.targetsKeys);
    k.put(TopLevel.SNAPSHOT, f.snapshotKeys);
    k.put(TopLevel.TIMESTAMP, f.timestampKeys);
    k.put("watchlist", f.watchlistKeys);
    k.put("models", f.modelsKeys);
    return k;
  }

  private TufUpdater deviceOn(Path repo, TufFixture f, Path store) throws Exception {
    Files.createDirectories(store);
    if (!Files.exists(store.resolve("root.json"))) {
      Files.write(store.resolve("root.json"), f.repo.root().toBytes());
    }
    return new TufUpdater(
        new DirectoryMetadataStore(store),
        new DirectoryFetcher(repo),
        f.clock,
        FetchLimits.DEFAULTS);
  }

  @Test
  void versionsCarryOnAcrossLoads() throws Exception {
    TufFixture f = new TufFixture();
    Path repo = dir.resolve("repo");
    f.repo.writeTo(repo);
    TufUpdater device = deviceOn(repo, f, dir.resolve("device"));
    device.refresh();

    TufRepository again = TufRepository.load(repo, keys(f), f.clock, Lifetimes.DEFAULTS);
    assertThat(again.versions())
        .containsEntry("root", 1L)
        .containsEntry("targets", 1L)
        .containsEntry("watchlist", 1L)
        .containsEntry("snapshot", 1L)
        .containsEntry("timestamp", 1L);
    assertThat(again.delegations())
        .extracting(DelegatedRole::name)
        .containsExactly("watchlist", "models");
    again.addTarget(
        "watchlist", "watchlist/bundle.bin", bytes("v2 bundle"), MissingNode.getInstance());
    again.publish();
    again.writeTo(repo);

    TufRepository third = TufRepository.load(repo, keys(f), f.clock, Lifetimes.DEFAULTS);
    assertThat(third.versions())
        .containsEntry("watchlist", 2L)
        .containsEntry("models", 1L)
        .containsEntry("snapshot", 2L)
        .containsEntry("timestamp", 2L);
    assertThat(third.removeTarget("models", TufFixture.MODEL_PATH)).isTrue();
    assertThat(third.removeTarget("models", TufFixture.MODEL_PATH)).isFalse();
    third.refreshTimestamp();
    third.writeTo(repo);

    device.refresh();
    assertThat(device.download(device.targetInfo("watchlist/bundle.bin")))
        .isEqualTo(bytes("v2 bundle"));
    assertThat(device.trustedVersions()).containsEntry("timestamp", 3L);
    // current() reads target contents from disk for targets added before the load
    assertThat(third.current().targets().values()).containsExactly(bytes("v2 bundle"));
  }

  @Test
  void refusesKeysThatAreNotTheRepositorys() throws Exception {
    TufFixture f = new TufFixture();
    Path repo = dir.resolve("repo");
    f.repo.writeTo(repo);
    Map<String, RoleKeys> wrong = keys(f);
    wrong.put(TopLevel.TIMESTAMP, RoleKeys.generate(1, 1));
    rejects(
            TufException.Kind.THRESHOLD,
            () -> TufRepository.load(repo, wrong, f.clock, Lifetimes.DEFAULTS))
        .contains("role timestamp");
    rejects(
            TufException.Kind.NOT_FOUND,
            () -> TufRepository.load(dir.resolve("none"), keys(f), f.clock, Lifetimes.DEFAULTS))
        .contains("no repository file");
  }

  @Test
  void aRoleWithoutItsKeysCanBeReadButNotSigned() throws Exception {
    TufFixture f = new TufFixture();
    Path repo = dir.resolve("repo");
    f.repo.writeTo(repo);
    Map<String, RoleKeys> k = keys(f);
    k.remove(TopLevel.ROOT);
    k.remove("models");
    TufRepository r = TufRepository.load(repo, k, f.clock, Lifetimes.DEFAULTS);
    r.addTarget("watchlist", "watchlist/b2.bin", bytes("b2"), MissingNode.getInstance());
    r.publish(); // watchlist, snapshot, timestamp: keys present
    r.addTarget("models", "models/m2.bin", bytes("m2"), MissingNode.getInstance());
    rejects(TufException.Kind.THRESHOLD, r::publish).contains("no signing keys for role models");
  }

  @Test
  void rotatingADelegatedRoleKeyMovesTrustToTheNewKey() throws Exception {
    TufFixture f = new TufFixture();
    Path repo = dir.resolve("repo");
    f.repo.writeTo(repo);
    TufUpdater device = deviceOn(repo, f, dir.resolve("device"));
    device.refresh();
    RoleKeys newWatchlist = RoleKeys.generate(1, 1);
    TufRepository r = TufRepository.load(repo, keys(f), f.clock, Lifetimes.DEFAULTS);
    r.rotate("watchlist", newWatchlist);
    r.addTarget("watchlist", "watchlist/b3.bin", bytes("b3"), MissingNode.getInstance());
    r.publish();
    r.writeTo(repo);
    device.refresh();
    assertThat(device.download(device.targetInfo("watchlist/b3.bin"))).isEqualTo(bytes("b3"));

    // the old watchlist key alone can no longer sign the role: a watchlist v3 signed by it, with
    // a snapshot and timestamp naming it, is rejected
    Map<String, TargetFile> t = new HashMap<>(r.targets("watchlist"));
    t.put("watchlist/evil.bin", TargetFile.of(bytes("evil"), MissingNode.getInstance()));
    java.time.Instant exp = f.clock.instant().plus(java.time.Duration.ofDays(1));
    Files.write(
        repo.resolve("metadata/3.watchlist.json"),
        f.signed(new Targets(3, exp, t, Delegations.NONE), f.watchlistKeys));
    Map<String, MetaFile> meta =
        new HashMap<>(
            Metadata.parse(
                    Files.readAllBytes(repo.resolve("metadata/snapshot.json")), Snapshot.class)
                .signed()
                .meta());
    meta.put("watchlist.json", MetaFile.ofVersion(3));
    byte[] snap = f.signed(new Snapshot(3, exp, meta), f.snapshotKeys);
    Files.write(repo.resolve("metadata/3.snapshot.json"), snap);
    Files.write(
        repo.resolve("metadata/timestamp.json"),
        f.signed(new Timestamp(3, exp, MetaFile.of(3, snap)), f.timestampKeys));
    device.refresh();
    rejects(TufException.Kind.THRESHOLD, () -> device.targetInfo("watchlist/evil.bin"))
        .contains("watchlist v3");
    // and the maintainer tool refuses the old key for the role
    rejects(
            TufException.Kind.THRESHOLD,
            () -> TufRepository.load(repo, keys(f), f.clock, Lifetimes.DEFAULTS))
        .contains("role watchlist");
    assertThat(TufRepository.load(repo, keys(f, newWatchlist), f.clock, Lifetimes.DEFAULTS))
        .isNotNull();
  }

  private Map<String, RoleKeys> keys(TufFixture f, RoleKeys watchlist) {
    Map<String, RoleKeys> k = keys(f);
    k.put("watchlist", watchlist);
    return k;
  }
}
