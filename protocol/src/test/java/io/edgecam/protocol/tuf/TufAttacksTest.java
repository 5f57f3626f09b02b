package io.edgecam.protocol.tuf;

import static io.edgecam.protocol.tuf.TufException.Kind.BAD_SIGNATURE;
import static io.edgecam.protocol.tuf.TufException.Kind.EXPIRED;
import static io.edgecam.protocol.tuf.TufException.Kind.HASH_MISMATCH;
import static io.edgecam.protocol.tuf.TufException.Kind.LENGTH;
import static io.edgecam.protocol.tuf.TufException.Kind.ROLLBACK;
import static io.edgecam.protocol.tuf.TufException.Kind.THRESHOLD;
import static io.edgecam.protocol.tuf.TufException.Kind.VERSION_MISMATCH;
import static io.edgecam.protocol.tuf.TufFixture.BUNDLE;
import static io.edgecam.protocol.tuf.TufFixture.BUNDLE_PATH;
import static io.edgecam.protocol.tuf.TufFixture.rejects;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each attack of the TUF threat model, as python-tuf's and tuf-js's tests name them. */
class TufAttacksTest {
  private final TufFixture given = new TufFixture();

  private void publishAgain() {
    given.repo.addTarget(
        "watchlist",
        BUNDLE_PATH,
        "v2".getBytes(StandardCharsets.UTF_8),
        com.fasterxml.jackson.databind.node.MissingNode.getInstance());
    given.repo.publish();
    given.serve();
  }

  @Test
  void rejectsTimestampRollback() {
    byte[] oldTimestamp = given.meta("timestamp.json");
    publishAgain();
    given.updater().refresh();
    given.serveMeta("timestamp.json", oldTimestamp);

    rejects(ROLLBACK, () -> given.updater().refresh())
        .contains("timestamp v1")
        .contains("trusted v2");
  }

  @Test
  void rejectsSnapshotRollbackNamedByANewerTimestamp() {
    byte[] oldSnapshot = given.meta("1.snapshot.json");
    publishAgain();
    given.updater().refresh();
    given.serveTimestampFor(3, 1, oldSnapshot);

    rejects(ROLLBACK, () -> given.updater().refresh())
        .contains("snapshot v1")
        .contains("trusted v2");
  }

  @Test
  void rejectsDelegatedRoleRollbackInSnapshot() {
    publishAgain();
    given.updater().refresh();
    Snapshot s2 = Metadata.parse(given.meta("2.snapshot.json"), Snapshot.class).signed();
    Map<String, MetaFile> meta = new HashMap<>(s2.meta());
    meta.put("watchlist.json", MetaFile.ofVersion(1));
    byte[] s3 = given.signed(new Snapshot(3, s2.expires(), meta), given.snapshotKeys);
    given.serveMeta("3.snapshot.json", s3);
    given.serveTimestampFor(3, 3, s3);

    rejects(ROLLBACK, () -> given.updater().refresh())
        .contains("watchlist.json v1")
        .contains("trusted v2");
  }

  @Test
  void rejectsRootWithSkippedVersion() {
    given.repo.rotate(TopLevel.ROOT, given.rootKeys);
    given.repo.rotate(TopLevel.ROOT, given.rootKeys);
    given.serve();
    given.serveMeta("2.root.json", given.meta("3.root.json"));

    rejects(ROLLBACK, () -> given.updater().refresh())
        .contains("root v3")
        .contains("expected version 2");
  }

  @Test
  void rejectsExpiredTimestamp() {
    given.clock.advance(Duration.ofDays(2));
    rejects(EXPIRED, () -> given.updater().refresh()).contains("timestamp v1 expired");
  }

  @Test
  void rejectsExpiredSnapshotEvenWithAFreshTimestamp() {
    given.clock.advance(Duration.ofDays(8));
    given.repo.refreshTimestamp();
    given.serve();
    rejects(EXPIRED, () -> given.updater().refresh()).contains("snapshot v1 expired");
  }

  @Test
  void rejectsExpiredRoot() {
    given.clock.advance(Duration.ofDays(366));
    rejects(EXPIRED, () -> given.updater().refresh()).contains("root v1 expired");
  }

  @Test
  void rejectsTargetWithWrongHash() {
    TufUpdater updater = given.updater();
    updater.refresh();
    TargetInfo info = updater.targetInfo(BUNDLE_PATH);
    byte[] evil = BUNDLE.clone();
    evil[0] ^= 1;
    given.served.put("targets/watchlist/" + info.file().sha256() + ".bundle.bin", evil);

    rejects(HASH_MISMATCH, () -> updater.download(info)).contains(BUNDLE_PATH);
  }

  @Test
  void stopsReadingATargetBeyondItsDeclaredLength() {
    TufUpdater updater = given.updater();
    updater.refresh();
    TargetInfo info = updater.targetInfo(BUNDLE_PATH);
    given.served.put(
        "targets/watchlist/" + info.file().sha256() + ".bundle.bin", new byte[10 * 1024 * 1024]);

    rejects(LENGTH, () -> updater.download(info));
  }

  @Test
  void stopsReadingAnEndlessTimestamp() {
    given.serveMeta("timestamp.json", new byte[1024 * 1024]);
    rejects(LENGTH, () -> given.updater().refresh()).contains("timestamp.json");
  }

  @Test
  void rejectsSnapshotWhoseHashDiffersFromTheTimestamp() {
    byte[] snap = given.meta("1.snapshot.json").clone();
    snap[snap.length - 2] = (byte) (snap[snap.length - 2] == ' ' ? '\t' : ' ');
    given.serveMeta("1.snapshot.json", snap);
    rejects(HASH_MISMATCH, () -> given.updater().refresh()).contains("snapshot v1");
  }

