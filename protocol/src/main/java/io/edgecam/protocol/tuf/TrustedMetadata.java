package io.edgecam.protocol.tuf;

import static io.edgecam.protocol.tuf.TufException.Kind.EXPIRED;
import static io.edgecam.protocol.tuf.TufException.Kind.LENGTH;
import static io.edgecam.protocol.tuf.TufException.Kind.NOT_FOUND;
import static io.edgecam.protocol.tuf.TufException.Kind.ROLLBACK;
import static io.edgecam.protocol.tuf.TufException.Kind.VERSION_MISMATCH;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The verified metadata of one refresh and the checks of spec section 5 that decide whether new
 * metadata may replace it (python-tuf's TrustedMetadataSet). Each {@code update*} method either
 * accepts the bytes or throws and leaves the state unchanged. Not thread-safe.
 */
final class TrustedMetadata {
  private final Clock clock;
  private Metadata<Root> root;
  private Metadata<Timestamp> timestamp;
  private Metadata<Snapshot> snapshot;
  private final Map<String, Metadata<Targets>> targets = new HashMap<>();

  /** Starts from a trusted root, which must carry a threshold of its own root keys (5.2). */
  TrustedMetadata(byte[] trustedRoot, Clock clock) {
    this.clock = clock;
    Metadata<Root> r = Metadata.parse(trustedRoot, Root.class);
    r.verify("root", r.signed().role(TopLevel.ROOT), r.signed().keys());
    this.root = r;
  }

  Root root() {
    return root.signed();
  }

  Metadata<Timestamp> timestamp() {
    return timestamp;
  }

  Metadata<Snapshot> snapshot() {
    return snapshot;
  }

  Metadata<Targets> targets(String role) {
    return targets.get(role);
  }

  /** 5.3.4-5.3.7: version N+1, signed by a threshold of N's root keys and of its own. */
  void updateRoot(byte[] bytes) {
    Metadata<Root> next = Metadata.parse(bytes, Root.class);
    Root old = root.signed();
    String name = "root v" + next.signed().version();
    next.verify(
        "root (by trusted root v" + old.version() + " keys)", old.role(TopLevel.ROOT), old.keys());
    next.verify("root (by its own keys)", next.signed().role(TopLevel.ROOT), next.signed().keys());
    if (next.signed().version() != old.version() + 1) {
      throw new TufException(
          ROLLBACK,
          name + ": expected version " + (old.version() + 1) + " after v" + old.version());
    }
    root = next;
  }

  /** 5.3.10: the final root must not be expired (freeze attack). */
  void checkRootFresh() {
    checkFresh("root", root.signed());
  }

  /** 5.3.11: after rotating timestamp or snapshot keys, their trusted copies no longer count. */
  boolean keysChanged(Root before, String role) {
    return !before.role(role).equals(root().role(role));
  }

  void forgetTimestampAndSnapshot() {
    timestamp = null;
    snapshot = null;
  }

  /** A locally stored timestamp as rollback reference: signature checked, expiry not (5.2). */
  void loadTrustedTimestamp(byte[] bytes) {
    Metadata<Timestamp> ts = Metadata.parse(bytes, Timestamp.class);
    ts.verify("timestamp", root().role(TopLevel.TIMESTAMP), root().keys());
    timestamp = ts;
  }

  /** A locally stored snapshot as rollback reference: signature checked, expiry not (5.2). */
  void loadTrustedSnapshot(byte[] bytes) {
    Metadata<Snapshot> s = Metadata.parse(bytes, Snapshot.class);
    s.verify("snapshot", root().role(TopLevel.SNAPSHOT), root().keys());
    snapshot = s;
  }

  /** 5.4.2-5.4.4. Returns false if the new timestamp has the trusted version (nothing changed). */
  boolean updateTimestamp(byte[] bytes) {
    checkRootFresh();
    Metadata<Timestamp> next = Metadata.parse(bytes, Timestamp.class);
    next.verify("timestamp", root().role(TopLevel.TIMESTAMP), root().keys());
    Timestamp n = next.signed();
    if (timestamp != null) {
      Timestamp old = timestamp.signed();
      if (n.version() < old.version()) {
        throw new TufException(
            ROLLBACK, "timestamp v" + n.version() + " is older than trusted v" + old.version());
      }
      if (n.version() == old.version()) {
        checkFresh("timestamp", old);
        return false;
      }
      if (n.snapshot().version() < old.snapshot().version()) {
        throw new TufException(
            ROLLBACK,
            "timestamp v"
                + n.version()
                + " names snapshot v"
                + n.snapshot().version()
                + ", older than trusted v"
                + old.snapshot().version());
      }
    }
    checkFresh("timestamp", n);
    timestamp = next;
    return true;
  }

  /** 5.5.2-5.5.6: hash and length per timestamp, signatures, version, no role rolled back. */
  void updateSnapshot(byte[] bytes) {
    if (timestamp == null) {
      throw new IllegalStateException("timestamp must be updated before snapshot");
    }
    checkFresh("timestamp", timestamp.signed());
    MetaFile expected = timestamp.signed().snapshot();
    String name = "snapshot v" + expected.version();
    checkFile(expected, bytes, name);
    Metadata<Snapshot> next = Metadata.parse(bytes, Snapshot.class);
    next.verify("snapshot", root().role(TopLevel.SNAPSHOT), root().keys());
    Snapshot n = next.signed();
    if (n.version() != expected.version()) {
      throw new TufException(
          VERSION_MISMATCH,
          "snapshot v"
              + n.version()
              + " where timestamp v"
              + timestamp.signed().version()
              + " names v"
              + expected.version());
    }
    if (snapshot != null) {
      for (Map.Entry<String, MetaFile> e : snapshot.signed().meta().entrySet()) {
        MetaFile now = n.meta().get(e.getKey());
        if (now == null) {
          throw new TufException(ROLLBACK, name + " no longer lists " + e.getKey());
        }
        if (now.version() < e.getValue().version()) {
          throw new TufException(
              ROLLBACK,
              name
                  + " lists "
                  + e.getKey()
                  + " v"
                  + now.version()
                  + ", older than trusted v"
                  + e.getValue().version());
        }
      }
    }
    checkFresh("snapshot", n);
    snapshot = next;
    targets.clear();
  }

  /** 5.6.2-5.6.5: per snapshot, signed by the delegating role's keys, version, expiry. */
  void updateTargets(String role, String parent, byte[] bytes) {
    if (snapshot == null) {
      throw new IllegalStateException("snapshot must be updated before " + role);
    }
    checkFresh("snapshot", snapshot.signed());
    MetaFile expected = snapshot.signed().meta().get(role + ".json");
    if (expected == null) {
      throw new TufException(
          NOT_FOUND, "snapshot v" + snapshot.signed().version() + " does not list " + role);
    }
    String name = role + " v" + expected.version();
    checkFile(expected, bytes, name);
    Metadata<Targets> next = Metadata.parse(bytes, Targets.class);
    if (parent.equals(TopLevel.ROOT)) {
      next.verify(role, root().role(TopLevel.TARGETS), root().keys());
    } else {
      Delegations d = targets.get(parent).signed().delegations();
      DelegatedRole delegation =
          d.roles().stream().filter(r -> r.name().equals(role)).findFirst().orElseThrow();
      next.verify(role, delegation.role(), d.keys());
    }
    if (next.signed().version() != expected.version()) {
      throw new TufException(
          VERSION_MISMATCH,
          role
              + " v"
              + next.signed().version()
              + " where snapshot v"
              + snapshot.signed().version()
              + " names v"
              + expected.version());
    }
    checkFresh(role, next.signed());
    targets.put(role, next);
  }

  private static void checkFile(MetaFile expected, byte[] bytes, String name) {
    if (expected.length() != MetaFile.UNKNOWN_LENGTH && bytes.length != expected.length()) {
      throw new TufException(
          LENGTH, name + ": " + bytes.length + " bytes, expected " + expected.length());
    }
    if (!expected.hashes().isEmpty()) {
      Hashes.verify(expected.hashes(), bytes, name);
    }
  }

  private void checkFresh(String role, Signed s) {
    if (s.isExpired(clock.instant())) {
      throw new TufException(
          EXPIRED,
          role
              + " v"
              + s.version()
              + " expired at "
              + s.expires()
              + " (now "
              + clock.instant()
              + ")");
    }
  }
}
