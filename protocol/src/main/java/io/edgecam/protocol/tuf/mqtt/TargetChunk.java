package io.edgecam.protocol.tuf.mqtt;

import io.edgecam.protocol.MalformedMessageException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One chunk of a target file on {@code edgecam/v1/{site}/updates/targets/{path}/{index}}
 * (docs/protocol.md, "Updates"). Binary, big-endian, 53-byte header then the data:
 *
 * <pre>
 * offset size field
 *  0      1   format = 1
 *  1     32   sha256 of the whole target
 * 33      8   total length of the target in bytes (0 .. 2^53)
 * 41      4   chunk size: every chunk but the last holds exactly this many bytes (1 .. 1 MiB)
 * 45      4   index, 0 .. count-1
 * 49      4   count = ceil(total / chunk size), at least 1
 * 53      n   data: chunk size bytes, the last chunk total - (count-1) * chunk size
 * </pre>
 *
 * Every chunk names the whole target (hash and length), so a receiver drops chunks of another
 * version (mix-and-match) and refuses a target longer than it expects before storing anything
 * (endless data); the assembled file is then checked against the TUF hash as any download.
 * Immutable.
 *
 * @param sha256 32-byte SHA-256 of the whole target
 * @param totalLength target length
 * @param chunkSize nominal chunk size
 * @param index this chunk's index
 * @param count number of chunks
 * @param data this chunk's bytes
 */
public record TargetChunk(
    byte[] sha256, long totalLength, int chunkSize, int index, int count, byte[] data) {
  /** Format byte. */
  public static final int FORMAT = 1;

  /** Header bytes before the data. */
  public static final int HEADER = 53;

  /** Default chunk size, 64 KiB (well under every broker's default packet limit). */
  public static final int DEFAULT_CHUNK_SIZE = 64 * 1024;

  /** Largest chunk size a receiver accepts. */
  public static final int MAX_CHUNK_SIZE = 1024 * 1024;

  /** Largest total length a chunk may declare (2^53, the JSON-safe integer range). */
  public static final long MAX_TOTAL = 1L << 53;

  /** Validates the layout rules above; throws IllegalArgumentException naming the broken one. */
  public TargetChunk {
    if (sha256 == null || sha256.length != 32) {
      throw new IllegalArgumentException("chunk sha256 must be 32 bytes");
    }
    if (totalLength < 0 || totalLength > MAX_TOTAL) {
      throw new IllegalArgumentException("chunk total length out of range: " + totalLength);
    }
    if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
      throw new IllegalArgumentException(
          "chunk size must be in 1.." + MAX_CHUNK_SIZE + ", was " + chunkSize);
    }
    long expectedCount = Math.max(1, (totalLength + chunkSize - 1) / chunkSize);
    if (count != expectedCount) {
      throw new IllegalArgumentException(
          "chunk count "
              + count
              + " does not match total "
              + totalLength
              + " / chunk size "
              + chunkSize
              + " (expected "
              + expectedCount
              + ")");
    }
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "chunk index " + index + " beyond the declared count " + count);
    }
    long expectedData = expectedDataLength(totalLength, chunkSize, index, count);
    if (data == null || data.length != expectedData) {
      throw new IllegalArgumentException(
          "chunk "
              + index
              + " holds "
              + (data == null ? 0 : data.length)
              + " bytes, the declared layout gives it "
              + expectedData);
    }
    sha256 = sha256.clone();
    data = data.clone();
  }

  private static long expectedDataLength(long total, int chunkSize, int index, int count) {
    return index < count - 1 ? chunkSize : total - (long) (count - 1) * chunkSize;
  }

  /** Lowercase hex of {@link #sha256()}. */
  public String sha256Hex() {
    return HexFormat.of().formatHex(sha256);
  }

  @Override
  public byte[] sha256() {
    return sha256.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  /** Number of data bytes (without copying them). */
  public int dataLength() {
    return data.length;
  }

  /** Writes the data into {@code out} at the chunk's offset; returns nothing. */
  public void copyInto(byte[] out) {
    System.arraycopy(data, 0, out, (int) ((long) index * chunkSize), data.length);
  }

  /** The MQTT payload. */
  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(HEADER + data.length);
    b.put((byte) FORMAT).put(sha256).putLong(totalLength).putInt(chunkSize);
    b.putInt(index).putInt(count).put(data);
    return b.array();
  }

  /**
   * Parses a chunk payload.
   *
   * @throws MalformedMessageException naming the broken rule (short header, unknown format, count
   *     not matching length and chunk size, index beyond count, data longer or shorter than its
   *     slot)
   */
  public static TargetChunk decode(byte[] payload) {
    if (payload == null || payload.length < HEADER) {
      throw new MalformedMessageException(
          "target chunk: "
              + (payload == null ? 0 : payload.length)
              + " bytes, shorter than the "
              + HEADER
              + "-byte header");
    }
    if (payload.length > HEADER + MAX_CHUNK_SIZE) {
      throw new MalformedMessageException(
          "target chunk: " + payload.length + " bytes, more than a chunk may hold");
    }
    ByteBuffer b = ByteBuffer.wrap(payload);
    int format = b.get() & 0xff;
    if (format != FORMAT) {
      throw new MalformedMessageException(
          "target chunk: unsupported format " + format + ", this decoder reads " + FORMAT);
    }
    byte[] sha = new byte[32];
    b.get(sha);
    long total = b.getLong();
    int chunkSize = b.getInt();
    int index = b.getInt();
    int count = b.getInt();
    try {
      return new TargetChunk(
          sha, total, chunkSize, index, count, Arrays.copyOfRange(payload, HEADER, payload.length));
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("target chunk: " + e.getMessage(), e);
    }
  }

  /**
   * Splits {@code content} into chunks of {@code chunkSize} (an empty file is one empty chunk).
   *
   * @throws IllegalArgumentException if the chunk size is out of range
   */
  public static List<TargetChunk> split(byte[] content, int chunkSize) {
    if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
      throw new IllegalArgumentException(
          "chunk size must be in 1.." + MAX_CHUNK_SIZE + ", was " + chunkSize);
    }
    byte[] sha = sha256(content);
    int count = Math.max(1, (content.length + chunkSize - 1) / chunkSize);
    List<TargetChunk> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int from = i * chunkSize;
      int to = Math.min(content.length, from + chunkSize);
      out.add(
          new TargetChunk(
              sha, content.length, chunkSize, i, count, Arrays.copyOfRange(content, from, to)));
    }
    return out;
  }

  static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TargetChunk c
        && Arrays.equals(sha256, c.sha256)
        && totalLength == c.totalLength
        && chunkSize == c.chunkSize
        && index == c.index
        && count == c.count
        && Arrays.equals(data, c.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sha256) * 31 + index;
  }

  @Override
  public String toString() {
    return "TargetChunk[" + sha256Hex().substring(0, 12) + ", " + index + "/" + count + "]";
  }
}
