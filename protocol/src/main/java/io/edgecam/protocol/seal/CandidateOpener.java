package io.edgecam.protocol.seal;

import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.CandidatePayload;
import io.edgecam.protocol.MalformedMessageException;
import io.edgecam.protocol.SealedCandidate;
import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;

/**
 * The matcher's candidate decoder: plain (version 1) candidates are decoded, sealed (version 2)
 * ones are opened with whichever of the matcher's key pairs their key id names (two during a key
 * rotation). Thread-safe.
 */
public final class CandidateOpener {
  /** Most key pairs held at once: the current one and the one being retired. */
  public static final int MAX_KEYS = 2;

  private final List<SealingKeyPair> keys;
  private final boolean requireSealed;

  private CandidateOpener(List<SealingKeyPair> keys, boolean requireSealed) {
    this.keys = List.copyOf(keys);
    this.requireSealed = requireSealed;
  }

  /** A decoder with no keys: plain candidates pass, sealed ones are refused as unknown key. */
  public static CandidateOpener plainOnly() {
    return new CandidateOpener(List.of(), false);
  }

  /**
   * A decoder holding {@code keys}.
   *
   * @param keys 1..{@value #MAX_KEYS} key pairs
   * @param requireSealed refuse plain candidates ({@link UnsealException.Kind#NOT_SEALED})
   * @throws IllegalArgumentException for no keys or too many
   */
  public static CandidateOpener of(List<SealingKeyPair> keys, boolean requireSealed) {
    if (keys.isEmpty() || keys.size() > MAX_KEYS) {
      throw new IllegalArgumentException(
          "sealing needs 1.." + MAX_KEYS + " private keys, had " + keys.size());
    }
    return new CandidateOpener(keys, requireSealed);
  }

  /** Key ids this opener can open, in configuration order. */
  public List<String> keyIds() {
    return keys.stream().map(k -> k.publicKey().keyIdHex()).toList();
  }

  /**
   * Decodes {@code payload} and opens it if it is sealed.
   *
   * @throws MalformedMessageException if the payload is not a well-formed candidate of version 1 or
   *     2, or its sealed embedding, once opened, is not a valid embedding
   * @throws UnsealException if it is sealed to a key this opener lacks, fails authentication, or is
   *     plain while sealed candidates are required
   */
  public Candidate open(byte[] payload) {
    CandidatePayload decoded = CandidateCodec.decodeAny(payload);
    if (decoded instanceof Candidate c) {
      if (requireSealed) {
        throw new UnsealException(
            UnsealException.Kind.NOT_SEALED,
            "candidate: plain (version 1) candidate from '"
                + c.device()
                + "', but this matcher requires sealed candidates");
      }
      return c;
    }
    SealedCandidate s = (SealedCandidate) decoded;
    byte[] keyId = s.keyId();
    byte[] aad = CandidateCodec.sealedHeader(s);
    boolean known = false;
    for (SealingKeyPair k : keys) {
      if (!Arrays.equals(keyId, k.publicKey().keyId())) {
        continue;
      }
      known = true;
      try {
        byte[] plain =
            CandidateSealer.HPKE.open(
                k.privateKey(),
                k.publicKey().raw(),
                s.ephemeralKey(),
                CandidateSealer.INFO,
                aad,
                s.ciphertext());
        try {
          return s.withEmbedding(CandidateSealer.embedding(plain));
        } catch (IllegalArgumentException e) {
          throw new MalformedMessageException(
              "candidate: sealed embedding (field 10): " + e.getMessage(), e);
        }
      } catch (AEADBadTagException | InvalidKeyException e) {
        // Try the next key with the same id (a 32-bit id can collide); fail below if none opens.
      }
    }
    if (!known) {
      throw new UnsealException(
          UnsealException.Kind.UNKNOWN_KEY,
          "candidate: sealed to key "
              + s.keyIdHex()
              + ", this matcher holds "
              + (keys.isEmpty() ? "no sealing key" : String.join(", ", keyIds())));
    }
    throw new UnsealException(
        UnsealException.Kind.NOT_AUTHENTIC,
        "candidate: sealed candidate "
            + s.device()
            + " #"
            + s.sequence()
            + " failed authentication with key "
            + s.keyIdHex()
            + " (changed in transit, or sealed to another key)");
  }
}
