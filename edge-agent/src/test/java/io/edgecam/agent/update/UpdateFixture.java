package io.edgecam.agent.update;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.agent.config.AgentConfig;
import io.edgecam.face.image.TestData;
import io.edgecam.protocol.DeviceEvent;
import io.edgecam.protocol.bundle.WatchlistBundle;
import io.edgecam.protocol.bundle.WatchlistBundleCodec;
import io.edgecam.protocol.tuf.Delegations;
import io.edgecam.protocol.tuf.DirectoryFetcher;
import io.edgecam.protocol.tuf.EdgecamTarget;
import io.edgecam.protocol.tuf.Lifetimes;
import io.edgecam.protocol.tuf.MetaFile;
import io.edgecam.protocol.tuf.Metadata;
import io.edgecam.protocol.tuf.RoleKeys;
import io.edgecam.protocol.tuf.SigningKey;
import io.edgecam.protocol.tuf.Snapshot;
import io.edgecam.protocol.tuf.TargetFile;
import io.edgecam.protocol.tuf.Targets;
import io.edgecam.protocol.tuf.Timestamp;
import io.edgecam.protocol.tuf.TopLevel;
import io.edgecam.protocol.tuf.TufRepository;
import io.edgecam.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Given: a maintainer's TUF repository (root, targets, snapshot, timestamp; {@code watchlist}
 * delegated 2-of-2, {@code models} 1-of-1) written to {@code repo/}, the provisioned {@code
 * root.json}, an agent config with updates over the directory transport, and a clock tests move.
 */
final class UpdateFixture {
  static final String DEVICE = "cam-upd";
  static final ObjectMapper JSON = new ObjectMapper();

  final Path dir;
  final Path repoDir;
  final MutableClock clock = new MutableClock(Instant.now());
  final RoleKeys snapshotKeys = RoleKeys.generate(1, 1);
  final RoleKeys timestampKeys = RoleKeys.generate(1, 1);
  final RoleKeys watchlistKeys = RoleKeys.generate(2, 2);
  final RoleKeys modelsKeys = RoleKeys.generate(1, 1);
  final TufRepository repo;
  final List<DeviceEvent> events = new CopyOnWriteArrayList<>();

  UpdateFixture(Path dir) throws IOException {
    this.dir = dir;
    this.repoDir = dir.resolve("repo");
    repo =
        TufRepository.create(
            Map.of(
                TopLevel.ROOT,
                RoleKeys.generate(1, 1),
                TopLevel.TARGETS,
                RoleKeys.generate(1, 1),
                TopLevel.SNAPSHOT,
                snapshotKeys,
                TopLevel.TIMESTAMP,
                timestampKeys),
            clock,
            Lifetimes.DEFAULTS);
    repo.delegate(UpdateClient.WATCHLIST_ROLE, watchlistKeys, List.of("watchlist/*"), true);
    repo.delegate(UpdateClient.MODELS_ROLE, modelsKeys, List.of("models/*"), true);
    repo.publish();
    repo.writeTo(repoDir);
    Files.write(dir.resolve("root.json"), repo.root().toBytes());
  }

  /** The agent config; {@code extra} lines are appended (top-level keys not set here). */
  AgentConfig config(int probationMinutes, String extra) {
    return AgentConfig.parse(yaml(probationMinutes, extra), "agent.yaml", dir);
  }

  /** The text of {@link #config(int, String)}, to be read from {@link #dir}. */
  String yaml(int probationMinutes, String extra) {
    return """
        device: %s
        site: it
        stateDir: state
        source: {type: folder, path: images, fps: 0}
        tracker: {bestShotIntervalMs: 0}
        pipeline: {models: "%s", precision: float}
        updates:
          enabled: true
          root: root.json
          transport: directory
          repository: repo
          refreshSeconds: 3600
          modelProbationMinutes: %d
        %s
        """
        .formatted(DEVICE, TestData.models(), probationMinutes, extra);
  }

  AgentConfig config() {
    return config(10, "");
  }

  /** A client on {@link #config()} with the test clock. */
  UpdateClient client(StageHook hook, AnalyzerFactory factory) {
    return UpdateClient.open(config(), "0.1.0", clock, hook, factory);
  }

