package io.edgecam.ctl.provision;

import io.edgecam.matcher.update.EncryptedKeys;
import io.edgecam.protocol.EdgecamException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * PEM text of certificates and unencrypted PKCS#8 keys, the forms the agent ({@code PemTls}),
 * Mosquitto and OpenSSL all read.
 */
final class Pem {
  private static final Pattern PKCS8 =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private static final String ENCRYPTED_BEGIN = "-----BEGIN ENCRYPTED PRIVATE KEY-----";
  private static final Pattern ENCRYPTED =
      Pattern.compile(ENCRYPTED_BEGIN + "([A-Za-z0-9+/=\\s]+)-----END ENCRYPTED PRIVATE KEY-----");

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
    return block("ENCRYPTED PRIVATE KEY", EncryptedKeys.encrypt(key.getEncoded(), passphrase));
  }

  /** Whether a key file holds an {@code ENCRYPTED PRIVATE KEY}. */
  static boolean isEncrypted(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII).contains(ENCRYPTED_BEGIN);
    } catch (IOException e) {
      return false;
    }
  }

  private static String block(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  /**
   * Reads an unencrypted PKCS#8 EC or Ed25519 key.
   *
   * @throws EdgecamException naming the file if it is missing or not such a key
   */
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
    PKCS8EncodedKeySpec spec;
    Matcher enc = ENCRYPTED.matcher(text);
    if (enc.find()) {
      if (passphrase == null) {
        throw new EdgecamException(
            file
                + ": the key is encrypted; give its passphrase (--passphrase-file FILE or"
                + " EDGECAM_CA_PASSPHRASE)");
      }
      spec =
          new PKCS8EncodedKeySpec(
              EncryptedKeys.decrypt(
                  Base64.getMimeDecoder().decode(enc.group(1)), passphrase, file));
    } else {
      Matcher m = PKCS8.matcher(text);
      if (!m.find()) {
        throw new EdgecamException(file + ": not a PKCS#8 key (BEGIN PRIVATE KEY)");
      }
      spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
    }
    for (String alg : new String[] {"EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new EdgecamException(file + ": not an EC or Ed25519 key");
  }
}
