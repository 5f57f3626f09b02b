package io.edgecam.protocol.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The maintainer's side of a TUF repository with consistent snapshots: holds the role keys, signs
 * root, targets (delegating to named roles such as {@code watchlist} and {@code models}), snapshot
 * and timestamp, and lays the files out as python-tuf and tuf-js expect: {@code
 * metadata/N.root.json}, {@code metadata/timestamp.json}, {@code metadata/V.snapshot.json}, {@code
 * metadata/V.<role>.json} (plus unversioned copies of the latest) and {@code
 * targets/<dir>/<sha256>.<name>}. Not thread-safe: one maintainer command at a time.
 */
public final class TufRepository {
  private final Clock clock;
  private final Lifetimes lifetimes;
  private final Map<String, RoleKeys> keys = new HashMap<>();
  private final Map<String, DelegatedRole> delegated = new LinkedHashMap<>();
  private final Map<String, Map<String, TargetFile>> targets = new LinkedHashMap<>();
  private final Map<String, Long> versions = new HashMap<>();
  private final Set<String> dirty = new LinkedHashSet<>();
  private final Map<String, byte[]> files = new TreeMap<>();
  private Metadata<Root> root;
  private Metadata<Snapshot> snapshot;
  private Path loadedFrom;

  private TufRepository(Clock clock, Lifetimes lifetimes, Map<String, RoleKeys> topLevel) {
    this.clock = clock;
    this.lifetimes = lifetimes;
    for (String role : TopLevel.ALL) {
      RoleKeys k = topLevel.get(role);
      if (k == null) {
        throw new IllegalArgumentException("keys for top-level role " + role + " missing");
      }
      keys.put(role, k);
    }
    targets.put(TopLevel.TARGETS, new TreeMap<>());
    dirty.add(TopLevel.TARGETS);
    root = signRoot(1, keys.get(TopLevel.ROOT).keys());
  }

  private TufRepository(Clock clock, Lifetimes lifetimes) {
    this.clock = clock;
    this.lifetimes = lifetimes;
  }

  /**
   * Loads a repository written by {@link #writeTo} so that versions carry on: the latest root,
   * targets and delegated roles (delegations, targets, versions), snapshot and timestamp versions.
   * Target contents are read from {@code dir} when needed.
   *
   * @param keys signing keys by role name (top-level and delegated); a role without keys can be
   *     read but not re-signed
   * @throws TufException NOT_FOUND if {@code dir} holds no repository, MALFORMED if its metadata is
   *     not valid, THRESHOLD if given keys are not the ones root (or the delegating role) lists
   */
  public static TufRepository load(
      Path dir, Map<String, RoleKeys> keys, Clock clock, Lifetimes lifetimes) {
    TufRepository r = new TufRepository(clock, lifetimes);
    r.loadedFrom = dir;
    Path meta = dir.resolve("metadata");
    r.root = Metadata.parse(readFile(meta.resolve("root.json")), Root.class);
    Metadata<Targets> top = Metadata.parse(readFile(meta.resolve("targets.json")), Targets.class);
    r.snapshot = Metadata.parse(readFile(meta.resolve("snapshot.json")), Snapshot.class);
    Metadata<Timestamp> ts =
        Metadata.parse(readFile(meta.resolve("timestamp.json")), Timestamp.class);
    for (String role : TopLevel.ALL) {
      RoleKeys k = keys.get(role);
      if (k != null) {
        requireSameKeys(role, k, r.root.signed().role(role));
        r.keys.put(role, k);
      }
    }
    r.targets.put(TopLevel.TARGETS, new TreeMap<>(top.signed().targets()));
    r.versions.put(TopLevel.TARGETS, top.signed().version());
    for (DelegatedRole d : top.signed().delegations().roles()) {
      r.delegated.put(d.name(), d);
      Metadata<Targets> t =
          Metadata.parse(readFile(meta.resolve(d.name() + ".json")), Targets.class);
      r.targets.put(d.name(), new TreeMap<>(t.signed().targets()));
      r.versions.put(d.name(), t.signed().version());
      RoleKeys k = keys.get(d.name());
      if (k != null) {
        requireSameKeys(d.name(), k, d.role());
        r.keys.put(d.name(), k);
      }
    }
    r.versions.put(TopLevel.SNAPSHOT, r.snapshot.signed().version());
    r.versions.put(TopLevel.TIMESTAMP, ts.signed().version());
    return r;
  }

