package io.edgecam.agent.faults;

import io.edgecam.testing.Services;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real, size-limited file system for disk-full tests: a tmpfs mounted on a folder of the test's
 * own (needs root, as on the CI machine). Where it cannot be mounted the test is skipped with the
 * reason, or fails with EDGECAM_REQUIRE_SERVICES=1. A ballast file fills it on demand.
 */
public final class SmallFileSystem implements AutoCloseable {
  private final Path mountPoint;
  private final Path ballast;

  private SmallFileSystem(Path mountPoint) {
    this.mountPoint = mountPoint;
    this.ballast = mountPoint.resolve("ballast");
  }

  /** Mounts a tmpfs of {@code bytes} on {@code dir} (created). */
  public static SmallFileSystem mount(Path dir, long bytes) throws Exception {
    Files.createDirectories(dir);
    String reason;
    try {
      Process p =
          new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", dir.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return new SmallFileSystem(dir);
      }
      reason = "cannot mount a tmpfs (needs root): " + out;
    } catch (IOException e) {
      reason = "cannot run mount: " + e.getMessage();
    }
    Services.unavailable(reason);
    throw new AssertionError("unreachable");
  }

  public Path path() {
    return mountPoint;
  }

  /** Free bytes now. */
  public long free() {
    return mountPoint.toFile().getUsableSpace();
  }

  /** Writes ballast until the file system is full (ENOSPC). */
  public void fill() throws IOException {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(ballast)) {
      while (true) {
        out.write(block);
        out.flush();
      }
    } catch (IOException expected) {
      // "No space left on device": full, as wanted.
    }
    if (free() > 0) {
      throw new IOException("ballast did not fill " + mountPoint + ": " + free() + " bytes free");
    }
  }

  /** Removes the ballast: space comes back. */
  public void release() throws IOException {
    Files.deleteIfExists(ballast);
  }

  @Override
  public void close() throws IOException {
    Process p = new ProcessBuilder("umount", "-l", mountPoint.toString()).inheritIO().start();
    try {
      p.waitFor(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
