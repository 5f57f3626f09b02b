package io.edgecam.matcher.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.protocol.tuf.CanonicalJson;
import io.edgecam.protocol.tuf.SigningKey;
import io.edgecam.protocol.tuf.TufKey;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The chain rules, shared by appending and verifying. A record's hash is the SHA-256 of the
 * canonical JSON (OLPC, as TUF uses it: sorted keys, no whitespace, integers and strings only) of
 *
 * <pre>{"action","actor","detail","key_id","prev","seq","subject","time","v":1}</pre>
 *
 * with {@code detail} as the stored JSON text and {@code time} in epoch milliseconds. The signature
 * is Ed25519 over the 32 hash bytes. Stateless.
 */
public final class AuditChain {
  /** The {@code prev_hash} of the first record. */
  public static final String GENESIS = "0".repeat(64);

  private static final HexFormat HEX = HexFormat.of();

  private AuditChain() {}

  /** The bytes the hash is computed over. */
  public static byte[] canonical(
      long seq,
      Instant time,
      String actor,
      String action,
      String subject,
      String detail,
      String prevHash,
      String keyId) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("v", 1);
    o.put("seq", seq);
    o.put("time", time.toEpochMilli());
    o.put("actor", actor);
    o.put("action", action);
    o.put("subject", subject);
    o.put("detail", detail);
    o.put("prev", prevHash);
    o.put("key_id", keyId);
    return CanonicalJson.encode(o);
  }

  /** The hash of {@code r}'s fields as stored (what it should be if nothing was edited). */
  public static String computeHash(AuditRecord r) {
    return sha256Hex(
        canonical(
            r.seq(),
            r.time(),
            r.actor(),
            r.action(),
            r.subject(),
            r.detail(),
            r.prevHash(),
            r.keyId()));
  }

  /** Builds and signs the record that follows {@code last} (null: the first record). */
  static AuditRecord next(
      @Nullable AuditRecord last,
      Instant time,
      String actor,
      String action,
      String subject,
      String detail,
      SigningKey key) {
    long seq = last == null ? 1 : last.seq() + 1;
    String prev = last == null ? GENESIS : last.hash();
    // Millisecond precision is what the store keeps; hash exactly that.
    Instant t = Instant.ofEpochMilli(time.toEpochMilli());
    String hash = sha256Hex(canonical(seq, t, actor, action, subject, detail, prev, key.keyId()));
    String sig = HEX.formatHex(key.sign(HEX.parseHex(hash)));
    return new AuditRecord(seq, t, actor, action, subject, detail, prev, hash, key.keyId(), sig);
  }

  /** Whether {@code r.signature()} is {@code key}'s signature over {@code r.hash()}. */
  public static boolean signatureValid(AuditRecord r, TufKey key) {
    if (r.hash() == null || r.signature() == null) {
      return false; // NULL in a column altered to allow it
    }
    try {
      return key.verifies(HEX.parseHex(r.hash()), HEX.parseHex(r.signature()));
    } catch (IllegalArgumentException e) {
      return false; // not hex: an edited row
    }
  }

  static String sha256Hex(byte[] data) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
