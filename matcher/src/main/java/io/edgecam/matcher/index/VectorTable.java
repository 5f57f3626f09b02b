package io.edgecam.matcher.index;

import io.edgecam.matcher.watchlist.Authorization;
import io.edgecam.matcher.watchlist.Origin;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Int8Embedding;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * Immutable flattened copy of watchlist entries: every embedding's int8 values in one contiguous
 * byte array (row {@code v} at {@code v * dims}), its norm, the entry it belongs to, and each
 * entry's threshold and expiry. The exact index scans it; the HNSW index uses row numbers as graph
 * ordinals. Thread-safe (never modified after construction).
 */
final class VectorTable {
  static final VectorTable EMPTY =
      new VectorTable(
          new WatchlistEntry[0],
          0,
          0,
          new byte[0],
          new double[0],
          new int[0],
          new double[0],
          new long[0],
          new Authorization[0]);

  final WatchlistEntry[] entries;
  final int dims;
  final int vectors;
  final byte[] data;
  final double[] norms;
  final int[] entryOf;

  /** Per entry: its own threshold, or NaN for the global one. */
  final double[] thresholds;

  final long[] expiresAtMillis;

  /** Per entry: its authorisation scope, or null when it limits nothing (the common case). */
  final @Nullable Authorization[] scopes;

  /**
   * Scattered rows whose memory a re-rank reads ahead before it scores them ({@link #bestOf},
   * {@code SignBitWatchlistIndex.Codes.refine}): their cache misses are then in flight together.
   */
  static final int PREFETCH = 64;

  /**
   * Written with a sum of the bytes read ahead of a scattered re-rank ({@link #bestOf}, {@code
   * SignBitWatchlistIndex.Codes.refine}), so that the JIT cannot drop those loads as unused. Never
   * read.
   */
  static int prefetched;

  private VectorTable(
      WatchlistEntry[] entries,
      int dims,
      int vectors,
      byte[] data,
      double[] norms,
      int[] entryOf,
      double[] thresholds,
      long[] expiresAtMillis,
      @Nullable Authorization[] scopes) {
    this.entries = entries;
    this.dims = dims;
    this.vectors = vectors;
    this.data = data;
    this.norms = norms;
    this.entryOf = entryOf;
    this.thresholds = thresholds;
    this.expiresAtMillis = expiresAtMillis;
    this.scopes = scopes;
  }

  /**
   * Flattens {@code in}.
   *
   * @throws IllegalArgumentException if the entries' embeddings differ in dimension
   */
  static VectorTable of(Collection<WatchlistEntry> in) {
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
    Authorization[] scopes = new Authorization[entries.length];
    int v = 0;
    for (int e = 0; e < entries.length; e++) {
      WatchlistEntry entry = entries[e];
      thresholds[e] = entry.threshold() == null ? Double.NaN : entry.threshold();
      expiresAt[e] = entry.expiresAt().toEpochMilli();
      scopes[e] = entry.authorization().unrestricted() ? null : entry.authorization();
      for (Int8Embedding emb : entry.embeddings()) {
        System.arraycopy(emb.values(), 0, data, v * dims, dims);
        norms[v] = Math.sqrt((double) emb.rawNormSquared());
        entryOf[v] = e;
        v++;
      }
    }
    return new VectorTable(
        entries, dims, vectors, data, norms, entryOf, thresholds, expiresAt, scopes);
  }

  /** Heap held by the arrays (not the entries they were copied from), bytes. */
  long arrayBytes() {
    return data.length
        + 8L * norms.length
        + 4L * entryOf.length
        + 8L * thresholds.length
        + 8L * expiresAtMillis.length
        + 8L * scopes.length
        + 8L * entries.length;
  }

  /** Cosine of row {@code v} with {@code q} (whose norm is {@code qNorm}). */
  double cosine(byte[] q, double qNorm, int v) {
    return dot(q, data, v * dims, dims) / (qNorm * norms[v]);
  }

  /**
   * The threshold that applies to entry {@code e}: the global one, or the entry's own when higher
   * (an entry's threshold may only raise the operating point, never lower it).
   */
  double threshold(int e, double globalThreshold) {
    return Double.isNaN(thresholds[e]) ? globalThreshold : Math.max(thresholds[e], globalThreshold);
  }

  /**
   * True if entry {@code e} may match a candidate from {@code origin} at {@code nowMillis}: not
   * expired, and within its authorisation's sites, devices and window. Checked only for scores at
   * or above the threshold, so the scope costs nothing per scanned row.
   */
  boolean eligible(int e, long nowMillis, @Nullable Origin origin) {
    if (nowMillis >= expiresAtMillis[e]) {
      return false;
    }
    Authorization a = scopes[e];
    return a == null || a.permits(origin, nowMillis);
  }

  /**
   * Exact search: the row with the highest cosine at or above its entry's threshold, among entries
   * eligible at {@code nowMillis} for a candidate from {@code origin} (not expired, in scope); -1
   * if none. {@code best} (length 3) receives its cosine, the best cosine of another eligible entry
   * (the runner-up) and the best cosine of any eligible entry (for merging parts); {@link
   * Match#NO_SECOND} where there is none.
   */
  int bestRow(
      byte[] q,
      double qNorm,
      double globalThreshold,
      long nowMillis,
      @Nullable Origin origin,
      double[] best) {
    TopTwo top = new TopTwo(origin);
    for (int v = 0, off = 0; v < vectors; v++, off += dims) {
      double score = dot(q, data, off, dims) / (qNorm * norms[v]);
      if (score > top.floor()) {
        top.offer(v, score, globalThreshold, nowMillis);
      }
    }
    return top.result(best);
  }

