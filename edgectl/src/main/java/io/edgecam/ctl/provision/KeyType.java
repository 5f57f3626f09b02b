package io.edgecam.ctl.provision;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;

/**
 * Key algorithm of a fleet: chosen once at {@code ca init}; every identity the CA issues uses it.
 * Both are accepted by Mosquitto 2.0 (OpenSSL 3) and the JDK 17 TLS stack, in TLS 1.2 and 1.3.
 */
public enum KeyType {
  /** ECDSA on NIST P-256: the default, also what TPMs and secure elements support. */
  P256("EC", "SHA256withECDSA"),
  /** Ed25519 (RFC 8410): smaller and faster, not supported by every broker and secure element. */
  ED25519("Ed25519", "Ed25519");

  private final String keyAlgorithm;
  private final String signatureAlgorithm;

  KeyType(String keyAlgorithm, String signatureAlgorithm) {
    this.keyAlgorithm = keyAlgorithm;
    this.signatureAlgorithm = signatureAlgorithm;
  }

  /** The JCA key algorithm ({@code EC} or {@code Ed25519}). */
  public String keyAlgorithm() {
    return keyAlgorithm;
  }

  /** The JCA signature algorithm that signs certificates with a key of this type. */
  public String signatureAlgorithm() {
    return signatureAlgorithm;
  }

  /** A fresh key pair. */
  public KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(keyAlgorithm);
      if (this == P256) {
        g.initialize(new ECGenParameterSpec("secp256r1"));
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot generate " + this + " keys", e);
    }
  }

  /**
   * The type of an existing private key (the CA's).
   *
   * @throws IllegalArgumentException for other algorithms or curves
   */
  public static KeyType of(PrivateKey key) {
    String alg = key.getAlgorithm();
    if (alg.equals("EC")
        && key instanceof java.security.interfaces.ECPrivateKey ec
        && ec.getParams().toString().contains("secp256r1")) {
      return P256;
    }
    if (alg.equals("Ed25519") || alg.equals("EdDSA")) {
      return ED25519;
    }
    throw new IllegalArgumentException(
        "unsupported key: " + alg + " (expected EC P-256 or Ed25519)");
  }

  /** Lower-case name as the CLI spells it ({@code p256}, {@code ed25519}). */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
