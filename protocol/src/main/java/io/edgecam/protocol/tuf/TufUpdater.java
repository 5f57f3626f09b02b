package io.edgecam.protocol.tuf;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device side of TUF: the client workflow of spec section 5. {@link #refresh()} updates root
 * through the chain of versions, then timestamp, snapshot and top-level targets; {@link
 * #targetInfo} searches the delegations for a target; {@link #download} fetches it and checks its
 * length and hashes. Every check failure throws a {@link TufException} naming the attack. Metadata
 * that passed is saved in the {@link MetadataStore}. Not thread-safe: owned by the agent's update
 * component.
 */
public final class TufUpdater {
  private static final Logger log = LoggerFactory.getLogger(TufUpdater.class);

  private final MetadataStore store;
  private final TufFetcher fetcher;
  private final Clock clock;
  private final FetchLimits limits;
  private TrustedMetadata trusted;

  /**
   * An updater starting from the store's {@code root} (and its timestamp and snapshot, if any, as
   * rollback references).
   *
   * @throws TufException NOT_FOUND if the store holds no root
   */
  public TufUpdater(MetadataStore store, TufFetcher fetcher, Clock clock, FetchLimits limits) {
    this.store = store;
    this.fetcher = fetcher;
    this.clock = clock;
    this.limits = limits;
    this.trusted = load();
  }

  private TrustedMetadata load() {
    byte[] root =
        store
            .load(TopLevel.ROOT)
            .orElseThrow(
                () ->
                    new TufException(TufException.Kind.NOT_FOUND, "no trusted root in the store"));
    TrustedMetadata t = new TrustedMetadata(root, clock);
    try {
      store.load(TopLevel.TIMESTAMP).ifPresent(t::loadTrustedTimestamp);
      store.load(TopLevel.SNAPSHOT).ifPresent(t::loadTrustedSnapshot);
    } catch (TufException e) {
      // A damaged local copy is no reference; the remote one is still fully verified.
      log.warn("ignoring stored timestamp/snapshot: {}", e.getMessage());
      t.forgetTimestampAndSnapshot();
    }
    return t;
  }

  /** Runs spec 5.3 to 5.6 (top-level targets); on failure the previous state stays trusted. */
  public void refresh() {
    TrustedMetadata t = load();
    updateRoot(t);
    byte[] ts = fetchMetadata(TopLevel.TIMESTAMP + ".json", limits.timestampMaxLength());
    if (t.updateTimestamp(ts)) {
      store.save(TopLevel.TIMESTAMP, ts);
    }
    MetaFile snapshotMeta = t.timestamp().signed().snapshot();
    byte[] snap =
        fetchMetadata(
            name(t, TopLevel.SNAPSHOT, snapshotMeta.version()),
            maxLength(snapshotMeta, limits.snapshotMaxLength()));
    t.updateSnapshot(snap);
    store.save(TopLevel.SNAPSHOT, snap);
    loadTargets(t, TopLevel.TARGETS, TopLevel.ROOT);
    trusted = t;
    log.debug(
        "refreshed to timestamp v{}, snapshot v{}",
        t.timestamp().signed().version(),
        snapshotMeta.version());
  }

  private void updateRoot(TrustedMetadata t) {
    for (int i = 0; i < limits.maxRootRotations(); i++) {
      Root before = t.root();
      long next = before.version() + 1;
      Optional<byte[]> bytes = fetcher.fetchMetadata(next + ".root.json", limits.rootMaxLength());
      if (bytes.isEmpty()) {
        break;
      }
      checkLength(bytes.get(), limits.rootMaxLength(), "root v" + next);
      t.updateRoot(bytes.get());
      store.save(TopLevel.ROOT, bytes.get());
      log.info("root rotated to v{}", next);
      if (t.keysChanged(before, TopLevel.TIMESTAMP) || t.keysChanged(before, TopLevel.SNAPSHOT)) {
        t.forgetTimestampAndSnapshot();
        store.delete(TopLevel.TIMESTAMP);
        store.delete(TopLevel.SNAPSHOT);
      }
    }
    t.checkRootFresh();
  }

  private void loadTargets(TrustedMetadata t, String role, String parent) {
    if (t.targets(role) != null) {
      return;
    }
    MetaFile meta = t.snapshot().signed().meta().get(role + ".json");
    if (meta == null) {
      throw new TufException(
          TufException.Kind.NOT_FOUND,
          "snapshot v" + t.snapshot().signed().version() + " does not list " + role);
    }
    byte[] bytes =
        fetchMetadata(name(t, role, meta.version()), maxLength(meta, limits.targetsMaxLength()));
    t.updateTargets(role, parent, bytes);
  }

  /**
   * Finds {@code path} in the delegation graph (pre-order depth-first, honouring path patterns and
   * terminating delegations), loading delegated roles as needed (spec 5.6.7).
   *
   * @throws TufException UNKNOWN_TARGET if no trusted role lists it
   */
  public TargetInfo targetInfo(String path) {
    TrustedMetadata t = trusted;
    if (t.snapshot() == null || t.targets(TopLevel.TARGETS) == null) {
      throw new IllegalStateException("refresh() before looking up targets");
    }
    Deque<String[]> stack = new ArrayDeque<>();
    stack.push(new String[] {TopLevel.TARGETS, TopLevel.ROOT});
    Set<String> visited = new HashSet<>();
    while (!stack.isEmpty() && visited.size() < limits.maxDelegations()) {
      String[] next = stack.pop();
      String role = next[0];
      if (!visited.add(role)) {
        continue;
      }
      loadTargets(t, role, next[1]);
      Targets targets = t.targets(role).signed();
      TargetFile file = targets.targets().get(path);
      if (file != null) {
        return new TargetInfo(path, file, role);
      }
      List<String[]> children = new ArrayList<>();
      for (DelegatedRole d : targets.delegations().roles()) {
        if (d.matches(path)) {
          children.add(new String[] {d.name(), role});
          if (d.terminating()) {
            stack.clear();
            break;
          }
        }
      }
      Collections.reverse(children);
      children.forEach(stack::push);
    }
    throw new TufException(
        TufException.Kind.UNKNOWN_TARGET, "no trusted role lists target " + path);
  }

  /**
   * Every target a trusted targets role lists ({@code targets} or a role delegated from it at any
   * depth, found breadth-first through the delegations), loading the role as {@link #targetInfo}
   * does. Used to choose among versions ({@link EdgecamTarget#select}).
   *
   * @throws TufException UNKNOWN_TARGET if no trusted role delegates {@code role}, or any check
   *     failure of loading it
   */
  public Map<String, TargetFile> targetsOf(String role) {
    TrustedMetadata t = trusted;
    if (t.snapshot() == null || t.targets(TopLevel.TARGETS) == null) {
      throw new IllegalStateException("refresh() before looking up targets");
    }
    Deque<String[]> queue = new ArrayDeque<>();
    queue.add(new String[] {TopLevel.TARGETS, TopLevel.ROOT});
    Set<String> visited = new HashSet<>();
    while (!queue.isEmpty() && visited.size() < limits.maxDelegations()) {
      String[] next = queue.poll();
      if (!visited.add(next[0])) {
        continue;
      }
      loadTargets(t, next[0], next[1]);
      Targets targets = t.targets(next[0]).signed();
      if (next[0].equals(role)) {
        return Collections.unmodifiableMap(targets.targets());
      }
      for (DelegatedRole d : targets.delegations().roles()) {
        queue.add(new String[] {d.name(), next[0]});
      }
    }
    throw new TufException(TufException.Kind.UNKNOWN_TARGET, "no trusted role delegates " + role);
  }

  /**
   * Downloads a target found by {@link #targetInfo} and checks its length and hashes (5.7).
   *
   * @throws TufException LENGTH, HASH_MISMATCH or NOT_FOUND naming the target
   */
  public byte[] download(TargetInfo target) {
    TargetFile file = target.file();
    String remote =
        trusted.root().consistentSnapshot()
            ? TufRepository.hashPrefixed(target.path(), file.sha256())
            : target.path();
    byte[] bytes =
        fetcher
            .fetchTarget(remote, file.length())
            .orElseThrow(
                () ->
                    new TufException(
                        TufException.Kind.NOT_FOUND, "target " + target.path() + " is missing"));
    String what = "target " + target.path() + " of " + target.role();
    checkLength(bytes, file.length(), what);
    if (bytes.length != file.length()) {
      throw new TufException(
          TufException.Kind.LENGTH,
          what + ": " + bytes.length + " bytes, expected " + file.length());
    }
    Hashes.verify(file.hashes(), bytes, what);
    return bytes;
  }

  /** The versions of the trusted top-level and loaded delegated roles, for status reports. */
  public Map<String, Long> trustedVersions() {
    Map<String, Long> out = new LinkedHashMap<>();
    TrustedMetadata t = trusted;
    out.put(TopLevel.ROOT, t.root().version());
    if (t.timestamp() != null) {
      out.put(TopLevel.TIMESTAMP, t.timestamp().signed().version());
    }
    if (t.snapshot() != null) {
      out.put(TopLevel.SNAPSHOT, t.snapshot().signed().version());
      for (String file : t.snapshot().signed().meta().keySet()) {
        String role = file.substring(0, file.length() - ".json".length());
        if (t.targets(role) != null) {
          out.put(role, t.targets(role).signed().version());
        }
      }
    }
    return out;
  }

  private byte[] fetchMetadata(String name, long maxLength) {
    byte[] bytes =
        fetcher
            .fetchMetadata(name, maxLength)
            .orElseThrow(
                () -> new TufException(TufException.Kind.NOT_FOUND, "repository has no " + name));
    checkLength(bytes, maxLength, name);
    return bytes;
  }

  private static String name(TrustedMetadata t, String role, long version) {
    return t.root().consistentSnapshot() ? version + "." + role + ".json" : role + ".json";
  }

  private static long maxLength(MetaFile meta, long fallback) {
    return meta.length() != MetaFile.UNKNOWN_LENGTH ? meta.length() : fallback;
  }

  private static void checkLength(byte[] bytes, long max, String what) {
    if (bytes.length > max) {
      throw new TufException(
          TufException.Kind.LENGTH,
          what + ": " + bytes.length + " bytes, more than the allowed " + max);
    }
  }
}
