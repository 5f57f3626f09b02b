package io.edgecam.ctl.provision;

import io.edgecam.protocol.EdgecamException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;

/**
 * PEM text of certificates and unencrypted PKCS#8 keys, the forms the agent ({@code PemTls}),
 * Mosquitto and OpenSSL all read; the armour itself is {@link io.edgecam.protocol.Pem}.
 */
final class Pem {
  private Pem() {}

  static String certificate(X509Certificate cert) {
    try {
      return block("CERTIFICATE", cert.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode a certificate we made", e);
    }
  }

  /** {@code BEGIN PRIVATE KEY}: PKCS#8, unencrypted. */
  static String privateKey(PrivateKey key) {
    return block("PRIVATE KEY", key.getEncoded());
  }

  private static String block(String type, byte[] der) {
    return io.edgecam.protocol.Pem.encode(type, der);
  }

  /**
   * Reads an unencrypted PKCS#8 EC or Ed25519 key.
   *
   * @throws EdgecamException naming the file if it is missing or not such a key
   */
  static PrivateKey readPrivateKey(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new EdgecamException(file + ": no such file", e);
    } catch (IOException e) {
      throw new EdgecamException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (!io.edgecam.protocol.Pem.has("PRIVATE KEY", text)) {
      throw new EdgecamException(file + ": not an unencrypted PKCS#8 key (BEGIN PRIVATE KEY)");
    }
    try {
      return io.edgecam.protocol.Pem.privateKey(
          io.edgecam.protocol.Pem.decode("PRIVATE KEY", text), "EC", "Ed25519");
    } catch (IllegalArgumentException e) {
      throw new EdgecamException(file + ": not an EC or Ed25519 key", e);
    }
  }
}