  /**
   * As {@link #bestRow}, over {@code rows} only (an approximate index's candidates): the row with
   * the highest cosine at or above its entry's threshold, eligible (not expired, in scope); -1 if
   * none. {@code best} receives the same three scores as from {@link #bestRow}, over these rows. If
   * nothing eligible matched but a row above its threshold was skipped for its authorisation's
   * scope, it falls back to {@link #bestRow} over every row, so out-of-scope entries cannot hide an
   * in-scope match from the shortlist.
   */
  int bestOf(
      int[] rows,
      byte[] q,
      double qNorm,
      double globalThreshold,
      long nowMillis,
      @Nullable Origin origin,
      double[] best) {
    TopTwo top = new TopTwo(origin);
    // The rows lie scattered in memory: for each PREFETCH of them, read a byte of each cache line
    // of every row first (loads that do not wait on each other), so that the dot products run
    // from cache instead of waiting on one miss after another (~0.2 against ~0.3 us a 192-byte
    // row).
    int touched = 0;
    for (int from = 0; from < rows.length; from += PREFETCH) {
      int to = Math.min(rows.length, from + PREFETCH);
      for (int i = from; i < to; i++) {
        int v = rows[i];
        for (int off = v * dims, end = off + dims; off < end; off += 64) {
          touched += data[off];
        }
        touched += data[v * dims + dims - 1];
      }
      for (int i = from; i < to; i++) {
        int v = rows[i];
        double score = cosine(q, qNorm, v);
        if (score > top.floor()) {
          top.offer(v, score, globalThreshold, nowMillis);
        }
      }
    }
    prefetched = touched;
    if (top.bestVector < 0 && top.scopeSkipped) {
      // Entries scoped elsewhere filled the shortlist: an in-scope entry beyond it may still
      // match, so scan every row (rare: only when a scoped entry is close to the candidate).
      return bestRow(q, qNorm, globalThreshold, nowMillis, origin, best);
    }
    return top.result(best);
  }

  /**
   * One search's running result: the best row at or above its threshold, and the two best live
   * entries in scope for the candidate's origin whatever their threshold (the runner-up of the
   * match is the better of those that is not the matched entry).
   */
  private final class TopTwo {
    private final @Nullable Origin origin;
    int bestVector = -1;
    boolean scopeSkipped;
    double bestScore = Double.NEGATIVE_INFINITY;
    int topEntry = -1;
    double topScore = Double.NEGATIVE_INFINITY;
    double secondScore = Double.NEGATIVE_INFINITY;

    /** Scores at or below this change nothing. */
    double floor() {
      return Math.min(secondScore, bestScore);
    }

    TopTwo(@Nullable Origin origin) {
      this.origin = origin;
    }

    void offer(int v, double score, double globalThreshold, long nowMillis) {
      int e = entryOf[v];
      if (nowMillis >= expiresAtMillis[e]) {
        return;
      }
      if (scopes[e] != null && !scopes[e].permits(origin, nowMillis)) {
        // Out of scope: neither a match nor a runner-up for this candidate.
        scopeSkipped |= score >= threshold(e, globalThreshold);
        return;
      }
      if (score > topScore) {
        if (e != topEntry) {
          secondScore = topScore;
          topEntry = e;
        }
        topScore = score;
      } else if (e != topEntry && score > secondScore) {
        secondScore = score;
      }
      if (score > bestScore && score >= threshold(e, globalThreshold)) {
        bestScore = score;
        bestVector = v;
      }
    }

    int result(double[] best) {
      best[0] = bestScore;
      double runnerUp = bestVector >= 0 && entryOf[bestVector] != topEntry ? topScore : secondScore;
      best[1] = runnerUp == Double.NEGATIVE_INFINITY ? Match.NO_SECOND : runnerUp;
      best[2] = topScore == Double.NEGATIVE_INFINITY ? Match.NO_SECOND : topScore;
      return bestVector;
    }
  }

  /** The match for row {@code v}, from the scores {@link #bestRow} or {@link #bestOf} wrote. */
  Match match(int v, double[] best, double globalThreshold) {
    int e = entryOf[v];
    WatchlistEntry entry = entries[e];
    return new Match(
        entry.id(), entry.label(), best[0], threshold(e, globalThreshold), best[1], Double.NaN);
  }

  /**
   * Of two parts' matches, the one with the higher score (either may be null); its runner-up is the
   * better of its own and the other part's best live entry ({@code otherTop}, of another entry
   * since the parts hold different entries).
   */
  static @Nullable Match better(@Nullable Match a, double aTop, @Nullable Match b, double bTop) {
    if (a == null && b == null) {
      return null;
    }
    Match win = b == null || (a != null && a.score() >= b.score()) ? a : b;
    double otherTop = win == a ? bTop : aTop;
    if (otherTop <= win.secondScore()) {
      return win;
    }
    return new Match(
        win.entryId(), win.label(), win.score(), win.threshold(), otherTop, win.expectedFpir());
  }

  /**
   * Integer dot product of {@code q} with {@code dims} values of {@code data} from {@code off}. The
   * plain loop: C2 vectorizes none of the forms tried (four or eight accumulators, four rows per
   * pass sharing the query loads, dimension-major blocks in byte/short/float, two products per
   * 64-bit multiply), and it unrolls this one better than the four-accumulator form this was until
   * 2026-11 (~73 against ~105 ns for 192 dimensions, Java 17 on this machine). The incubating
   * Vector API was 7x faster but makes javac and every JVM start print a warning (docs/matcher.md,
   * "Exact search speed").
   */
  static int dot(byte[] q, byte[] data, int off, int dims) {
    int s = 0;
    for (int i = 0; i < dims; i++) {
      s += q[i] * data[off + i];
    }
    return s;
  }
}
