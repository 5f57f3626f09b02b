package io.edgecam.protocol.tuf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Fetches from a repository directory laid out by {@link TufRepository#writeTo} ({@code metadata/}
 * and {@code targets/}). Thread-safe.
 */
public final class DirectoryFetcher implements TufFetcher {
  private final Path metadataDir;
  private final Path targetsDir;

  /** A fetcher for the repository at {@code repositoryDir}. */
  public DirectoryFetcher(Path repositoryDir) {
    this.metadataDir = repositoryDir.resolve("metadata").normalize();
    this.targetsDir = repositoryDir.resolve("targets").normalize();
  }

  @Override
  public Optional<byte[]> fetchMetadata(String name, long maxLength) {
    return read(metadataDir, name, maxLength);
  }

  @Override
  public Optional<byte[]> fetchTarget(String path, long maxLength) {
    return read(targetsDir, path, maxLength);
  }

  private static Optional<byte[]> read(Path base, String name, long maxLength) {
    Path file = base.resolve(name).normalize();
    if (!file.startsWith(base)) {
      throw new TufException(TufException.Kind.NOT_FOUND, "path escapes the repository: " + name);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return Optional.of(TufFetcher.readBounded(in, maxLength, name));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new TufException(TufException.Kind.IO, "cannot read " + file, e);
    }
  }
}
