package io.edgecam.protocol.tuf;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

/**
 * An Ed25519 key pair that signs TUF metadata (repository side only; devices hold public keys).
 * Thread-safe. {@link #toString()} never shows the private key.
 */
public final class SigningKey {
  private final TufKey publicKey;
  private final PrivateKey privateKey;
  private final String keyId;

  private SigningKey(TufKey publicKey, PrivateKey privateKey) {
    this.publicKey = publicKey;
    this.privateKey = privateKey;
    this.keyId = publicKey.keyId();
  }

  /** A fresh random key pair from the JDK's Ed25519 provider. */
  public static SigningKey generate() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      return new SigningKey(TufKey.of(pair.getPublic()), pair.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 missing from the JDK", e);
    }
  }

  /** A key pair from its PKCS#8 private and X.509 public encodings (as stored on disk). */
  public static SigningKey fromEncoded(byte[] pkcs8Private, byte[] x509Public) {
    try {
      KeyFactory factory = KeyFactory.getInstance("Ed25519");
      PrivateKey priv = factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8Private));
      TufKey pub = TufKey.of(factory.generatePublic(new X509EncodedKeySpec(x509Public)));
      return new SigningKey(pub, priv);
    } catch (GeneralSecurityException e) {
      throw new TufException(TufException.Kind.MALFORMED, "invalid Ed25519 key encoding", e);
    }
  }

  /** PKCS#8 encoding of the private key, for storage by the key tool. */
  public byte[] privateEncoded() {
    return privateKey.getEncoded();
  }

  /** The public half in TUF form. */
  public TufKey publicKey() {
    return publicKey;
  }

  /** The TUF key id of the public half. */
  public String keyId() {
    return keyId;
  }

  /** The Ed25519 signature over {@code data}. */
  public byte[] sign(byte[] data) {
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(privateKey);
      signer.update(data);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed for key " + keyId, e);
    }
  }

  @Override
  public String toString() {
    return "SigningKey[" + keyId + "]";
  }
}
