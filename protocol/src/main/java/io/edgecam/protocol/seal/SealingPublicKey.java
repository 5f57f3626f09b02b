package io.edgecam.protocol.seal;

import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.Pem;
import io.edgecam.protocol.SealedCandidate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A matcher's X25519 public key, to which agents seal candidate embeddings. Stored as a PEM {@code
 * PUBLIC KEY} (X.509 SubjectPublicKeyInfo, as {@code openssl pkey -pubout} writes). Its key id is
 * the first 4 bytes of SHA-256 of the raw key. Immutable.
 */
public final class SealingPublicKey {
  static final String PEM_LABEL = "PUBLIC KEY";
  // DER of SubjectPublicKeyInfo { AlgorithmIdentifier { 1.3.101.110 (X25519) }, BIT STRING }.
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b656e032100");

  private final byte[] raw;
  private final byte[] keyId;

  SealingPublicKey(byte[] raw) {
    if (raw.length != X25519.KEY_BYTES) {
      throw new IllegalArgumentException(
          "X25519 public key must be " + X25519.KEY_BYTES + " bytes, was " + raw.length);
    }
    this.raw = raw.clone();
    this.keyId = keyIdOf(raw);
  }

  /** A key from its raw 32 bytes. */
  public static SealingPublicKey ofRaw(byte[] raw) {
    return new SealingPublicKey(raw);
  }

  /**
   * Parses PEM text.
   *
   * @throws IllegalArgumentException if it is not an X25519 public key in PEM
   */
  public static SealingPublicKey fromPem(String pem) {
    byte[] der = Pem.decode(PEM_LABEL, pem);
    if (der.length != SPKI_PREFIX.length + X25519.KEY_BYTES
        || !Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
      throw new IllegalArgumentException(
          "not an X25519 public key (expected the 44-byte SubjectPublicKeyInfo of OID 1.3.101.110)");
    }
    return new SealingPublicKey(Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length));
  }

  /**
   * Reads a PEM file.
   *
   * @throws EdgecamException naming the file if it is missing, unreadable or not an X25519 key
   */
  public static SealingPublicKey read(Path file) {
    try {
      return fromPem(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (NoSuchFileException e) {
      throw new EdgecamException(file + ": no such file", e);
    } catch (IOException e) {
      throw new EdgecamException(file + ": cannot read: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new EdgecamException(file + ": " + e.getMessage(), e);
    }
  }

  /** PEM text of this key. */
  public String toPem() {
    byte[] der = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + raw.length);
    System.arraycopy(raw, 0, der, SPKI_PREFIX.length, raw.length);
    return Pem.encode(PEM_LABEL, der);
  }

  /** The raw 32-byte key. */
  public byte[] raw() {
    return raw.clone();
  }

  /** The key id carried by every candidate sealed to this key. */
  public byte[] keyId() {
    return keyId.clone();
  }

  /** The key id as 8 hex digits. */
  public String keyIdHex() {
    return HexFormat.of().formatHex(keyId);
  }

  static byte[] keyIdOf(byte[] raw) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(raw);
      return Arrays.copyOf(h, SealedCandidate.KEY_ID_BYTES);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SealingPublicKey k && Arrays.equals(raw, k.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "SealingPublicKey[" + keyIdHex() + "]";
  }
}
