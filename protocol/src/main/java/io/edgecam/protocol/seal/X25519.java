package io.edgecam.protocol.seal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * X25519 (RFC 7748) on the JDK's {@code XDH} provider, with keys in their raw 32-byte form as HPKE
 * serializes them (little-endian u-coordinate, scalar as given). Stateless and thread-safe.
 */
final class X25519 {
  static final int KEY_BYTES = 32;
  private static final BigInteger BASE_POINT = BigInteger.valueOf(9);

  private X25519() {}

  static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("X25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("X25519 missing from the JDK", e);
    }
  }

  /** The raw little-endian u-coordinate of a public key. */
  static byte[] raw(PublicKey key) {
    if (!(key instanceof XECPublicKey xec)) {
      throw new IllegalArgumentException("not an X25519 public key: " + key.getAlgorithm());
    }
    byte[] be = xec.getU().toByteArray();
    byte[] le = new byte[KEY_BYTES];
    for (int i = 0; i < KEY_BYTES && i < be.length; i++) {
      le[i] = be[be.length - 1 - i];
    }
    return le;
  }

  /** A public key from its raw form; the top bit is masked as RFC 7748 says. */
  static PublicKey publicKey(byte[] raw) {
    if (raw.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "X25519 public key must be " + KEY_BYTES + " bytes, was " + raw.length);
    }
    byte[] be = new byte[KEY_BYTES];
    for (int i = 0; i < KEY_BYTES; i++) {
      be[i] = raw[KEY_BYTES - 1 - i];
    }
    be[0] &= 0x7f;
    return publicKey(new BigInteger(1, be));
  }

  private static PublicKey publicKey(BigInteger u) {
    try {
      return KeyFactory.getInstance("X25519")
          .generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("X25519 missing from the JDK", e);
    }
  }

  /** A private key from its raw 32-byte scalar. */
  static PrivateKey privateKey(byte[] scalar) {
    if (scalar.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "X25519 private key must be " + KEY_BYTES + " bytes, was " + scalar.length);
    }
    try {
      return KeyFactory.getInstance("X25519")
          .generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar.clone()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("X25519 missing from the JDK", e);
    }
  }

  /** The public key of {@code key}: X25519(scalar, 9). */
  static byte[] publicOf(PrivateKey key) {
    try {
      return dh(key, publicKey(BASE_POINT));
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("not a usable X25519 private key", e);
    }
  }

  /** Whether {@code key} is an X25519 private key. */
  static boolean isX25519(PrivateKey key) {
    return key instanceof XECPrivateKey xec
        && xec.getParams() instanceof NamedParameterSpec n
        && "X25519".equalsIgnoreCase(n.getName());
  }

  /**
   * The shared secret X25519(priv, pub).
   *
   * @throws InvalidKeyException if {@code pub} is a low-order point (an all-zero result, which the
   *     JDK rejects and HPKE requires to be rejected)
   */
  static byte[] dh(PrivateKey priv, PublicKey pub) throws InvalidKeyException {
    try {
      KeyAgreement ka = KeyAgreement.getInstance("X25519");
      ka.init(priv);
      ka.doPhase(pub, true);
      return ka.generateSecret();
    } catch (InvalidKeyException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("X25519 missing from the JDK", e);
    } catch (IllegalStateException e) {
      // The JDK reports an all-zero shared secret this way on some versions.
      throw new InvalidKeyException("X25519 key agreement failed: " + e.getMessage(), e);
    }
  }
}
