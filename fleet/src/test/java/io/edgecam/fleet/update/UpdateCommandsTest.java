package io.edgecam.fleet.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.Vectors;
import io.edgecam.protocol.bundle.PseudonymousId;
import io.edgecam.protocol.bundle.WatchlistBundle;
import io.edgecam.protocol.bundle.WatchlistBundleCodec;
import io.edgecam.protocol.tuf.DirectoryFetcher;
import io.edgecam.protocol.tuf.DirectoryMetadataStore;
import io.edgecam.protocol.tuf.EdgecamTarget;
import io.edgecam.protocol.tuf.FetchLimits;
import io.edgecam.protocol.tuf.Metadata;
import io.edgecam.protocol.tuf.Root;
import io.edgecam.protocol.tuf.SigningKey;
import io.edgecam.protocol.tuf.Timestamp;
import io.edgecam.protocol.tuf.TopLevel;
import io.edgecam.protocol.tuf.TufException;
import io.edgecam.protocol.tuf.TufUpdater;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The maintainer commands on disk (no broker): keys, repository, root and key rotation as a device
 * sees them, and the watchlist bundle's content.
 */
class UpdateCommandsTest {
  @TempDir Path dir;

  private Path keys() {
    return dir.resolve("keys");
  }

  private Path repo() {
    return dir.resolve("repo");
  }

  private Cli.Run ok(String... args) {
    Cli.Run r = Cli.run(args);
    assertThat(r.exit()).as(r.toString()).isZero();
    return r;
  }

  private void initRepo() {
    ok("keys", "init", "--dir", keys().toString());
    ok("repo", "init", "--keys", keys().toString(), "--repo", repo().toString());
  }

  /** A device that shipped with root v1 and reads the repository directory. */
  private TufUpdater device(String name) throws Exception {
    Path store = Files.createDirectories(dir.resolve(name));
    if (!Files.exists(store.resolve("root.json"))) {
      Files.copy(repo().resolve("metadata/1.root.json"), store.resolve("root.json"));
    }
    return new TufUpdater(
        new DirectoryMetadataStore(store),
        new DirectoryFetcher(repo()),
        Clock.systemUTC(),
        FetchLimits.DEFAULTS);
  }

  @Test
  void everyUpdateCommandHasHelp() {
    for (String cmd :
        List.of(
            "keys init",
            "repo init",
            "repo status",
            "repo add-target",
            "repo remove-target",
            "repo timestamp",
            "repo publish",
            "repo rotate-root",
            "repo rotate-key",
            "watchlist publish",
            "watchlist rollout",
            "model publish",
            "model rollout")) {
      List<String> args = new java.util.ArrayList<>(List.of(cmd.split(" ")));
      args.add("--help");
      Cli.Run r = Cli.run(args.toArray(String[]::new));
      assertThat(r.exit()).as(cmd + "\n" + r).isZero();
      assertThat(r.out()).as(cmd).contains("Usage: edgecam " + cmd);
    }
  }