  @Test
  void snapshotListsLengthAndHashOfEveryTargetsRole() {
    Snapshot snap = Metadata.parse(given.meta("1.snapshot.json"), Snapshot.class).signed();
    assertThat(snap.meta()).containsOnlyKeys("targets.json", "watchlist.json", "models.json");
    snap.meta()
        .forEach(
            (name, file) -> {
              byte[] role = given.meta(file.version() + "." + name);
              assertThat(file.length()).as(name).isEqualTo(role.length);
              assertThat(file.hashes()).as(name).containsEntry("sha256", Hashes.sha256Hex(role));
            });
  }

  @Test
  void stopsReadingADelegatedRolePaddedBeyondTheLengthInTheSnapshot() {
    byte[] role = given.meta("1.watchlist.json");
    byte[] padded = Arrays.copyOf(role, role.length + 4096);
    Arrays.fill(padded, role.length, padded.length, (byte) ' ');
    given.serveMeta("1.watchlist.json", padded);
    TufUpdater updater = given.updater();
    updater.refresh();
    rejects(LENGTH, () -> updater.targetInfo(BUNDLE_PATH))
        .contains("1.watchlist.json")
        .contains("allowed " + role.length + " bytes");
  }

  @Test
  void rejectsMetadataSignedByAnUnknownKey() {
    Timestamp ts = Metadata.parse(given.meta("timestamp.json"), Timestamp.class).signed();
    given.serveMeta("timestamp.json", given.signed(ts, RoleKeys.generate(1, 1)));
    rejects(THRESHOLD, () -> given.updater().refresh())
        .contains("timestamp v1")
        .contains("ignored keys");
  }

  @Test
  void rejectsTamperedSignedContent() {
    Metadata<Timestamp> ts = Metadata.parse(given.meta("timestamp.json"), Timestamp.class);
    Timestamp longer =
        new Timestamp(1, ts.signed().expires().plus(Duration.ofDays(365)), ts.signed().snapshot());
    given.serveMeta(
        "timestamp.json",
        Metadata.sign(longer, List.of()).withSignatures(ts.signatures()).toBytes());
    rejects(BAD_SIGNATURE, () -> given.updater().refresh()).contains("timestamp v1");
  }

  @Test
  void rejectsRootBelowThreshold() {
    given.repo.rotate(TopLevel.TARGETS, RoleKeys.generate(1, 1));
    Metadata<Root> v2 = Metadata.parse(given.repo.files().get("metadata/2.root.json"), Root.class);
    given.serveMeta("2.root.json", v2.withSignatures(v2.signatures().subList(0, 1)).toBytes());
    rejects(THRESHOLD, () -> given.updater().refresh())
        .contains("root")
        .contains("1 valid signature(s) of 2");
  }

  @Test
  void countsDuplicateSignaturesByOneKeyOnce() {
    given.repo.rotate(TopLevel.TARGETS, RoleKeys.generate(1, 1));
    Metadata<Root> v2 = Metadata.parse(given.repo.files().get("metadata/2.root.json"), Root.class);
    Signature one = v2.signatures().get(0);
    given.serveMeta("2.root.json", v2.withSignatures(List.of(one, one, one)).toBytes());
    rejects(THRESHOLD, () -> given.updater().refresh()).contains("1 valid signature(s) of 2");
  }

  @Test
  void rejectsMixAndMatchOfDelegatedRoleVersions() {
    byte[] oldWatchlist = given.meta("1.watchlist.json");
    publishAgain();
    given.serveMeta("2.watchlist.json", oldWatchlist);
    TufUpdater updater = given.updater();
    updater.refresh();

    // The snapshot lists each role's length and hash, so the old file is refused before its
    // version is read (it is longer than the v2 file the snapshot names).
    rejects(LENGTH, () -> updater.targetInfo(BUNDLE_PATH)).contains("2.watchlist.json");
  }

  @Test
  void rejectsSnapshotOfAnotherVersionThanTheTimestampNames() {
    byte[] oldSnapshot = given.meta("1.snapshot.json");
    publishAgain();
    given.serveMeta("2.snapshot.json", oldSnapshot);
    Timestamp ts = Metadata.parse(given.meta("timestamp.json"), Timestamp.class).signed();
    given.serveMeta(
        "timestamp.json",
        given.signed(
            new Timestamp(ts.version(), ts.expires(), MetaFile.ofVersion(2)), given.timestampKeys));

    rejects(VERSION_MISMATCH, () -> given.updater().refresh()).contains("snapshot v1");
  }

  @Test
  void keepsRollbackProtectionAcrossRestarts() {
    byte[] oldTimestamp = given.meta("timestamp.json");
    publishAgain();
    given.updater().refresh();
    given.serveMeta("timestamp.json", oldTimestamp);
    // A new updater (agent restart) reads the trusted timestamp v2 from the store.
    TufUpdater restarted = given.updater();
    rejects(ROLLBACK, restarted::refresh);
    assertThat(given.store).containsKey("timestamp");
  }

  @Test
  void failedRefreshKeepsThePreviousTrustedState() {
    TufUpdater updater = given.updater();
    updater.refresh();
    given.clock.advance(Duration.ofHours(1));
    List<Signature> none = new ArrayList<>();
    Metadata<Timestamp> ts = Metadata.parse(given.meta("timestamp.json"), Timestamp.class);
    given.serveMeta("timestamp.json", Arrays.copyOf(ts.withSignatures(none).toBytes(), 10));
    rejects(TufException.Kind.MALFORMED, updater::refresh);
    assertThat(updater.download(updater.targetInfo(BUNDLE_PATH))).isEqualTo(BUNDLE);
  }
}