  UpdateClient client() {
    return client(StageHook.NONE, AnalyzerFactory.DEFAULT);
  }

  /** Starts {@code c} on the repository directory and runs one refresh to its end. */
  void refresh(UpdateClient c, boolean start) throws Exception {
    if (start) {
      c.start(new DirectoryFetcher(repoDir), events::add);
    }
    c.refreshNow().get(120, TimeUnit.SECONDS);
  }

  static String watchlistPath(WatchlistBundle b) {
    return "watchlist/" + b.model() + "-v" + b.version() + ".bin";
  }

  /** Adds {@code b} as a target of the watchlist role (name = its model tag); not yet published. */
  String addWatchlist(WatchlistBundle b) {
    String path = watchlistPath(b);
    repo.addTarget(
        UpdateClient.WATCHLIST_ROLE,
        path,
        WatchlistBundleCodec.encode(b),
        new EdgecamTarget(EdgecamTarget.Kind.WATCHLIST, b.model(), b.version(), null, null)
            .toCustom());
    return path;
  }

  /** Signs new metadata for what was added and writes the repository. */
  void publish() {
    repo.publish();
    repo.writeTo(repoDir);
  }

  /** Update events with detail {@code kind}, in order. */
  List<Map<String, String>> results(String kind) {
    return events.stream()
        .filter(e -> e.type().equals(UpdateResult.TYPE) && kind.equals(e.detail().get("kind")))
        .map(DeviceEvent::detail)
        .toList();
  }

  byte[] metadata(String name) throws IOException {
    return Files.readAllBytes(repoDir.resolve("metadata").resolve(name));
  }

  void writeMetadata(String name, byte[] bytes) throws IOException {
    Files.write(repoDir.resolve("metadata").resolve(name), bytes);
  }

  /**
   * An attacker who holds the snapshot and timestamp keys (online keys) but signs the watchlist
   * role with {@code signers}: watchlist v{@code roleVersion} listing {@code bundle}, a snapshot
   * naming it and a timestamp naming that snapshot.
   */
  String serveForgedWatchlist(WatchlistBundle bundle, long roleVersion, List<SigningKey> signers)
      throws IOException {
    String path = watchlistPath(bundle);
    byte[] content = WatchlistBundleCodec.encode(bundle);
    TargetFile file =
        TargetFile.of(
            content,
            new EdgecamTarget(
                    EdgecamTarget.Kind.WATCHLIST, bundle.model(), bundle.version(), null, null)
                .toCustom());
    Instant expires = clock.instant().plus(Duration.ofDays(30));
    byte[] role =
        Metadata.sign(
                new Targets(roleVersion, expires, Map.of(path, file), Delegations.NONE), signers)
            .toBytes();
    writeMetadata(roleVersion + ".watchlist.json", role);
    Path target = repoDir.resolve("targets/watchlist/" + file.sha256() + "." + path.substring(10));
    Files.write(target, content);
    Snapshot current = Metadata.parse(metadata("snapshot.json"), Snapshot.class).signed();
    Map<String, MetaFile> meta = new HashMap<>(current.meta());
    meta.put("watchlist.json", MetaFile.ofVersion(roleVersion));
    long sv = current.version() + 1;
    byte[] snapshot = Metadata.sign(new Snapshot(sv, expires, meta), snapshotKeys.keys()).toBytes();
    writeMetadata(sv + ".snapshot.json", snapshot);
    Timestamp ts = Metadata.parse(metadata("timestamp.json"), Timestamp.class).signed();
    writeMetadata(
        "timestamp.json",
        Metadata.sign(
                new Timestamp(ts.version() + 1, expires, MetaFile.of(sv, snapshot)),
                timestampKeys.keys())
            .toBytes());
    return path;
  }

  /** The repository file of target {@code path} (consistent snapshot name). */
  Path targetFile(String path, String sha256) {
    int slash = path.lastIndexOf('/');
    return repoDir
        .resolve("targets")
        .resolve(path.substring(0, slash + 1) + sha256 + "." + path.substring(slash + 1));
  }

  static ObjectNode readJson(Path file) throws IOException {
    return (ObjectNode) JSON.readTree(file.toFile());
  }
}
