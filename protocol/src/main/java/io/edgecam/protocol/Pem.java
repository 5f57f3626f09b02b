package io.edgecam.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * PEM armour (RFC 7468) for the DER encodings of keys and certificates: the one implementation
 * behind every key file of the system (audit key, TUF role keys, sealing keys, the fleet CA and
 * device identities, the agent's TLS key). Stateless. Errors are {@link IllegalArgumentException}s
 * saying what is missing or broken; callers add the file and the config key.
 */
public final class Pem {
  private Pem() {}

  /** {@code -----BEGIN label-----}, the DER in base64 lines of 64, {@code -----END label-----}. */
  public static String encode(String label, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  /** Whether {@code text} has a {@code label} block (exactly that label: not ENCRYPTED ...). */
  public static boolean has(String label, String text) {
    return text.contains("-----BEGIN " + label + "-----");
  }

  /**
   * The DER bytes of the first {@code label} block in {@code text}.
   *
   * @throws IllegalArgumentException naming what is missing or broken
   */
  public static byte[] decode(String label, String text) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int b = text.indexOf(begin);
    int e = b < 0 ? -1 : text.indexOf(end, b);
    if (b < 0 || e < 0) {
      throw new IllegalArgumentException(
          "no " + label + " block ('" + (b < 0 ? begin : end) + "' line)");
    }
    String body = text.substring(b + begin.length(), e).replaceAll("\\s+", "");
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("invalid base64 in the " + label + " block", ex);
    }
  }

  /**
   * An unencrypted PKCS#8 private key of the first of {@code algorithms} (JDK names: "RSA", "EC",
   * "Ed25519", "X25519") that reads it.
   *
   * @throws IllegalArgumentException if none does
   */
  public static PrivateKey privateKey(byte[] pkcs8, String... algorithms) {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
    for (String algorithm : algorithms) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException("not a PKCS#8 key of " + String.join(" or ", algorithms));
  }
}
