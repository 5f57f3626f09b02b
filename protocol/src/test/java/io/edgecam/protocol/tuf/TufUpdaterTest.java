package io.edgecam.protocol.tuf;

import static io.edgecam.protocol.tuf.TufException.Kind.THRESHOLD;
import static io.edgecam.protocol.tuf.TufException.Kind.UNKNOWN_TARGET;
import static io.edgecam.protocol.tuf.TufFixture.BUNDLE;
import static io.edgecam.protocol.tuf.TufFixture.BUNDLE_PATH;
import static io.edgecam.protocol.tuf.TufFixture.MODEL;
import static io.edgecam.protocol.tuf.TufFixture.MODEL_PATH;
import static io.edgecam.protocol.tuf.TufFixture.rejects;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TufUpdaterTest {
  private final TufFixture given = new TufFixture();

  @Test
  void downloadsWatchlistAndModelThroughDelegations() {
    TufUpdater updater = given.updater();
    updater.refresh();

    TargetInfo bundle = updater.targetInfo(BUNDLE_PATH);
    TargetInfo model = updater.targetInfo(MODEL_PATH);

    assertThat(bundle.role()).isEqualTo("watchlist");
    assertThat(updater.download(bundle)).isEqualTo(BUNDLE);
    assertThat(model.role()).isEqualTo("models");
    assertThat(model.file().custom().get("version").intValue()).isEqualTo(2);
    assertThat(updater.download(model)).isEqualTo(MODEL);
    assertThat(updater.trustedVersions())
        .containsEntry("root", 1L)
        .containsEntry("timestamp", 1L)
        .containsEntry("watchlist", 1L);
  }

  @Test
  void picksUpANewWatchlistVersion() {
    TufUpdater updater = given.updater();
    updater.refresh();
    byte[] v2 = "watchlist v2".getBytes(StandardCharsets.UTF_8);
    given.repo.addTarget("watchlist", BUNDLE_PATH, v2, MissingNode.getInstance());
    given.repo.publish();
    given.serve();

    updater.refresh();

    assertThat(updater.download(updater.targetInfo(BUNDLE_PATH))).isEqualTo(v2);
    assertThat(updater.trustedVersions())
        .containsEntry("watchlist", 2L)
        .containsEntry("snapshot", 2L);
  }

  @Test
  void rejectsUnknownTarget() {
    TufUpdater updater = given.updater();
    updater.refresh();
    rejects(UNKNOWN_TARGET, () -> updater.targetInfo("watchlist/other.bin"))
        .contains("watchlist/other.bin");
  }

  @Test
  void ignoresTargetListedByARoleNotDelegatedForItsPath() {
    // watchlist's key signs a watchlist v2 that also claims a model path; the models path is
    // delegated (terminating) to models only, so the claim is never consulted.
    byte[] evil = "evil model".getBytes(StandardCharsets.UTF_8);
    Targets forged =
        new Targets(
            2,
            given.clock.instant().plus(Duration.ofDays(30)),
            Map.of("models/evil.tflite", TargetFile.of(evil, MissingNode.getInstance())),
            Delegations.NONE);
    byte[] forgedBytes = given.signed(forged, given.watchlistKeys);
    given.serveMeta("2.watchlist.json", forgedBytes);
    Snapshot snap = Metadata.parse(given.meta("snapshot.json"), Snapshot.class).signed();
    Map<String, MetaFile> meta = new java.util.HashMap<>(snap.meta());
    meta.put("watchlist.json", MetaFile.ofVersion(2));
    byte[] snapBytes = given.signed(new Snapshot(2, snap.expires(), meta), given.snapshotKeys);
    given.serveMeta("2.snapshot.json", snapBytes);
    given.serveTimestampFor(2, 2, snapBytes);
    TufUpdater updater = given.updater();
    updater.refresh();

    rejects(UNKNOWN_TARGET, () -> updater.targetInfo("models/evil.tflite"));
  }

  @Test
  void followsRootRotationChain() {
    TufUpdater updater = given.updater();
    updater.refresh();
    given.repo.rotate(TopLevel.ROOT, RoleKeys.generate(2, 2));
    given.repo.rotate(TopLevel.TIMESTAMP, RoleKeys.generate(1, 1));
    given.repo.publish();
    given.serve();

    updater.refresh();

    assertThat(updater.trustedVersions()).containsEntry("root", 3L);
    assertThat(updater.download(updater.targetInfo(BUNDLE_PATH))).isEqualTo(BUNDLE);
    assertThat(Metadata.parse(given.store.get("root"), Root.class).signed().version()).isEqualTo(3);
  }

  @Test
  void rejectsRotationNotSignedByTheOldRootThreshold() {
    RoleKeys newRoot = RoleKeys.generate(1, 1);
    Root current = given.repo.root().signed();
    Map<String, TufKey> keys = new java.util.HashMap<>(current.keys());
    newRoot.keys().forEach(k -> keys.put(k.keyId(), k.publicKey()));
    Map<String, Role> roles = new java.util.HashMap<>(current.roles());
    roles.put(TopLevel.ROOT, newRoot.role());
    Root v2 = new Root(2, current.expires(), true, keys, roles);
    // Signed by the new key and only one of the two required old keys.
    List<SigningKey> signers = List.of(newRoot.keys().get(0), given.rootKeys.keys().get(0));
    given.serveMeta("2.root.json", Metadata.sign(v2, signers).toBytes());

    rejects(THRESHOLD, () -> given.updater().refresh())
        .contains("root")
        .contains("1 valid signature(s) of 2");
  }

  @Test
  void rejectsRootSignedByOldKeysAfterRotation() {
    given.repo.rotate(TopLevel.ROOT, RoleKeys.generate(2, 2));
    given.serve();
    TufUpdater updater = given.updater();
    updater.refresh();
    Root v2 = given.repo.root().signed();
    Root v3 = new Root(3, v2.expires(), true, given.repo.root().signed().keys(), v2.roles());
    given.serveMeta("3.root.json", Metadata.sign(v3, given.rootKeys.keys()).toBytes());

    rejects(THRESHOLD, () -> updater.refresh()).contains("trusted root v2");
  }

  @Test
  void writesARepositoryDirectoryTheDirectoryFetcherReads(@TempDir Path dir) {
    given.repo.writeTo(dir);
    TufUpdater updater =
        new TufUpdater(
            given.memoryStore(), new DirectoryFetcher(dir), given.clock, FetchLimits.DEFAULTS);
    updater.refresh();

    assertThat(dir.resolve("metadata/1.root.json")).exists();
    assertThat(dir.resolve("metadata/1.watchlist.json")).exists();
    assertThat(dir.resolve("targets/watchlist/" + Hashes.sha256Hex(BUNDLE) + ".bundle.bin"))
        .exists();
    assertThat(updater.download(updater.targetInfo(BUNDLE_PATH))).isEqualTo(BUNDLE);
  }

  @Test
  void persistsTrustedMetadataInADirectoryStore(@TempDir Path dir) {
    DirectoryMetadataStore store = new DirectoryMetadataStore(dir);
    store.save("root", given.repo.root().toBytes());
    new TufUpdater(store, given.fetcher(), given.clock, FetchLimits.DEFAULTS).refresh();

    assertThat(store.load("timestamp")).isPresent();
    assertThat(store.load("snapshot")).isPresent();
  }
}
