package io.edgecam.matcher.audit;

import io.edgecam.protocol.Pem;
import io.edgecam.protocol.tuf.SigningKey;
import io.edgecam.protocol.tuf.TufException;
import io.edgecam.protocol.tuf.TufKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Set;

/**
 * The matcher's Ed25519 audit key on disk: one PEM file holding the PKCS#8 {@code PRIVATE KEY} and
 * the X.509 {@code PUBLIC KEY} (the JDK cannot derive one from the other), mode 0600, created on
 * first use; beside it {@code FILE.pub} with the public key alone for verifiers. OpenSSL reads both
 * ({@code openssl pkey -in FILE -text}). A key file readable by group or others is refused.
 */
public final class AuditKeys {
  private static final String PRIVATE = "PRIVATE KEY";
  private static final String PUBLIC = "PUBLIC KEY";
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private AuditKeys() {}

  /** Loads the key, creating it (and {@code FILE.pub}) if the file does not exist. */
  public static SigningKey loadOrCreate(Path file) {
    if (!Files.exists(file)) {
      create(file);
    }
    return load(file);
  }

  /**
   * Creates a new key file; fails if one exists.
   *
   * @return the new key
   */
  public static SigningKey create(Path file) {
    SigningKey key = SigningKey.generate();
    String pem = pem(PRIVATE, key.privateEncoded()) + pem(PUBLIC, x509(key.publicKey()));
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".audit-key", ".tmp", posixOwnerOnly(dir));
      try {
        Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
        // A hard link fails if the name exists: two processes starting at once keep one key.
        Files.createLink(file, tmp);
      } finally {
        Files.deleteIfExists(tmp);
      }
      Files.writeString(publicFile(file), pem(PUBLIC, x509(key.publicKey())));
      return key;
    } catch (FileAlreadyExistsException e) {
      throw new AuditException("audit key " + file + " already exists", e);
    } catch (IOException e) {
      throw new AuditException("cannot create the audit key " + file + ": " + e.getMessage(), e);
    }
  }

  /** Loads an existing key file; refuses one readable by group or others. */
  public static SigningKey load(Path file) {
    String text = read(file);
    try {
      PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
      if (posix != null) {
        Set<PosixFilePermission> perms = posix.readAttributes().permissions();
        if (!OWNER_ONLY.containsAll(perms)) {
          throw new AuditException(
              "audit key "
                  + file
                  + " is readable by others (mode "
                  + PosixFilePermissions.toString(perms)
                  + "); run: chmod 600 "
                  + file);
        }
      }
    } catch (IOException e) {
      throw new AuditException("cannot read the audit key " + file + ": " + e.getMessage(), e);
    }
    try {
      return SigningKey.fromEncoded(block(text, PRIVATE, file), block(text, PUBLIC, file));
    } catch (TufException e) {
      throw new AuditException("audit key " + file + ": " + e.getMessage(), e);
    }
  }

  /** The public key from a key file or a {@code .pub} file (its {@code PUBLIC KEY} block). */
  public static TufKey readPublic(Path file) {
    byte[] der = block(read(file), PUBLIC, file);
    try {
      return TufKey.of(
          KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new AuditException(file + ": not an Ed25519 public key: " + e.getMessage(), e);
    }
  }

  /** {@code FILE.pub}. */
  public static Path publicFile(Path keyFile) {
    return keyFile.resolveSibling(keyFile.getFileName() + ".pub");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new AuditException("audit key " + file + ": no such file", e);
    } catch (IOException e) {
      throw new AuditException("cannot read the audit key " + file + ": " + e.getMessage(), e);
    }
  }

  private static FileAttribute<?>[] posixOwnerOnly(Path dir) throws IOException {
    return Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
  }

  private static byte[] x509(TufKey key) {
    return key.toPublicKey().getEncoded();
  }

  private static String pem(String type, byte[] der) {
    return Pem.encode(type, der);
  }

  private static byte[] block(String text, String type, Path file) {
    try {
      return Pem.decode(type, text);
    } catch (IllegalArgumentException e) {
      throw new AuditException(file + ": " + e.getMessage(), e);
    }
  }
}
