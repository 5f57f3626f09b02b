package io.edgecam.ctl.provision;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * A minimal POSIX ustar writer for small bundles: folders and regular files with a mode, owned by
 * root (uid/gid 0), names up to 100 bytes. Enough for {@code tar -xzf} and {@code dpkg}'s tar.
 */
final class TarGz {
  private static final int BLOCK = 512;

  private final ByteArrayOutputStream tar = new ByteArrayOutputStream();
  private final long mtimeSeconds;

  TarGz(long mtimeSeconds) {
    this.mtimeSeconds = mtimeSeconds;
  }

  /** A folder entry; {@code name} without the trailing slash. */
  TarGz directory(String name, int mode) {
    header(name + "/", mode, 0, '5');
    return this;
  }

  TarGz file(String name, byte[] content, int mode) {
    header(name, mode, content.length, '0');
    tar.writeBytes(content);
    pad(content.length);
    return this;
  }

  /** The archive: two zero blocks end it, then gzip. */
  byte[] toGzip() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(tar.toByteArray());
      gz.write(new byte[2 * BLOCK]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private void header(String name, int mode, long size, char type) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    if (n.length > 100) {
      throw new IllegalArgumentException("tar entry name longer than 100 bytes: " + name);
    }
    byte[] h = new byte[BLOCK];
    System.arraycopy(n, 0, h, 0, n.length);
    octal(h, 100, 8, mode);
    octal(h, 108, 8, 0); // uid
    octal(h, 116, 8, 0); // gid
    octal(h, 124, 12, size);
    octal(h, 136, 12, mtimeSeconds);
    for (int i = 148; i < 156; i++) {
      h[i] = ' '; // checksum field counts as spaces while summing
    }
    h[156] = (byte) type;
    ascii(h, 257, "ustar");
    ascii(h, 263, "00");
    ascii(h, 265, "root");
    ascii(h, 297, "root");
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    tar.writeBytes(h);
  }

  private void pad(long size) {
    int rest = (int) (size % BLOCK);
    if (rest != 0) {
      tar.writeBytes(new byte[BLOCK - rest]);
    }
  }

  /** {@code len - 1} octal digits, zero-padded, then NUL. */
  private static void octal(byte[] h, int off, int len, long value) {
    String s = Long.toOctalString(value);
    if (s.length() > len - 1) {
      throw new IllegalArgumentException("value too large for a tar header: " + value);
    }
    ascii(h, off, "0".repeat(len - 1 - s.length()) + s);
    h[off + len - 1] = 0;
  }

  private static void ascii(byte[] h, int off, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, b.length);
  }
}