  private static void requireSameKeys(String role, RoleKeys given, Role listed) {
    java.util.Set<String> ids = new java.util.HashSet<>(given.role().keyIds());
    if (!ids.equals(new java.util.HashSet<>(listed.keyIds()))) {
      throw new TufException(
          TufException.Kind.THRESHOLD,
          "the keys given for role "
              + role
              + " "
              + given.role().keyIds()
              + " are not the ones the repository lists "
              + listed.keyIds());
    }
  }

  private static byte[] readFile(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new TufException(TufException.Kind.NOT_FOUND, "no repository file " + file, e);
    } catch (IOException e) {
      throw new TufException(TufException.Kind.IO, "cannot read " + file, e);
    }
  }

  /** A new repository: root v1 signed; call {@link #publish()} to sign the other roles. */
  public static TufRepository create(
      Map<String, RoleKeys> topLevelKeys, Clock clock, Lifetimes lifetimes) {
    return new TufRepository(clock, lifetimes, topLevelKeys);
  }

  /** Delegates {@code paths} from the top-level targets role to a new role {@code name}. */
  public void delegate(String name, RoleKeys roleKeys, List<String> paths, boolean terminating) {
    if (delegated.containsKey(name)) {
      throw new IllegalArgumentException("role " + name + " is already delegated");
    }
    delegated.put(name, new DelegatedRole(name, roleKeys.role(), paths, terminating));
    keys.put(name, roleKeys);
    targets.put(name, new TreeMap<>());
    dirty.add(name);
    dirty.add(TopLevel.TARGETS);
  }

  /**
   * Adds (or replaces) target {@code path} in targets role {@code role}; the file is published with
   * the next {@link #publish()}.
   */
  public TargetFile addTarget(String role, String path, byte[] content, JsonNode custom) {
    Map<String, TargetFile> roleTargets = targets.get(role);
    if (roleTargets == null) {
      throw new IllegalArgumentException("no targets role " + role);
    }
    DelegatedRole d = delegated.get(role);
    if (d != null && !d.matches(path)) {
      throw new IllegalArgumentException(
          "role " + role + " may not sign " + path + ", its paths are " + d.paths());
    }
    TargetFile file = TargetFile.of(content, custom);
    roleTargets.put(path, file);
    files.put("targets/" + hashPrefixed(path, file.sha256()), content.clone());
    dirty.add(role);
    return file;
  }

  /**
   * Removes target {@code path} from role {@code role}, with the next {@link #publish()}.
   *
   * @return false if the role did not list it
   */
  public boolean removeTarget(String role, String path) {
    Map<String, TargetFile> roleTargets = targets.get(role);
    if (roleTargets == null) {
      throw new IllegalArgumentException("no targets role " + role);
    }
    if (roleTargets.remove(path) == null) {
      return false;
    }
    dirty.add(role);
    return true;
  }

  /** The targets role {@code role} lists now (including unpublished changes). */
  public Map<String, TargetFile> targets(String role) {
    Map<String, TargetFile> t = targets.get(role);
    if (t == null) {
      throw new IllegalArgumentException("no targets role " + role);
    }
    return java.util.Collections.unmodifiableMap(t);
  }

  /** The names of all targets roles: {@code targets} and the delegated ones. */
  public Set<String> targetsRoles() {
    return java.util.Collections.unmodifiableSet(targets.keySet());
  }

  /** The delegations of the top-level targets role. */
  public List<DelegatedRole> delegations() {
    return List.copyOf(delegated.values());
  }

  /** The current version of each role (root, targets roles, snapshot, timestamp). */
  public Map<String, Long> versions() {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put(TopLevel.ROOT, root.signed().version());
    out.putAll(versions);
    return out;
  }

  /**
   * The bytes of a repository file by relative path ({@code metadata/...}, {@code targets/...}).
   */
  public byte[] file(String relativePath) {
    return requireFile(relativePath).clone();
  }

  /**
   * Signs a new version of every changed targets role, then a new snapshot listing the versions of
   * all targets roles, then a new timestamp naming that snapshot.
   */
  public void publish() {
    Instant now = clock.instant();
    Map<String, MetaFile> meta = new TreeMap<>();
    for (String role : targets.keySet()) {
      if (dirty.contains(role)) {
        long v = versions.merge(role, 1L, Long::sum);
        Delegations delegations =
            role.equals(TopLevel.TARGETS) ? topDelegations() : Delegations.NONE;
        Targets t = new Targets(v, now.plus(lifetimes.targets()), targets.get(role), delegations);
        putMetadata(role, v, Metadata.sign(t, keysOf(role).keys()).toBytes());
      }
      // Length and hashes too (TUF 1.0 allows them): a client then bounds the download of each
      // targets role exactly instead of by its own cap, and a padded or swapped file is refused.
      long version = versions.get(role);
      meta.put(
          role + ".json",
          MetaFile.of(version, requireFile("metadata/" + version + "." + role + ".json")));
    }
    dirty.clear();
    long sv = versions.merge(TopLevel.SNAPSHOT, 1L, Long::sum);
    snapshot =
        Metadata.sign(
            new Snapshot(sv, now.plus(lifetimes.snapshot()), meta),
            keysOf(TopLevel.SNAPSHOT).keys());
    putMetadata(TopLevel.SNAPSHOT, sv, snapshot.toBytes());
    refreshTimestamp();
  }

  /** Signs a new timestamp for the current snapshot (run often: timestamps expire first). */
  public void refreshTimestamp() {
    if (snapshot == null) {
      throw new IllegalStateException("publish() first: there is no snapshot yet");
    }
    long v = versions.merge(TopLevel.TIMESTAMP, 1L, Long::sum);
    Timestamp ts =
        new Timestamp(
            v,
            clock.instant().plus(lifetimes.timestamp()),
            MetaFile.of(snapshot.signed().version(), snapshot.toBytes()));
    files.put(
        "metadata/timestamp.json", Metadata.sign(ts, keysOf(TopLevel.TIMESTAMP).keys()).toBytes());
  }

  /**
   * Replaces the keys of a role. For a top-level role: writes root version N+1 signed by the old
   * root keys and, when {@code role} is root, also by the new ones, so clients can follow the
   * chain. For a delegated role: the delegating {@code targets} lists the new keys. Metadata of the
   * rotated role is re-signed on the next {@link #publish()}.
   */
  public void rotate(String role, RoleKeys newKeys) {
    DelegatedRole d = delegated.get(role);
    if (d != null) {
      // A delegated role's keys live in the delegating targets role: re-sign both.
      delegated.put(role, new DelegatedRole(role, newKeys.role(), d.paths(), d.terminating()));
      keys.put(role, newKeys);
      dirty.add(role);
      dirty.add(TopLevel.TARGETS);
      return;
    }
    if (!TopLevel.isTopLevel(role)) {
      throw new IllegalArgumentException("not a top-level or delegated role: " + role);
    }
    List<SigningKey> signers = new ArrayList<>(keysOf(TopLevel.ROOT).keys());
    keys.put(role, newKeys);
    if (role.equals(TopLevel.ROOT)) {
      for (SigningKey k : newKeys.keys()) {
        if (signers.stream().noneMatch(s -> s.keyId().equals(k.keyId()))) {
          signers.add(k);
        }
      }
    } else if (!role.equals(TopLevel.TIMESTAMP) && !role.equals(TopLevel.SNAPSHOT)) {
      dirty.add(role);
    }
    root = signRoot(root.signed().version() + 1, signers);
  }

  /** The current root metadata (give its bytes to devices as their initial trusted root). */
  public Metadata<Root> root() {
    return root;
  }

  /** Every published file by path relative to the repository directory. */
  public Map<String, byte[]> files() {
    return java.util.Collections.unmodifiableMap(files);
  }

  /**
   * What a device needs now, as a transport publishes it: every root version, the timestamp, the
   * current snapshot and targets roles (by their versioned names, e.g. {@code 7.snapshot.json}),
   * and the files of the targets the current roles list (by consistent-snapshot path, e.g. {@code
   * watchlist/<sha256>.bundle.cbor}). Superseded versions are left out.
   *
   * @param metadata metadata file name to bytes
   * @param targets target path (hash-prefixed) to bytes
   */
  public record Current(Map<String, byte[]> metadata, Map<String, byte[]> targets) {}

  /** The files of {@link Current}, after {@link #publish()}. */
  public Current current() {
    if (snapshot == null) {
      throw new IllegalStateException("publish() first: there is no snapshot yet");
    }
    Map<String, byte[]> meta = new java.util.LinkedHashMap<>();
    for (long v = 1; v <= root.signed().version(); v++) {
      meta.put(v + ".root.json", requireFile("metadata/" + v + ".root.json"));
    }
    for (String role : targets.keySet()) {
      String name = versions.get(role) + "." + role + ".json";
      meta.put(name, requireFile("metadata/" + name));
    }
    String snap = snapshot.signed().version() + ".snapshot.json";
    meta.put(snap, requireFile("metadata/" + snap));
    meta.put("timestamp.json", requireFile("metadata/timestamp.json"));
    Map<String, byte[]> out = new java.util.LinkedHashMap<>();
    for (Map<String, TargetFile> roleTargets : targets.values()) {
      roleTargets.forEach(
          (path, file) -> {
            String hp = hashPrefixed(path, file.sha256());
            out.put(hp, requireFile("targets/" + hp));
          });
    }
    return new Current(meta, out);
  }

  private byte[] requireFile(String path) {
    byte[] b = files.get(path);
    if (b == null && loadedFrom != null && Files.isRegularFile(loadedFrom.resolve(path))) {
      b = readFile(loadedFrom.resolve(path));
    }
    if (b == null) {
      throw new TufException(TufException.Kind.NOT_FOUND, "repository file missing: " + path);
    }
    return b;
  }

  /** Writes every file under {@code dir} ({@code metadata/} and {@code targets/}). */
  public void writeTo(Path dir) {
    try {
      // Content first, then metadata, timestamp last: a reader never sees a timestamp naming
      // files that are not there yet. Each file is replaced atomically.
      List<String> order = new ArrayList<>(files.keySet());
      order.sort(
          java.util.Comparator.comparingInt(
              (String f) ->
                  f.startsWith("targets/") ? 0 : f.equals("metadata/timestamp.json") ? 2 : 1));
      for (String f : order) {
        Path p = dir.resolve(f);
        Files.createDirectories(p.getParent());
        Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
        Files.write(tmp, files.get(f));
        Files.move(
            tmp,
            p,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new TufException(TufException.Kind.IO, "cannot write repository to " + dir, e);
    }
  }

  /** The consistent-snapshot name of a target: {@code <dir>/<sha256>.<base>}. */
  public static String hashPrefixed(String path, String sha256) {
    int slash = path.lastIndexOf('/');
    return path.substring(0, slash + 1) + sha256 + "." + path.substring(slash + 1);
  }

  private Delegations topDelegations() {
    Map<String, TufKey> delegatedKeys = new TreeMap<>();
    for (String name : delegated.keySet()) {
      RoleKeys k = keys.get(name);
      if (k != null) {
        k.keys().forEach(s -> delegatedKeys.put(s.keyId(), s.publicKey()));
      } else {
        for (String id : delegated.get(name).role().keyIds()) {
          delegatedKeys.put(id, loadedDelegationKey(id));
        }
      }
    }
    return new Delegations(delegatedKeys, List.copyOf(delegated.values()));
  }

  private TufKey loadedDelegationKey(String id) {
    byte[] top = requireFile("metadata/targets.json");
    TufKey k = Metadata.parse(top, Targets.class).signed().delegations().keys().get(id);
    if (k == null) {
      throw new TufException(TufException.Kind.NOT_FOUND, "no public key " + id + " in targets");
    }
    return k;
  }

  private RoleKeys keysOf(String role) {
    RoleKeys k = keys.get(role);
    if (k == null) {
      throw new TufException(
          TufException.Kind.THRESHOLD, "no signing keys for role " + role + " were given");
    }
    return k;
  }

  private Metadata<Root> signRoot(long version, List<SigningKey> signers) {
    Map<String, TufKey> rootKeys = new TreeMap<>();
    Map<String, Role> roles = new TreeMap<>();
    for (String role : TopLevel.ALL) {
      RoleKeys k = keys.get(role);
      if (k == null) {
        // loaded without this role's private keys: keep what the current root lists
        Role listed = root.signed().role(role);
        listed.keyIds().forEach(id -> rootKeys.put(id, root.signed().keys().get(id)));
        roles.put(role, listed);
      } else {
        k.keys().forEach(s -> rootKeys.put(s.keyId(), s.publicKey()));
        roles.put(role, k.role());
      }
    }
    Root r = new Root(version, clock.instant().plus(lifetimes.root()), true, rootKeys, roles);
    Metadata<Root> signed = Metadata.sign(r, signers);
    byte[] bytes = signed.toBytes();
    files.put("metadata/" + version + ".root.json", bytes);
    files.put("metadata/root.json", bytes);
    return signed;
  }

  private void putMetadata(String role, long version, byte[] bytes) {
    files.put("metadata/" + version + "." + role + ".json", bytes);
    files.put("metadata/" + role + ".json", bytes);
  }
}
