package io.edgecam.ctl.provision;

import io.edgecam.protocol.EdgecamException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Writes files whole (temp file + rename) with explicit POSIX permissions. */
final class SecureFiles {
  static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
  static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");
  static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private SecureFiles() {}

  static void write(Path file, String text, Set<PosixFilePermission> mode) {
    write(file, text.getBytes(StandardCharsets.UTF_8), mode);
  }

  /**
   * Writes {@code bytes} to {@code file}, which never exists with other permissions or partly
   * written: the temp file gets {@code mode} before the first byte.
   */
  static void write(Path file, byte[] bytes, Set<PosixFilePermission> mode) {
    Path dir = file.toAbsolutePath().getParent();
    try {
      Path tmp =
          POSIX
              ? Files.createTempFile(
                  dir, ".tmp-", "", PosixFilePermissions.asFileAttribute(PRIVATE))
              : Files.createTempFile(dir, ".tmp-", "");
      try {
        Files.write(tmp, bytes);
        if (POSIX) {
          Files.setPosixFilePermissions(tmp, mode);
        }
        try {
          Files.move(
              tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new EdgecamException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Creates {@code dir} (and parents) if missing; a new innermost folder gets {@code mode}. */
  static void directory(Path dir, Set<PosixFilePermission> mode) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        if (POSIX) {
          Files.setPosixFilePermissions(dir, mode);
        }
      }
    } catch (IOException e) {
      throw new EdgecamException("cannot create folder " + dir + ": " + e.getMessage(), e);
    }
  }
}
