package io.edgecam.matcher.index;

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
  private volatile Snapshot snapshot = Snapshot.EMPTY;

  @Override
  public void replace(Collection<WatchlistEntry> entries) {
    snapshot = Snapshot.of(entries);
  }

  @Override
  public @Nullable Match search(Int8Embedding query, double globalThreshold, Instant now) {
    Snapshot s = snapshot;
    if (s.vectors == 0 || query.dimensions() != s.dims) {
      return null;
    }
    byte[] q = query.values();
    double qNorm = Math.sqrt((double) query.rawNormSquared());
    long nowMillis = now.toEpochMilli();
    byte[] data = s.data;
    int dims = s.dims;
    int bestVector = -1;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int v = 0, off = 0; v < s.vectors; v++, off += dims) {
      int dot = dot(q, data, off, dims);
      double score = dot / (qNorm * s.norms[v]);
      if (score > bestScore) {
        int e = s.entryOf[v];
        double threshold = Double.isNaN(s.thresholds[e]) ? globalThreshold : s.thresholds[e];
        if (score >= threshold && nowMillis < s.expiresAt[e]) {
          bestScore = score;
          bestVector = v;
        }
      }
    }
    if (bestVector < 0) {
      return null;
    }
    WatchlistEntry entry = s.entries[s.entryOf[bestVector]];
    double threshold = entry.threshold() == null ? globalThreshold : entry.threshold();
    return new Match(entry.id(), entry.label(), bestScore, threshold);
  }

  /** Integer dot product; four accumulators keep the loop free of a serial dependency. */
  static int dot(byte[] q, byte[] data, int off, int dims) {
    int s0 = 0;
    int s1 = 0;
    int s2 = 0;
    int s3 = 0;
    int i = 0;
    for (; i + 3 < dims; i += 4) {
      s0 += q[i] * data[off + i];
      s1 += q[i + 1] * data[off + i + 1];
      s2 += q[i + 2] * data[off + i + 2];
      s3 += q[i + 3] * data[off + i + 3];
    }
    for (; i < dims; i++) {
      s0 += q[i] * data[off + i];
    }
    return s0 + s1 + s2 + s3;
  }

  @Override
  public int size() {
    return snapshot.entries.length;
  }

  @Override
  public int vectors() {
    return snapshot.vectors;
  }

  /** Immutable flattened copy of the entries. */
  private static final class Snapshot {
    static final Snapshot EMPTY =
        new Snapshot(
            new WatchlistEntry[0],
            0,
            0,
            new byte[0],
            new double[0],
            new int[0],
            new double[0],
            new long[0]);

    final WatchlistEntry[] entries;
    final int dims;
    final int vectors;
    final byte[] data;
    final double[] norms;
    final int[] entryOf;
    final double[] thresholds;
    final long[] expiresAt;

    private Snapshot(
        WatchlistEntry[] entries,
        int dims,
        int vectors,
        byte[] data,
        double[] norms,
        int[] entryOf,
        double[] thresholds,
        long[] expiresAt) {
      this.entries = entries;
      this.dims = dims;
      this.vectors = vectors;
      this.data = data;
      this.norms = norms;
      this.entryOf = entryOf;
      this.thresholds = thresholds;
      this.expiresAt = expiresAt;
    }

    static Snapshot of(Collection<WatchlistEntry> in) {
      if (in.isEmpty()) {
        return EMPTY;
      }
      WatchlistEntry[] entries = in.toArray(new WatchlistEntry[0]);
      int dims = entries[0].dimensions();
      int vectors = 0;
      for (WatchlistEntry e : entries) {
        if (e.dimensions() != dims) {
          throw new IllegalArgumentException(
              "watchlist entries differ in dimensions: "
                  + entries[0].id()
                  + " has "
                  + dims
                  + ", "
                  + e.id()
                  + " has "
                  + e.dimensions());
        }
        vectors += e.embeddings().size();
      }
      byte[] data = new byte[Math.multiplyExact(vectors, dims)];
      double[] norms = new double[vectors];
      int[] entryOf = new int[vectors];
      double[] thresholds = new double[entries.length];
      long[] expiresAt = new long[entries.length];
      int v = 0;
      for (int e = 0; e < entries.length; e++) {
        WatchlistEntry entry = entries[e];
        thresholds[e] = entry.threshold() == null ? Double.NaN : entry.threshold();
        expiresAt[e] = entry.expiresAt().toEpochMilli();
        for (Int8Embedding emb : entry.embeddings()) {
          System.arraycopy(emb.values(), 0, data, v * dims, dims);
          norms[v] = Math.sqrt((double) emb.rawNormSquared());
          entryOf[v] = e;
          v++;
        }
      }
      return new Snapshot(entries, dims, vectors, data, norms, entryOf, thresholds, expiresAt);
    }
  }
}
