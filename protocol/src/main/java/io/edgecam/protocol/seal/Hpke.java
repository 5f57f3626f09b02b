package io.edgecam.protocol.seal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.PrivateKey;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * HPKE (RFC 9180) in base mode, single shot: KEM DHKEM(X25519, HKDF-SHA256), KDF HKDF-SHA256, AEAD
 * AES-GCM (AES-256-GCM for candidates; AES-128-GCM only for the RFC's test vectors). One message
 * per encapsulation, so the nonce is the base nonce (sequence 0). Thread-safe.
 */
final class Hpke {
  /** The AEADs of RFC 9180 section 7.3 that this class implements. */
  enum Aead {
    AES_128_GCM(0x0001, 16),
    AES_256_GCM(0x0002, 32);

    final int id;
    final int keyLength;

    Aead(int id, int keyLength) {
      this.id = id;
      this.keyLength = keyLength;
    }
  }

  /** The encapsulated key ({@code enc}, the ephemeral public key) and the ciphertext with tag. */
  record Sealed(byte[] enc, byte[] ciphertext) {}

  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;
  private static final int KEM_ID = 0x0020;
  private static final int KDF_ID = 0x0001;
  private static final byte[] VERSION_LABEL = ascii("HPKE-v1");
  private static final byte[] KEM_SUITE = {'K', 'E', 'M', 0x00, 0x20};

  private final Aead aead;
  private final byte[] suite;

  Hpke(Aead aead) {
    this.aead = aead;
    this.suite =
        new byte[] {
          'H', 'P', 'K', 'E', 0x00, (byte) KEM_ID, 0x00, (byte) KDF_ID, 0x00, (byte) aead.id
        };
  }

  /** Seals {@code plaintext} to {@code recipient} (raw X25519 key) with a fresh ephemeral key. */
  Sealed seal(byte[] recipient, byte[] info, byte[] aad, byte[] plaintext)
      throws InvalidKeyException {
    return seal(recipient, info, aad, plaintext, X25519.generate());
  }

  /** {@link #seal} with a given ephemeral key pair (the RFC's test vectors fix it). */
  Sealed seal(byte[] recipient, byte[] info, byte[] aad, byte[] plaintext, KeyPair ephemeral)
      throws InvalidKeyException {
    byte[] enc = X25519.raw(ephemeral.getPublic());
    byte[] dh = X25519.dh(ephemeral.getPrivate(), X25519.publicKey(recipient));
    byte[][] keyAndNonce = keySchedule(sharedSecret(dh, concat(enc, recipient)), info);
    try {
      return new Sealed(enc, aes(Cipher.ENCRYPT_MODE, keyAndNonce, aad, plaintext));
    } catch (AEADBadTagException e) {
      throw new IllegalStateException("AES-GCM encryption reported a bad tag", e);
    }
  }

  /**
   * Opens a ciphertext sealed to the key pair ({@code recipientPrivate}, {@code recipient}).
   *
   * @throws AEADBadTagException if the ciphertext, {@code aad}, {@code info} or {@code enc} was
   *     changed or the key is not the one it was sealed to
   * @throws InvalidKeyException if {@code enc} is not a usable X25519 public key
   */
  byte[] open(
      PrivateKey recipientPrivate,
      byte[] recipient,
      byte[] enc,
      byte[] info,
      byte[] aad,
      byte[] ciphertext)
      throws AEADBadTagException, InvalidKeyException {
    byte[] dh = X25519.dh(recipientPrivate, X25519.publicKey(enc));
    byte[][] keyAndNonce = keySchedule(sharedSecret(dh, concat(enc, recipient)), info);
    return aes(Cipher.DECRYPT_MODE, keyAndNonce, aad, ciphertext);
  }

  /** DHKEM ExtractAndExpand (RFC 9180 section 4.1). */
  static byte[] sharedSecret(byte[] dh, byte[] kemContext) {
    byte[] prk = labeledExtract(KEM_SUITE, new byte[0], "eae_prk", dh);
    return labeledExpand(KEM_SUITE, prk, "shared_secret", kemContext, 32);
  }

  /** KeySchedule for mode_base (psk and psk_id empty): {key, base_nonce}. */
  byte[][] keySchedule(byte[] sharedSecret, byte[] info) {
    byte[] pskIdHash = labeledExtract(suite, new byte[0], "psk_id_hash", new byte[0]);
    byte[] infoHash = labeledExtract(suite, new byte[0], "info_hash", info);
    byte[] context = concat(new byte[] {0x00}, concat(pskIdHash, infoHash));
    byte[] secret = labeledExtract(suite, sharedSecret, "secret", new byte[0]);
    byte[] key = labeledExpand(suite, secret, "key", context, aead.keyLength);
    byte[] nonce = labeledExpand(suite, secret, "base_nonce", context, NONCE_BYTES);
    return new byte[][] {key, nonce};
  }

  private static byte[] aes(int mode, byte[][] keyAndNonce, byte[] aad, byte[] input)
      throws AEADBadTagException {
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          mode,
          new SecretKeySpec(keyAndNonce[0], "AES"),
          new GCMParameterSpec(TAG_BITS, keyAndNonce[1]));
      c.updateAAD(aad);
      return c.doFinal(input);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed: " + e.getMessage(), e);
    }
  }

  private static byte[] labeledExtract(byte[] suiteId, byte[] salt, String label, byte[] ikm) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(VERSION_LABEL);
    b.writeBytes(suiteId);
    b.writeBytes(ascii(label));
    b.writeBytes(ikm);
    return Hkdf.extract(salt, b.toByteArray());
  }

  private static byte[] labeledExpand(
      byte[] suiteId, byte[] prk, String label, byte[] info, int length) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(length >>> 8);
    b.write(length & 0xff);
    b.writeBytes(VERSION_LABEL);
    b.writeBytes(suiteId);
    b.writeBytes(ascii(label));
    b.writeBytes(info);
    return Hkdf.expand(prk, b.toByteArray(), length);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
