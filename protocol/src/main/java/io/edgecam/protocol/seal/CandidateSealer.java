package io.edgecam.protocol.seal;

import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.Int8Embedding;
import io.edgecam.protocol.SealedCandidate;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.KeyPair;

/**
 * Seals candidates to a matcher's public key (Candidate version 2, docs/protocol.md section 7):
 * HPKE base mode with DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and AES-256-GCM, a fresh ephemeral
 * key per candidate, the encoded header as associated data. Only the holder of the matcher's
 * private key can read the embedding; the broker and other subscribers see the header. Thread-safe.
 */
public final class CandidateSealer {
  /** HPKE {@code info}: binds every key derived here to this use. */
  static final byte[] INFO = "edgecam/v1 sealed candidate".getBytes(StandardCharsets.US_ASCII);

  static final Hpke HPKE = new Hpke(Hpke.Aead.AES_256_GCM);

  private final SealingPublicKey recipient;

  /** A sealer to {@code recipient}. */
  public CandidateSealer(SealingPublicKey recipient) {
    this.recipient = recipient;
  }

  /** The key candidates are sealed to. */
  public SealingPublicKey recipient() {
    return recipient;
  }

  /** The sealed candidate of {@code c}. */
  public SealedCandidate seal(Candidate c) {
    return seal(c, X25519.generate());
  }

  /** {@link #seal} with a given ephemeral key pair (fixed in the documented example). */
  SealedCandidate seal(Candidate c, KeyPair ephemeral) {
    byte[] keyId = recipient.keyId();
    byte[] enc = X25519.raw(ephemeral.getPublic());
    byte[] aad = CandidateCodec.sealedHeader(c, keyId, enc);
    try {
      Hpke.Sealed s = HPKE.seal(recipient.raw(), INFO, aad, plaintext(c.embedding()), ephemeral);
      return SealedCandidate.of(c, keyId, s.enc(), s.ciphertext());
    } catch (InvalidKeyException e) {
      // Only a low-order recipient key gets here; keys from SealingKeyPair never are.
      throw new IllegalStateException("cannot seal to key " + recipient.keyIdHex(), e);
    }
  }

  /** {@link CandidateCodec#encodeSealed} of {@link #seal}: the payload to publish. */
  public byte[] sealAndEncode(Candidate c) {
    return CandidateCodec.encodeSealed(seal(c));
  }

  /** {@code int8 values || float32 scale (big-endian)}. */
  static byte[] plaintext(Int8Embedding e) {
    byte[] v = e.values();
    return ByteBuffer.allocate(v.length + 4).put(v).putFloat(e.scale()).array();
  }

  /**
   * The inverse of {@link #plaintext}.
   *
   * @throws IllegalArgumentException if the values or scale are not a valid embedding
   */
  static Int8Embedding embedding(byte[] plaintext) {
    if (plaintext.length < 5) {
      throw new IllegalArgumentException("sealed embedding of " + plaintext.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(plaintext);
    byte[] v = new byte[plaintext.length - 4];
    b.get(v);
    return new Int8Embedding(v, b.getFloat());
  }
}
