package io.edgecam.ctl.provision;

import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.EncryptedKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import org.jspecify.annotations.Nullable;

/**
 * PEM text of certificates and PKCS#8 keys (unencrypted, or under a passphrase as {@code ENCRYPTED
 * PRIVATE KEY}), the forms the agent ({@code PemTls}), Mosquitto and OpenSSL all read; the armour
 * itself is {@link io.edgecam.protocol.Pem}.
 */
final class Pem {
  private static final String ENCRYPTED = "ENCRYPTED PRIVATE KEY";

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

  /** {@code BEGIN ENCRYPTED PRIVATE KEY}: PKCS#8 under PBES2 ({@link EncryptedKeys}). */
  static String encryptedPrivateKey(PrivateKey key, char[] passphrase) {
    return block(ENCRYPTED, EncryptedKeys.encrypt(key.getEncoded(), passphrase));
  }

  /** Whether a key file holds an {@code ENCRYPTED PRIVATE KEY}. */
  static boolean isEncrypted(Path file) {
    try {
      return io.edgecam.protocol.Pem.has(
          ENCRYPTED, Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return false;
    }
  }

  private static String block(String type, byte[] der) {
    return io.edgecam.protocol.Pem.encode(type, der);
  }

  /** Reads an unencrypted PKCS#8 EC or Ed25519 key. */
  static PrivateKey readPrivateKey(Path file) {
    return readPrivateKey(file, null);
  }

  /**
   * Reads a PKCS#8 EC or Ed25519 key, decrypting an {@code ENCRYPTED PRIVATE KEY} with {@code
   * passphrase}.
   *
   * @throws EdgecamException naming the file if it is missing, not such a key, encrypted without a
   *     passphrase given, or the passphrase is wrong
   */
  static PrivateKey readPrivateKey(Path file, char @Nullable [] passphrase) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new EdgecamException(file + ": no such file", e);
    } catch (IOException e) {
      throw new EdgecamException(file + ": cannot read: " + e.getMessage(), e);
    }
    byte[] pkcs8;
    if (io.edgecam.protocol.Pem.has(ENCRYPTED, text)) {
      if (passphrase == null) {
        throw new EdgecamException(
            file
                + ": the key is encrypted; give its passphrase (--passphrase-file FILE or"
                + " EDGECAM_CA_PASSPHRASE)");
      }
      pkcs8 =
          EncryptedKeys.decrypt(io.edgecam.protocol.Pem.decode(ENCRYPTED, text), passphrase, file);
    } else if (io.edgecam.protocol.Pem.has("PRIVATE KEY", text)) {
      pkcs8 = io.edgecam.protocol.Pem.decode("PRIVATE KEY", text);
    } else {
      throw new EdgecamException(file + ": not a PKCS#8 key (BEGIN PRIVATE KEY)");
    }
    try {
      return io.edgecam.protocol.Pem.privateKey(pkcs8, "EC", "Ed25519");
    } catch (IllegalArgumentException e) {
      throw new EdgecamException(file + ": not an EC or Ed25519 key", e);
    }
  }
}
