package io.edgecam.protocol.tuf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where a {@link TufUpdater} gets repository files from: a directory, MQTT retained messages,
 * HTTPS. Implementations must never hold more than {@code maxLength} bytes of a file (endless data
 * attack); {@link #readBounded} does that for streams. The updater checks everything else.
 */
public interface TufFetcher {
  /**
   * A metadata file by name ({@code 2.root.json}, {@code timestamp.json}, {@code
   * 3.watchlist.json}...).
   *
   * @return the bytes, or empty if the repository has no such file
   * @throws TufException LENGTH if the file is longer than {@code maxLength}
   */
  Optional<byte[]> fetchMetadata(String name, long maxLength);

  /**
   * A target file by repository path ({@code watchlist/<sha256>.bundle.bin} with consistent
   * snapshots).
   *
   * @return the bytes, or empty if the repository has no such file
   * @throws TufException LENGTH if the file is longer than {@code maxLength}
   */
  Optional<byte[]> fetchTarget(String path, long maxLength);

  /**
   * Reads {@code in} to its end, failing as soon as more than {@code maxLength} bytes arrive.
   *
   * @param what the file name, for the message
   */
  static byte[] readBounded(InputStream in, long maxLength, String what) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    long total = 0;
    int n;
    while ((n = in.read(buf)) != -1) {
      total += n;
      if (total > maxLength) {
        throw new TufException(
            TufException.Kind.LENGTH, what + ": longer than the allowed " + maxLength + " bytes");
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }
}
