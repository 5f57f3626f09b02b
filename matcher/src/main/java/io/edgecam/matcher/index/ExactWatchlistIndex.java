package io.edgecam.matcher.index;

import io.edgecam.matcher.watchlist.Origin;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Int8Embedding;
import java.time.Instant;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * Exact search: the int8 dot product of the query with every enrolled embedding, divided by norms
 * precomputed at {@link #replace}. All vectors sit in one contiguous byte array so that the loop
 * streams memory. Thread-safe: searches read an immutable snapshot that {@link #replace} swaps.
 */
public final class ExactWatchlistIndex implements WatchlistIndex {
  private volatile VectorTable table = VectorTable.EMPTY;

  @Override
  public void replace(Collection<WatchlistEntry> entries) {
    table = VectorTable.of(entries);
  }

  @Override
  public @Nullable Match search(
      Int8Embedding query, double globalThreshold, Instant now, @Nullable Origin origin) {
    VectorTable t = table;
    if (t.vectors == 0 || query.dimensions() != t.dims) {
      return null;
    }
    double[] score = new double[3];
    int row =
        t.bestRow(
            query.values(),
            Math.sqrt((double) query.rawNormSquared()),
            globalThreshold,
            now.toEpochMilli(),
            origin,
            score);
    return row < 0 ? null : t.match(row, score, globalThreshold);
  }

  /** Integer dot product of {@code q} with {@code dims} values of {@code data} from {@code off}. */
  static int dot(byte[] q, byte[] data, int off, int dims) {
    return VectorTable.dot(q, data, off, dims);
  }

  /** Heap held by the index's arrays, bytes. */
  public long heapBytes() {
    return table.arrayBytes();
  }

  @Override
  public int size() {
    return table.entries.length;
  }

  @Override
  public int vectors() {
    return table.vectors;
  }
}
