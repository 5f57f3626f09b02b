package io.edgecam.matcher.audit;

import io.edgecam.protocol.tuf.TufKey;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Walks the whole chain in seq order and stops at the first bad record. Per record, in this order:
 * no gap in seq, the hash recomputed from the stored fields equals the stored one, {@code
 * prev_hash} equals the previous record's hash, the signing key is trusted, the signature is valid.
 * Then, given a head checkpoint, that the log reaches the checkpoint's seq with its hash. Reads the
 * store page by page; thread-safe (stateless).
 */
public final class AuditVerifier {
  private static final int PAGE = 1_000;

  /** What failed. */
  public enum Kind {
    /** A seq is missing: a record was deleted (or the first one is not 1). */
    GAP,
    /** The stored fields do not hash to the stored hash: the record was edited. */
    HASH,
    /** The record does not point at the one before it: reordered, inserted or removed. */
    LINK,
    /** The record names a key that is not trusted. */
    UNKNOWN_KEY,
    /** The signature is not the key's over the hash: hash and fields were rewritten together. */
    SIGNATURE,
    /** The log ends before the head checkpoint's seq: its tail was removed. */
    TRUNCATED,
    /** The head checkpoint is not signed by a trusted key or names a hash the log does not hold. */
    HEAD;

    /** Lower-case name for output. */
    public String key() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * The first bad record.
   *
   * @param seq the seq at which the chain stops being valid
   * @param kind what failed
   * @param message what an operator reads
   */
  public record Problem(long seq, Kind kind, String message) {}

  /**
   * The outcome.
   *
   * @param records records checked and found good
   * @param lastSeq seq of the last good record (0 if none)
   * @param headSeq seq of the head checkpoint checked, or -1 if there was none
   * @param problem the first bad record, or null if the log is intact
   */
  public record Report(long records, long lastSeq, long headSeq, @Nullable Problem problem) {
    /** True if nothing failed. */
    public boolean ok() {
      return problem == null;
    }
  }

  private AuditVerifier() {}

  /**
   * Verifies the chain in {@code store}.
   *
   * @param trusted public keys whose signatures are accepted (the matcher's key, rotated keys)
   * @param head the head checkpoint kept outside the database, or null (a removed tail then goes
   *     unnoticed)
   */
  public static Report verify(
      AuditStore store, Collection<TufKey> trusted, @Nullable AuditHead head) {
    Map<String, TufKey> keys = new HashMap<>();
    trusted.forEach(k -> keys.put(k.keyId(), k));
    long expected = 1;
    String prev = AuditChain.GENESIS;
    String hashAtHead = null;
    long good = 0;
    // From the lowest possible seq: a row slipped in below 1 must be seen too.
    long cursor = Long.MIN_VALUE;
    while (true) {
      List<AuditRecord> page = store.read(AuditQuery.after(cursor, PAGE));
      for (AuditRecord r : page) {
        cursor = r.seq();
        Problem p = check(r, expected, prev, keys);
        if (p != null) {
          return new Report(good, expected - 1, -1, p);
        }
        if (head != null && r.seq() == head.seq()) {
          hashAtHead = r.hash();
        }
        prev = r.hash();
        expected++;
        good++;
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    long last = expected - 1;
    if (head == null) {
      return new Report(good, last, -1, null);
    }
    return new Report(good, last, head.seq(), checkHead(head, keys, last, hashAtHead));
  }

  private static @Nullable Problem check(
      AuditRecord r, long expected, String prev, Map<String, TufKey> keys) {
    if (r.seq() < expected) {
      return new Problem(
          r.seq(),
          Kind.LINK,
          "a record with seq " + r.seq() + " lies before the start of the chain: it was inserted");
    }
    if (r.seq() != expected) {
      return new Problem(
          expected,
          Kind.GAP,
          r.seq() == expected + 1
              ? "record " + expected + " is missing (the next one is " + r.seq() + ")"
              : "records " + expected + ".." + (r.seq() - 1) + " are missing");
    }
    String computed = AuditChain.computeHash(r);
    if (!computed.equals(r.hash())) {
      return new Problem(
          r.seq(),
          Kind.HASH,
          "record "
              + r.seq()
              + " was edited: its fields hash to "
              + abbrev(computed)
              + ", the stored hash is "
              + abbrev(r.hash()));
    }
    if (!prev.equals(r.prevHash())) {
      return new Problem(
          r.seq(),
          Kind.LINK,
          "record "
              + r.seq()
              + " does not follow record "
              + (r.seq() - 1)
              + " (prev_hash "
              + abbrev(r.prevHash())
              + ", expected "
              + abbrev(prev)
              + "): records were reordered, inserted or removed");
    }
    TufKey key = keys.get(r.keyId());
    if (key == null) {
      return new Problem(
          r.seq(),
          Kind.UNKNOWN_KEY,
          "record "
              + r.seq()
              + " is signed by key "
              + abbrev(r.keyId())
              + ", which is not trusted");
    }
    if (!AuditChain.signatureValid(r, key)) {
      return new Problem(
          r.seq(),
          Kind.SIGNATURE,
          "record "
              + r.seq()
              + " has no valid signature of key "
              + abbrev(r.keyId())
              + ": it was rewritten without the matcher's key");
    }
    return null;
  }

  private static @Nullable Problem checkHead(
      AuditHead head, Map<String, TufKey> keys, long last, @Nullable String hashAtHead) {
    TufKey key = keys.get(head.keyId());
    if (key == null || !head.signedBy(key)) {
      return new Problem(
          head.seq(), Kind.HEAD, "the head checkpoint is not signed by a trusted key");
    }
    if (head.seq() > last) {
      return new Problem(
          last + 1,
          Kind.TRUNCATED,
          "the log ends at record "
              + last
              + " but the head checkpoint names record "
              + head.seq()
              + ": records "
              + (last + 1)
              + ".."
              + head.seq()
              + " were removed");
    }
    if (!head.hash().equals(hashAtHead)) {
      return new Problem(
          head.seq(),
          Kind.HEAD,
          "record "
              + head.seq()
              + " has hash "
              + abbrev(hashAtHead)
              + ", the head checkpoint says "
              + abbrev(head.hash()));
    }
    return null;
  }

  private static String abbrev(@Nullable String hex) {
    return hex == null ? "none" : hex.length() > 16 ? hex.substring(0, 16) + "..." : hex;
  }
}
