package io.edgecam.protocol.tuf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A {@link MetadataStore} as {@code <role>.json} files in one directory (the layout tuf-js and
 * python-tuf use for their metadata dir). Writes go to a temporary file that is then renamed, so a
 * crash leaves the old or the new file. Not thread-safe: owned by one updater.
 */
public final class DirectoryMetadataStore implements MetadataStore {
  private final Path dir;

  /** A store in {@code dir}, which must exist. */
  public DirectoryMetadataStore(Path dir) {
    this.dir = dir;
  }

  @Override
  public Optional<byte[]> load(String role) {
    try {
      return Optional.of(Files.readAllBytes(file(role)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new TufException(TufException.Kind.IO, "cannot read " + file(role), e);
    }
  }

  @Override
  public void save(String role, byte[] bytes) {
    Path target = file(role);
    try {
      Path tmp = Files.createTempFile(dir, role, ".tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new TufException(TufException.Kind.IO, "cannot write " + target, e);
    }
  }

  @Override
  public void delete(String role) {
    try {
      Files.deleteIfExists(file(role));
    } catch (IOException e) {
      throw new TufException(TufException.Kind.IO, "cannot delete " + file(role), e);
    }
  }

  private Path file(String role) {
    return dir.resolve(role + ".json");
  }
}
