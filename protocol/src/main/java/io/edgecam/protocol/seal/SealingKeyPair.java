package io.edgecam.protocol.seal;

import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;

/**
 * A matcher's X25519 key pair for opening sealed candidates. The private key is stored as a PEM
 * {@code PRIVATE KEY} (PKCS#8, as {@code openssl genpkey -algorithm X25519} writes) in a file only
 * its owner can read; the public key is derived from it. Thread-safe; {@link #toString()} shows
 * only the key id.
 */
public final class SealingKeyPair {
  static final String PEM_LABEL = "PRIVATE KEY";

  private final PrivateKey privateKey;
  private final SealingPublicKey publicKey;

  private SealingKeyPair(PrivateKey privateKey) {
    this.privateKey = privateKey;
    this.publicKey = new SealingPublicKey(X25519.publicOf(privateKey));
  }

  /** A fresh random key pair. */
  public static SealingKeyPair generate() {
    KeyPair pair = X25519.generate();
    return new SealingKeyPair(pair.getPrivate());
  }

  /** A key pair from the raw 32-byte private scalar (test vectors). */
  static SealingKeyPair ofRawPrivate(byte[] scalar) {
    return new SealingKeyPair(X25519.privateKey(scalar));
  }

  /**
   * Parses a PEM private key.
   *
   * @throws IllegalArgumentException if it is not an X25519 private key in PEM
   */
  public static SealingKeyPair fromPem(String pem) {
    byte[] der = Pem.decode(PEM_LABEL, pem);
    PrivateKey key;
    try {
      key = KeyFactory.getInstance("X25519").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("not an X25519 private key (PKCS#8)", e);
    }
    if (!X25519.isX25519(key)) {
      throw new IllegalArgumentException("not an X25519 private key: " + key.getAlgorithm());
    }
    return new SealingKeyPair(key);
  }

  /**
   * Reads a PEM private key file.
   *
   * @throws EdgecamException naming the file if it is missing, unreadable or not an X25519 key
   */
  public static SealingKeyPair read(Path file) {
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

  /**
   * Writes the private key (mode 0600, created new) and the public key (0644).
   *
   * @throws EdgecamException naming the file if either exists already or cannot be written
   */
  public void write(Path privateFile, Path publicFile) {
    writeNew(privateFile, Pem.encode(PEM_LABEL, privateKey.getEncoded()), "rw-------");
    writeNew(publicFile, publicKey.toPem(), "rw-r--r--");
  }

  private static void writeNew(Path file, String text, String mode) {
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
      Files.writeString(
          file, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (FileAlreadyExistsException e) {
      throw new EdgecamException(file + ": exists already; not overwriting a key", e);
    } catch (IOException | UnsupportedOperationException e) {
      throw new EdgecamException(file + ": cannot write: " + e.getMessage(), e);
    }
  }

  /** The public half, for agents. */
  public SealingPublicKey publicKey() {
    return publicKey;
  }

  PrivateKey privateKey() {
    return privateKey;
  }

  @Override
  public String toString() {
    return "SealingKeyPair[" + publicKey.keyIdHex() + "]";
  }
}
