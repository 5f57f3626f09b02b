package io.edgecam.agent.update;

import io.edgecam.protocol.Int8Embedding;
import io.edgecam.protocol.bundle.WatchlistBundle;
import java.util.List;

/**
 * A verified watchlist bundle laid out for the prefilter: every embedding of every entry as one
 * int8 row (as the bundle carries it, 192 bytes for 192-d: 19 MB for 100,000 entries) with its
 * inverse norm, and per entry the prefilter threshold {@code min(global, entry)} and the expiry.
 * The cosine of a unit face vector {@code f} with row {@code q} is {@code (q . f) / |q|}: the scale
 * cancels. Immutable and thread-safe; {@link #toString()} shows no embeddings.
 */
final class LocalWatchlist {
  private final long version;
  private final String model;
  private final int dimensions;
  private final byte[] rows;
  private final float[] inverseNorms;
  private final int[] entryOfRow;
  private final float[] thresholds;
  private final long[] expires;

  private LocalWatchlist(
      long version,
      String model,
      int dimensions,
      byte[] rows,
      float[] inverseNorms,
      int[] entryOfRow,
      float[] thresholds,
      long[] expires) {
    this.version = version;
    this.model = model;
    this.dimensions = dimensions;
    this.rows = rows;
    this.inverseNorms = inverseNorms;
    this.entryOfRow = entryOfRow;
    this.thresholds = thresholds;
    this.expires = expires;
  }

  /**
   * Lays out {@code bundle}; the threshold an entry is compared with is the lower of {@code
   * globalThreshold} and the entry's own (matcher) threshold, so that no face the matcher would
   * match is held back.
   */
  static LocalWatchlist of(WatchlistBundle bundle, double globalThreshold) {
    List<WatchlistBundle.Entry> entries = bundle.entries();
    int dims = bundle.dimensions();
    int n = 0;
    for (WatchlistBundle.Entry e : entries) {
      n += e.embeddings().size();
    }
    byte[] rows = new byte[n * dims];
    float[] inverseNorms = new float[n];
    int[] entryOfRow = new int[n];
    float[] thresholds = new float[entries.size()];
    long[] expires = new long[entries.size()];
    int row = 0;
    for (int i = 0; i < entries.size(); i++) {
      WatchlistBundle.Entry e = entries.get(i);
      thresholds[i] = (float) Math.min(globalThreshold, e.threshold());
      expires[i] = e.expiresMillis();
      for (Int8Embedding emb : e.embeddings()) {
        System.arraycopy(emb.values(), 0, rows, row * dims, dims);
        inverseNorms[row] = (float) (1 / Math.sqrt(emb.rawNormSquared()));
        entryOfRow[row++] = i;
      }
    }
    return new LocalWatchlist(
        bundle.version(),
        bundle.model(),
        dims,
        rows,
        inverseNorms,
        entryOfRow,
        thresholds,
        expires);
  }

  long version() {
    return version;
  }

  /** Tag of the embedding space the entries belong to. */
  String model() {
    return model;
  }

  int dimensions() {
    return dimensions;
  }

  /** Entries not expired at {@code nowMillis}. */
  int activeEntries(long nowMillis) {
    int n = 0;
    for (long e : expires) {
      if (nowMillis < e) {
        n++;
      }
    }
    return n;
  }

  /**
   * Whether some entry unexpired at {@code nowMillis} has an embedding whose cosine with {@code
   * unit} (L2-normalized, {@link #dimensions()} long) reaches that entry's threshold. Expired
   * entries are skipped here, at use time.
   */
  boolean passes(float[] unit, long nowMillis) {
    int d = dimensions;
    for (int r = 0; r < entryOfRow.length; r++) {
      int entry = entryOfRow[r];
      if (nowMillis >= expires[entry]) {
        continue;
      }
      if (dot(rows, r * d, unit, d) * inverseNorms[r] >= thresholds[entry]) {
        return true;
      }
    }
    return false;
  }

  /** Four partial sums: independent chains the CPU overlaps (a float sum is not reordered). */
  private static float dot(byte[] rows, int base, float[] v, int d) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int k = 0;
    for (; k + 3 < d; k += 4) {
      s0 += rows[base + k] * v[k];
      s1 += rows[base + k + 1] * v[k + 1];
      s2 += rows[base + k + 2] * v[k + 2];
      s3 += rows[base + k + 3] * v[k + 3];
    }
    for (; k < d; k++) {
      s0 += rows[base + k] * v[k];
    }
    return (s0 + s1) + (s2 + s3);
  }

  @Override
  public String toString() {
    return "LocalWatchlist[v" + version + ", " + model + ", " + thresholds.length + " entries]";
  }
}
