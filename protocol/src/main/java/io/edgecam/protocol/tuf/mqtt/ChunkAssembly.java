package io.edgecam.protocol.tuf.mqtt;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which chunks of one target a receiver has, and which incoming chunks it must drop or refuse. Pure
 * bookkeeping: the receiver stores the data (the device fetcher persists it so a restart resumes).
 * Rules, in order, for each offered chunk:
 *
 * <ol>
 *   <li>a chunk naming another SHA-256 than the expected one (the hash in the consistent-snapshot
 *       file name), or than the chunks accepted so far, is <b>dropped</b>: {@link
 *       Verdict#OTHER_TARGET} (mix-and-match);
 *   <li>a chunk declaring a total length above the receiver's limit (the length TUF metadata gives)
 *       is <b>refused</b>: {@link Verdict#TOO_LONG} (endless data); the receiver fails the
 *       download;
 *   <li>a chunk of the same hash with another length, chunk size or count is refused: {@link
 *       Verdict#INCONSISTENT};
 *   <li>an index already held is a {@link Verdict#DUPLICATE}; otherwise {@link Verdict#ACCEPTED}.
 * </ol>
 *
 * Thread-safe.
 */
public final class ChunkAssembly {
  /** What happened to an offered chunk. */
  public enum Verdict {
    /** New chunk, store it. */
    ACCEPTED,
    /** Already held. */
    DUPLICATE,
    /** Another target or version: dropped (mix-and-match). */
    OTHER_TARGET,
    /** Declares more bytes than allowed: refused (endless data). */
    TOO_LONG,
    /** Same hash, other layout: refused. */
    INCONSISTENT
  }

  /**
   * The shape of a chunked target.
   *
   * @param sha256Hex lowercase hex SHA-256 of the whole target
   * @param totalLength bytes
   * @param chunkSize nominal chunk size
   * @param count number of chunks
   */
  public record Layout(String sha256Hex, long totalLength, int chunkSize, int count) {
    /** The layout a chunk declares. */
    public static Layout of(TargetChunk c) {
      return new Layout(c.sha256Hex(), c.totalLength(), c.chunkSize(), c.count());
    }

    /** Byte offset of chunk {@code index}. */
    public long offset(int index) {
      return (long) index * chunkSize;
    }

    /** Data bytes of chunk {@code index}. */
    public int length(int index) {
      return (int) (index < count - 1 ? chunkSize : totalLength - (long) (count - 1) * chunkSize);
    }
  }

  private final @Nullable String expectedSha256;
  private final long maxLength;
  private @Nullable Layout layout;
  private final BitSet have = new BitSet();

  /**
   * @param expectedSha256Hex the hash chunks must name, or null to take the first accepted one's
   * @param maxLength most bytes the target may have
   */
  public ChunkAssembly(@Nullable String expectedSha256Hex, long maxLength) {
    this.expectedSha256 = expectedSha256Hex;
    this.maxLength = maxLength;
  }

  /**
   * Restores what a previous receiver had stored (after a restart).
   *
   * @return false (and nothing restored) if {@code stored} conflicts with the rules above
   */
  public synchronized boolean restore(Layout stored, BitSet indices) {
    if ((expectedSha256 != null && !expectedSha256.equals(stored.sha256Hex()))
        || stored.totalLength() > maxLength
        || indices.length() > stored.count()) {
      return false;
    }
    layout = stored;
    have.clear();
    have.or(indices);
    return true;
  }

  /** Judges {@code chunk} and, if accepted, records its index. */
  public synchronized Verdict offer(TargetChunk chunk) {
    String sha = chunk.sha256Hex();
    if (expectedSha256 != null && !expectedSha256.equals(sha)) {
      return Verdict.OTHER_TARGET;
    }
    if (layout != null && !layout.sha256Hex().equals(sha)) {
      return Verdict.OTHER_TARGET;
    }
    if (chunk.totalLength() > maxLength) {
      return Verdict.TOO_LONG;
    }
    Layout l = Layout.of(chunk);
    if (layout == null) {
      layout = l;
    } else if (!layout.equals(l)) {
      return Verdict.INCONSISTENT;
    }
    if (have.get(chunk.index())) {
      return Verdict.DUPLICATE;
    }
    have.set(chunk.index());
    return Verdict.ACCEPTED;
  }

  /** The layout of the accepted chunks, once one was accepted. */
  public synchronized Optional<Layout> layout() {
    return Optional.ofNullable(layout);
  }

  /** Whether every chunk is held. */
  public synchronized boolean isComplete() {
    return layout != null && have.cardinality() == layout.count();
  }

  /** Number of chunks held. */
  public synchronized int held() {
    return have.cardinality();
  }

  /** Indices not yet held (empty until the layout is known). */
  public synchronized List<Integer> missing() {
    List<Integer> out = new ArrayList<>();
    if (layout != null) {
      for (int i = have.nextClearBit(0); i < layout.count(); i = have.nextClearBit(i + 1)) {
        out.add(i);
      }
    }
    return out;
  }

  /** A copy of the held indices. */
  public synchronized BitSet heldIndices() {
    return (BitSet) have.clone();
  }
}