  @Test
  void keysInitRefusesToOverwriteWithoutForce() throws Exception {
    ok("keys", "init", "--dir", keys().toString(), "--root-keys", "3", "--root-threshold", "2");
    byte[] index = Files.readAllBytes(keys().resolve("keys.json"));

    Cli.Run again = Cli.run("keys", "init", "--dir", keys().toString());
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("refusing to overwrite").contains("--force");
    assertThat(Files.readAllBytes(keys().resolve("keys.json"))).isEqualTo(index);

    ok("keys", "init", "--dir", keys().toString(), "--force");
    assertThat(Files.readAllBytes(keys().resolve("keys.json"))).isNotEqualTo(index);
    try (Stream<Path> retired = Files.list(keys().resolve("retired"))) {
      assertThat(retired.filter(p -> p.toString().endsWith(".pem")).count()).isEqualTo(3 + 5);
    }
    try (Stream<Path> s = Files.list(keys())) {
      for (Path p : s.filter(p -> p.toString().endsWith(".pem")).toList()) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
            .as(p.toString())
            .isEqualTo("rw-------");
      }
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys())))
        .isEqualTo("rwx------");
    assertThat(
            Cli.run(
                    "keys",
                    "init",
                    "--dir",
                    dir.resolve("k2").toString(),
                    "--root-keys",
                    "1",
                    "--root-threshold",
                    "2")
                .exit())
        .isEqualTo(2);
  }

  @Test
  void rootKeysCanBePassphraseEncrypted() throws Exception {
    Path pass = dir.resolve("pass");
    Files.writeString(pass, "correct horse battery staple\n");
    ok("keys", "init", "--dir", keys().toString(), "--passphrase-file", pass.toString());
    try (Stream<Path> s = Files.list(keys())) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith("root-")).toList()) {
        assertThat(Files.readString(p)).contains("BEGIN ENCRYPTED PRIVATE KEY");
      }
    }
    assertThat(
            Files.readString(
                keys()
                    .resolve(
                        Files.list(keys())
                            .filter(p -> p.getFileName().toString().startsWith("timestamp-"))
                            .findFirst()
                            .orElseThrow()
                            .getFileName())))
        .contains("BEGIN PRIVATE KEY");
    Cli.Run without =
        Cli.run("repo", "init", "--keys", keys().toString(), "--repo", repo().toString());
    assertThat(without.exit()).isEqualTo(1);
    assertThat(without.err()).contains("the key is encrypted; give the passphrase");
    Path wrong = dir.resolve("wrong");
    Files.writeString(wrong, "nope");
    assertThat(
            Cli.run(
                    "repo",
                    "init",
                    "--keys",
                    keys().toString(),
                    "--repo",
                    repo().toString(),
                    "--passphrase-file",
                    wrong.toString())
                .err())
        .contains("wrong passphrase");
    ok(
        "repo",
        "init",
        "--keys",
        keys().toString(),
        "--repo",
        repo().toString(),
        "--passphrase-file",
        pass.toString());
    // publishing needs no root key, so no passphrase
    ok("repo", "timestamp", "--keys", keys().toString(), "--repo", repo().toString());
  }

  @Test
  void rotateRootIsFollowedByADeviceThatOnlyKnowsTheOldRoot() throws Exception {
    initRepo();
    TufUpdater device = device("device");
    device.refresh();

    Cli.Run r =
        ok(
            "repo",
            "rotate-root",
            "--keys",
            keys().toString(),
            "--repo",
            repo().toString(),
            "--root-keys",
            "2",
            "--root-threshold",
            "2");
    assertThat(r.out()).contains("root is now v2");
    publishWatchlist("--dry-run");

    TufUpdater fresh = device("fresh"); // only ever saw root v1
    fresh.refresh();
    assertThat(fresh.trustedVersions()).containsEntry("root", 2L);
    assertThat(fresh.targetsOf("watchlist")).hasSize(1);
    Root v2 =
        Metadata.parse(Files.readAllBytes(repo().resolve("metadata/2.root.json")), Root.class)
            .signed();
    assertThat(v2.role(TopLevel.ROOT).keyIds()).hasSize(2);
    // a second rotation: the chain 1 -> 2 -> 3
    ok("repo", "rotate-root", "--keys", keys().toString(), "--repo", repo().toString());
    device.refresh();
    assertThat(device.trustedVersions()).containsEntry("root", 3L);
  }

  @Test
  void afterRotationMetadataSignedOnlyByARemovedKeyIsRejected() throws Exception {
    initRepo();
    List<SigningKey> oldRoot = keysOf("root-");
    SigningKey oldTimestamp = keysOf("timestamp-").get(0);
    TufUpdater device = device("device");
    device.refresh();

    ok("repo", "rotate-root", "--keys", keys().toString(), "--repo", repo().toString());
    ok(
        "repo",
        "rotate-key",
        "--role",
        "timestamp",
        "--keys",
        keys().toString(),
        "--repo",
        repo().toString());
    device.refresh();
    assertThat(device.trustedVersions()).containsEntry("root", 3L);

    // An attacker who kept the removed root keys signs a root v4 naming their own timestamp key.
    Root v3 =
        Metadata.parse(Files.readAllBytes(repo().resolve("metadata/3.root.json")), Root.class)
            .signed();
    Root forged = new Root(4, v3.expires(), true, v3.keys(), v3.roles());
    Files.write(repo().resolve("metadata/4.root.json"), Metadata.sign(forged, oldRoot).toBytes());
    TufUpdater pinned = device("pinned-to-old-root"); // ships root v1, signed by the old keys
    assertThatThrownBy(pinned::refresh)
        .isInstanceOfSatisfying(
            TufException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(TufException.Kind.THRESHOLD);
              assertThat(e.getMessage()).contains("trusted root v3").contains("v4");
            });
    Files.delete(repo().resolve("metadata/4.root.json"));

    // A timestamp signed by the removed timestamp key is rejected too.
    Timestamp current =
        Metadata.parse(
                Files.readAllBytes(repo().resolve("metadata/timestamp.json")), Timestamp.class)
            .signed();
    Files.write(
        repo().resolve("metadata/timestamp.json"),
        Metadata.sign(
                new Timestamp(current.version() + 1, current.expires(), current.snapshot()),
                List.of(oldTimestamp))
            .toBytes());
    assertThatThrownBy(device::refresh)
        .isInstanceOfSatisfying(
            TufException.class, e -> assertThat(e.kind()).isEqualTo(TufException.Kind.THRESHOLD));
  }

  @Test
  void watchlistPublishShipsNoNamesNoLegalBasisAndNoEntryIds() throws Exception {
    initRepo();
    Path db = dir.resolve("matcher.db");
    Instant now = Instant.now();
    Random random = new Random(3);
    var alice = Entries.entry("alice-2026", Vectors.unit(random), now);
    var bob =
        Entries.entry("bob-2026", Vectors.unit(random), now.plus(Duration.ofDays(3)), 0.7, now);
    // The devices match at the operating point the matcher computes for the live list.
    double calibrated =
        io.edgecam.matcher.config.ThresholdConfig.defaults()
            .policy()
            .at(2, io.edgecam.matcher.calibration.ListScores.of(List.of(alice, bob)))
            .threshold();
    try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
      s.putEntry(alice);
      s.putEntry(bob);
      s.putEntry(
          Entries.entry(
              "carol-expired",
              Vectors.unit(random),
              now.minusSeconds(60),
              null,
              now.minus(Duration.ofDays(2))));
    }
    Cli.Run r = publishWatchlist("--dry-run", "--store", db.toString(), "--json");
    assertThat(r.out()).contains("\"entries\":2").contains("\"skippedExpired\":1");

    TufUpdater device = device("device");
    device.refresh();
    EdgecamTarget.Listed chosen =
        EdgecamTarget.select(
                device.targetsOf("watchlist"), EdgecamTarget.Kind.WATCHLIST, Vectors.MODEL, "cam-1")
            .orElseThrow();
    byte[] bytes = device.download(device.targetInfo(chosen.path()));
    WatchlistBundle bundle = WatchlistBundleCodec.decode(bytes);

    byte[] aliasKey = KeyDirectory.open(keys(), null).aliasKey();
    assertThat(bundle.model()).isEqualTo(Vectors.MODEL);
    assertThat(bundle.version()).isEqualTo(chosen.target().version()).isEqualTo(1);
    assertThat(bundle.entries())
        .extracting(WatchlistBundle.Entry::alias)
        .containsExactlyInAnyOrder(
            PseudonymousId.of(aliasKey, "alice-2026"), PseudonymousId.of(aliasKey, "bob-2026"));
    assertThat(bundle.entries())
        .extracting(WatchlistBundle.Entry::threshold)
        .containsExactlyInAnyOrder((float) calibrated, 0.7f);
    String raw = new String(bytes, StandardCharsets.ISO_8859_1);
    String meta = Files.readString(repo().resolve("metadata/watchlist.json"));
    for (String secret : List.of("alice", "bob", "carol", "Label", "warrant", "tester")) {
      assertThat(raw).as("bundle bytes").doesNotContain(secret);
      assertThat(meta).as("watchlist metadata").doesNotContain(secret);
    }

    // the next publish is v2 and delists v1 (its entries may have been removed since)
    try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
      s.removeEntry("bob-2026");
    }
    publishWatchlist("--dry-run", "--store", db.toString());
    device.refresh();
    assertThat(device.targetsOf("watchlist")).hasSize(1);
    EdgecamTarget.Listed v2 =
        EdgecamTarget.select(
                device.targetsOf("watchlist"), EdgecamTarget.Kind.WATCHLIST, Vectors.MODEL, "cam-1")
            .orElseThrow();
    assertThat(v2.target().version()).isEqualTo(2);
    assertThat(WatchlistBundleCodec.decode(device.download(device.targetInfo(v2.path()))).entries())
        .hasSize(1);
    try (Stream<Path> files = Files.list(repo().resolve("targets/watchlist"))) {
      assertThat(files.count()).as("old bundle files deleted").isEqualTo(1);
    }
  }

  @Test
  void repoStatusAddRemoveAndTimestamp() throws Exception {
    initRepo();
    Path f = dir.resolve("file.bin");
    Files.write(f, new byte[] {1, 2, 3});
    ok(
        "repo",
        "add-target",
        "--keys",
        keys().toString(),
        "--repo",
        repo().toString(),
        "--role",
        "models",
        "--path",
        "models/extra.bin",
        f.toString());
    Cli.Run bad =
        Cli.run(
            "repo",
            "add-target",
            "--keys",
            keys().toString(),
            "--repo",
            repo().toString(),
            "--role",
            "models",
            "--path",
            "watchlist/x.bin",
            f.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("may not sign watchlist/x.bin");
    ok("repo", "timestamp", "--keys", keys().toString(), "--repo", repo().toString());
    Cli.Run status = ok("repo", "status", "--repo", repo().toString(), "--json");
    assertThat(status.out())
        .contains("\"timestamp\":{\"version\":3")
        .contains("\"models\":{\"version\":2")
        .contains("models/extra.bin");
    Cli.Run text = ok("repo", "status", "--repo", repo().toString());
    assertThat(text.out()).contains("timestamp").contains("0d 23h");
    assertThat(
            Cli.run("repo", "status", "--repo", repo().toString(), "--warn-within", "P2D").exit())
        .as("the 1-day timestamp is within 2 days of expiry")
        .isEqualTo(1);
    ok(
        "repo",
        "remove-target",
        "--keys",
        keys().toString(),
        "--repo",
        repo().toString(),
        "--role",
        "models",
        "--path",
        "models/extra.bin");
    assertThat(
            Cli.run(
                    "repo",
                    "remove-target",
                    "--keys",
                    keys().toString(),
                    "--repo",
                    repo().toString(),
                    "--role",
                    "models",
                    "--path",
                    "models/extra.bin")
                .exit())
        .isEqualTo(1);
    assertThat(
            Cli.run("repo", "init", "--keys", keys().toString(), "--repo", repo().toString()).err())
        .contains("already holds a TUF repository");
  }

  private Cli.Run publishWatchlist(String... extra) throws Exception {
    Path db = dir.resolve("matcher.db");
    if (!Files.exists(db)) {
      try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
        s.putEntry(Entries.entry("dora", Vectors.unit(new Random(9)), Instant.now()));
      }
    }
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "watchlist", "publish", "--keys", keys().toString(), "--repo", repo().toString()));
    if (!List.of(extra).contains("--store")) {
      args.add("--store");
      args.add(db.toString());
    }
    args.addAll(List.of(extra));
    return ok(args.toArray(String[]::new));
  }

  /** The keys of files whose names start with {@code prefix}, wherever they are now. */
  private List<SigningKey> keysOf(String prefix) throws Exception {
    try (Stream<Path> s = Files.list(keys())) {
      return s.filter(p -> p.getFileName().toString().startsWith(prefix))
          .sorted()
          .map(UpdateCommandsTest::readPem)
          .toList();
    }
  }

  static SigningKey readPem(Path p) {
    try {
      String t = Files.readString(p);
      return SigningKey.fromEncoded(block(t, "PRIVATE KEY"), block(t, "PUBLIC KEY"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] block(String text, String type) {
    String begin = "-----BEGIN " + type + "-----";
    int b = text.indexOf(begin);
    int e = text.indexOf("-----END " + type + "-----");
    return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
  }
}
