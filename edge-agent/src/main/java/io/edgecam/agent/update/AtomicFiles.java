package io.edgecam.agent.update;

import io.edgecam.runtime.files.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash-safe file replacement: write a temporary file in the same directory, fsync it, rename it
 * over the target, fsync the directory. After a crash (kill -9, power loss) the target holds the
 * old or the new content, never a mix. Thread-safe for distinct targets.
 */
final class AtomicFiles {
  private static final Logger log = LoggerFactory.getLogger(AtomicFiles.class);

  private AtomicFiles() {}

  /** Replaces {@code target} with {@code data} ({@code 0600}), creating its directory if needed. */
  static void write(Path target, byte[] data) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    // Watchlist bundles hold embeddings: owner-only whatever the umask (the rename keeps the mode).
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    try (FileChannel ch =
        posix
            ? FileChannel.open(
                tmp,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PrivateFiles.FILE))
            : FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(data);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    move(tmp, target);
  }

  /** Renames {@code from} over {@code to} atomically and makes the rename durable. */
  static void move(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(to.toAbsolutePath().getParent());
  }

  /** Flushes a file's content to disk. */
  static void sync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /** Flushes a directory entry change (rename, create) to disk, where the platform allows it. */
  static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Linux allows it; some platforms cannot open a directory. The rename is atomic either way,
      // only its durability across power loss is then up to the file system.
      log.debug("cannot fsync directory {}: {}", dir, e.toString());
    }
  }

  /** Deletes a directory tree if it exists. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
