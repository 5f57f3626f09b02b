package io.edgecam.runtime.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold embeddings or personal data (databases, spools, bundles, reports): created
 * owner-only ({@code 0600}, folders {@code 0700}) whatever the process's umask, which is 022 on
 * most systems and would make them world-readable. On file systems without POSIX permissions the
 * permissions are left to the system. Stateless.
 */
public final class PrivateFiles {
  /** {@code rw-------}. */
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  /** {@code rwx------}. */
  public static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  private PrivateFiles() {}

  /**
   * Creates the missing folders of {@code dir} as {@code 0700}; existing ones are left as they are
   * (e.g. a state directory that systemd made).
   */
  public static void createDirectories(Path dir) throws IOException {
    Path abs = dir.toAbsolutePath();
    if (Files.isDirectory(abs)) {
      return;
    }
    Path parent = abs.getParent();
    if (parent != null) {
      createDirectories(parent);
    }
    try {
      if (posix(parent)) {
        Files.createDirectory(abs, attribute(DIRECTORY));
        // createDirectory applies the umask; set the mode itself.
        Files.setPosixFilePermissions(abs, DIRECTORY);
      } else {
        Files.createDirectory(abs);
      }
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(abs)) {
        throw e;
      }
    }
  }

  /**
   * Makes {@code file} exist and be {@code 0600} before a library (SQLite) opens it: SQLite gives
   * its {@code -wal}, {@code -shm} and journal files the database file's permissions. Existing
   * files, and their {@code -wal}/{@code -shm}, are narrowed to {@code 0600} too.
   */
  public static void prepareDatabase(Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    Path parent = abs.getParent();
    if (parent != null) {
      createDirectories(parent);
    }
    if (!posix(parent)) {
      return;
    }
    try {
      Files.createFile(abs, attribute(FILE));
    } catch (FileAlreadyExistsException e) {
      // an existing database: narrowed below
    }
    restrict(abs);
    for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
      Path side = abs.resolveSibling(abs.getFileName() + suffix);
      if (Files.exists(side)) {
        restrict(side);
      }
    }
  }

  /** Writes {@code bytes} to a new or replaced {@code 0600} file. */
  public static void write(Path file, byte[] bytes) throws IOException {
    Path abs = file.toAbsolutePath();
    if (abs.getParent() != null) {
      createDirectories(abs.getParent());
    }
    if (posix(abs.getParent())) {
      if (!Files.exists(abs)) {
        Files.createFile(abs, attribute(FILE));
      }
      restrict(abs);
    }
    Files.write(abs, bytes);
  }

  /** Sets {@code 0600} on an existing file (on POSIX file systems). */
  public static void restrict(Path file) throws IOException {
    if (posix(file)) {
      Files.setPosixFilePermissions(file, FILE);
    }
  }

  private static boolean posix(Path p) {
    return p != null && p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> s) {
    return PosixFilePermissions.asFileAttribute(s);
  }
}
