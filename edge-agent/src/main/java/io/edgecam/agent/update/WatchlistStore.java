package io.edgecam.agent.update;

import io.edgecam.protocol.MalformedMessageException;
import io.edgecam.protocol.bundle.WatchlistBundle;
import io.edgecam.protocol.bundle.WatchlistBundleCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The device's persisted watchlist copy, {@code <updates>/watchlist/bundle.bin}: a header ({@code
 * EWL1} + SHA-256 of the bundle) and the bundle bytes exactly as TUF verified them, replaced
 * atomically, so that a restart uses the last applied watchlist before any network. A wipe deletes
 * it and leaves {@code wiped} holding the wiped version. Not thread-safe: owned by the update
 * thread (and {@code wipe} callers, synchronized by {@code UpdateClient}).
 */
final class WatchlistStore {
  private static final byte[] MAGIC = "EWL1".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER = MAGIC.length + 32;

  private final Path bundleFile;
  private final Path wipedFile;

  WatchlistStore(Path updatesDir) {
    Path dir = updatesDir.resolve("watchlist");
    this.bundleFile = dir.resolve("bundle.bin");
    this.wipedFile = dir.resolve("wiped");
  }

  /**
   * The stored bundle, or null if there is none.
   *
   * @throws IOException if the file cannot be read
   * @throws MalformedMessageException if it is damaged (hash or decoding)
   */
  @Nullable WatchlistBundle load() throws IOException {
    byte[] file;
    try {
      file = Files.readAllBytes(bundleFile);
    } catch (NoSuchFileException e) {
      return null;
    }
    if (file.length < HEADER || !Arrays.equals(MAGIC, 0, MAGIC.length, file, 0, MAGIC.length)) {
      throw new MalformedMessageException(bundleFile + ": not a stored watchlist (bad header)");
    }
    byte[] bundle = Arrays.copyOfRange(file, HEADER, file.length);
    if (!Arrays.equals(sha256(bundle), 0, 32, file, MAGIC.length, HEADER)) {
      throw new MalformedMessageException(bundleFile + ": damaged (SHA-256 mismatch)");
    }
    return WatchlistBundleCodec.decode(bundle);
  }

  /** Replaces the stored bundle with {@code bundle} (bytes as verified) and clears a wipe. */
  void save(byte[] bundle) throws IOException {
    byte[] file = new byte[HEADER + bundle.length];
    System.arraycopy(MAGIC, 0, file, 0, MAGIC.length);
    System.arraycopy(sha256(bundle), 0, file, MAGIC.length, 32);
    System.arraycopy(bundle, 0, file, HEADER, bundle.length);
    AtomicFiles.write(bundleFile, file);
    Files.deleteIfExists(wipedFile);
  }

  /** Deletes the stored bundle and records that version {@code version} was wiped. */
  void wipe(long version) throws IOException {
    AtomicFiles.write(wipedFile, Long.toString(version).getBytes(StandardCharsets.US_ASCII));
    Files.deleteIfExists(bundleFile);
    AtomicFiles.syncDirectory(bundleFile.getParent());
  }

  /** The version wiped last, -1 if the watchlist was never wiped (or a newer one applied since). */
  long wipedVersion() throws IOException {
    try {
      return Long.parseLong(Files.readString(wipedFile, StandardCharsets.US_ASCII).trim());
    } catch (NoSuchFileException e) {
      return -1;
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE; // unreadable marker: stay wiped until someone looks
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JVM", e);
    }
  }
}
