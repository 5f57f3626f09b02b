package io.edgecam.ctl.provision;

import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.tuf.Metadata;
import io.edgecam.protocol.tuf.Root;
import io.edgecam.protocol.tuf.TopLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The TUF root metadata a device starts trusting: checked before it goes into a bundle (TUF root,
 * signed by a threshold of its own root keys, not expired), then copied byte for byte.
 *
 * @param bytes the file as given
 * @param version root version
 * @param expires root expiry
 * @param threshold root key threshold
 */
record RootMetadataFile(byte[] bytes, long version, Instant expires, int threshold) {

  /**
   * @throws EdgecamException naming the file and what is wrong
   */
  static RootMetadataFile read(Path file, Instant now) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new EdgecamException("--root-metadata: " + file + ": no such file", e);
    } catch (IOException e) {
      throw new EdgecamException("--root-metadata: cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      Metadata<Root> m = Metadata.parse(bytes, Root.class);
      Root root = m.signed();
      m.verify(TopLevel.ROOT, root.role(TopLevel.ROOT), root.keys());
      if (root.isExpired(now)) {
        throw new EdgecamException(
            "--root-metadata: "
                + file
                + ": root v"
                + root.version()
                + " expired on "
                + root.expires());
      }
      return new RootMetadataFile(
          bytes, root.version(), root.expires(), root.role(TopLevel.ROOT).threshold());
    } catch (EdgecamException e) {
      if (e.getMessage().startsWith("--root-metadata")) {
        throw e;
      }
      throw new EdgecamException("--root-metadata: " + file + ": " + e.getMessage(), e);
    }
  }
}
