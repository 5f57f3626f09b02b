package io.edgecam.agent.update;

import io.edgecam.protocol.Int8Embedding;
import io.edgecam.protocol.bundle.WatchlistBundle;
import java.util.List;

/**
 * A verified watchlist bundle laid out for the prefilter: every embedding of every entry as one
 * unit-length float row, and per entry the prefilter threshold {@code min(global, entry)} and the
 * expiry. Immutable and thread-safe; {@link #toString()} shows no embeddings.
 */
final class LocalWatchlist {
  private final long version;
  private final String model;
  private final int dimensions;
  private final float[] rows;
  private final int[] entryOfRow;
  private final float[] thresholds;
  private final long[] expires;

  private LocalWatchlist(
      long version,
      String model,
      int dimensions,
      float[] rows,
      int[] entryOfRow,
      float[] thresholds,
      long[] expires) {
    this.version = version;
    this.model = model;
    this.dimensions = dimensions;
    this.rows = rows;
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
    float[] rows = new float[n * dims];
    int[] entryOfRow = new int[n];
    float[] thresholds = new float[entries.size()];
    long[] expires = new long[entries.size()];
    int row = 0;
    for (int i = 0; i < entries.size(); i++) {
      WatchlistBundle.Entry e = entries.get(i);
      thresholds[i] = (float) Math.min(globalThreshold, e.threshold());
      expires[i] = e.expiresMillis();
      for (Int8Embedding emb : e.embeddings()) {
        float[] unit = emb.toUnitFloat();
        System.arraycopy(unit, 0, rows, row * dims, dims);
        entryOfRow[row++] = i;
      }
    }
    return new LocalWatchlist(
        bundle.version(), bundle.model(), dims, rows, entryOfRow, thresholds, expires);
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
      float dot = 0;
      int base = r * d;
      for (int k = 0; k < d; k++) {
        dot += rows[base + k] * unit[k];
      }
      if (dot >= thresholds[entry]) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "LocalWatchlist[v" + version + ", " + model + ", " + thresholds.length + " entries]";
  }
}
