package io.edgecam.matcher.index;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.edgecam.matcher.watchlist.Origin;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Int8Embedding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Approximate search for large watchlists by sign bits: every embedding is also kept as one bit per
 * dimension (is the value below the list's mean there?) and as a 2-bit code per dimension. A search
 * scans every row's bits against the candidate quantized to 2 bits a dimension ({@link
 * Integer#bitCount} in loops the JIT vectorizes, ~0.4-0.9 ns a row for 192 dimensions, see {@link
 * Codes#distances}; by Hamming distance where popcounts cannot be vectorized, see {@link Scan}) and
 * keeps the ~{@code shortlist} nearest; scores those by their 2-bit codes against the candidate
 * quantized to 4 bits ({@link Codes#refine}, ~25-40 ns a row) and keeps the {@code rerank} best;
 * and re-ranks those by the exact int8 cosine, with thresholds and expiry as in {@link
 * ExactWatchlistIndex}. Only the candidate set is approximate; scores are the exact index's
 * numbers.
 *
 * <p>It replaced the HNSW graph as the default (docs/matcher.md, "Index"): no graph to build (a
 * 100,000-entry list is coded in ~0.4 s, so {@link #replace} just codes the new list), 24 bytes a
 * row of bits and 56 of codes instead of ~550 of links, and on {@code face-like} data it reaches
 * the same recall with less CPU. Its cost is linear in the list.
 *
 * <p>Thread-safe: searches read an immutable {@link Codes} that {@link #replace} swaps.
 */
public final class SignBitWatchlistIndex implements WatchlistIndex {
  /** Rows whose distances are counted to find the scan's cutoff. */
  static final int SAMPLE = 2048;

  /** Rows per block of the sign-bit table (6 arrays of 8 KB for 192 dimensions). */
  static final int BLOCK = 2048;

  /**
   * How the scan compares the candidate with the rows' sign bits. Both keep the rows whose
   * estimated cosine is highest; they differ in precision and in what the JIT makes of them.
   */
  public enum Scan {
    /**
     * The candidate at 2 bits a dimension, sign and magnitude, against the rows' sign bits (two
     * popcounts a word, {@link Codes#distances}): the same recall as {@link #HAMMING} with ~1.5x
     * fewer rows kept, and fast where the JIT vectorizes the popcounts.
     */
    ASYMMETRIC,
    /**
     * The candidate's sign bits against the rows' (Hamming distance, one popcount a word, {@link
     * Codes#hamming}), keeping 1.5 x {@code shortlist} rows for about the same recall: where the
     * popcounts run one at a time a search costs ~60% of an asymmetric one.
     */
    HAMMING;

    private static final Logger log = LoggerFactory.getLogger(Scan.class);

    /**
     * {@link #ASYMMETRIC} where C2 compiles the scan's popcounts to vector instructions (x86 with
     * AVX-512 VPOPCNTDQ, AVX-512 enabled in the JVM, superword on), else {@link #HAMMING}. Measured
     * at 100,000 entries at the defaults (docs/matcher.md, "Index"): with vector popcounts a search
     * cost 165 us with the asymmetric scan against 206-275 us with the Hamming one, at a higher
     * recall; without (the same machine run with {@code -XX:UseAVX=2}) 372-387 against 225 us. The
     * system property {@code edgecam.index.scan} ({@code asymmetric} or {@code hamming}) overrides
     * the choice, for measuring one on a machine that would choose the other.
     */
    public static Scan forThisMachine() {
      String forced = System.getProperty("edgecam.index.scan");
      if (forced != null) {
        return switch (forced) {
          case "asymmetric" -> ASYMMETRIC;
          case "hamming" -> HAMMING;
          default ->
              throw new IllegalArgumentException(
                  "system property edgecam.index.scan must be asymmetric or hamming, was "
                      + forced);
        };
      }
      return CHOSEN;
    }

    private static final Scan CHOSEN = detect();

    private static Scan detect() {
      String why;
      try {
        HotSpotDiagnosticMXBean vm =
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        boolean superWord = "true".equals(vm.getVMOption("UseSuperWord").getValue());
        int avx = Integer.parseInt(vm.getVMOption("UseAVX").getValue());
        boolean cpu = cpuFlags().contains("avx512_vpopcntdq");
        if (superWord && avx >= 3 && cpu) {
          log.info("Sign-bit scan: asymmetric (vector popcounts: AVX-512 VPOPCNTDQ)");
          return ASYMMETRIC;
        }
        why =
            !cpu
                ? "the CPU has no AVX-512 VPOPCNTDQ"
                : avx < 3 ? "the JVM runs with UseAVX=" + avx : "the JVM runs without UseSuperWord";
      } catch (RuntimeException e) { // not HotSpot, or no UseAVX (not x86)
        why = "no vector popcounts known on this JVM or CPU (" + e.getMessage() + ")";
      }
      log.info("Sign-bit scan: Hamming distance, shortlist x 1.5 ({})", why);
      return HAMMING;
    }

    private static Set<String> cpuFlags() {
      try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
        return lines
            .filter(l -> l.startsWith("flags"))
            .findFirst()
            .map(l -> Set.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+")))
            .orElse(Set.of());
      } catch (IOException | UncheckedIOException e) {
        return Set.of();
      }
    }
  }

  private final int shortlist;
  private final int rerank;
  private final Scan scan;
  private volatile Codes codes = Codes.EMPTY;
  private final LongAdder shortlisted = new LongAdder();
  private final LongAdder reranked = new LongAdder();
  private final LongAdder searches = new LongAdder();

  /**
   * An index whose scan keeps about {@code shortlist} rows per search, of which the {@code rerank}
   * best by their 2-bit codes are scored exactly (all of them when {@code shortlist <= rerank});
   * the scan {@link Scan#forThisMachine}.
   */
  public SignBitWatchlistIndex(int shortlist, int rerank) {
    this(shortlist, rerank, Scan.forThisMachine());
  }

  /** As {@link #SignBitWatchlistIndex(int, int)}, with the given scan. */
  public SignBitWatchlistIndex(int shortlist, int rerank, Scan scan) {
    if (shortlist < 1) {
      throw new IllegalArgumentException("shortlist must be positive, was " + shortlist);
    }
    if (rerank < 1) {
      throw new IllegalArgumentException("rerank must be positive, was " + rerank);
    }
    this.shortlist = shortlist;
    this.rerank = rerank;
    this.scan = scan;
  }

  /** The scan this index uses. */
  public Scan scan() {
    return scan;
  }

  @Override
  public void replace(Collection<WatchlistEntry> entries) {
    codes = Codes.of(VectorTable.of(entries), scan);
  }

  @Override
  public @Nullable Match search(
      Int8Embedding query, double globalThreshold, Instant now, @Nullable Origin origin) {
    Codes c = codes;
    VectorTable t = c.table;
    if (t.vectors == 0 || query.dimensions() != t.dims) {
      return null;
    }
    byte[] q = query.values();
    double qNorm = Math.sqrt((double) query.rawNormSquared());
    long nowMillis = now.toEpochMilli();
    double[] score = new double[3];
    int row;
    if (t.vectors <= 2 * shortlist) {
      row = t.bestRow(q, qNorm, globalThreshold, nowMillis, origin, score);
    } else {
      int want = scan == Scan.HAMMING ? shortlist + shortlist / 2 : shortlist;
      boolean refine = want > rerank;
      int[] rows = c.nearest(c.planes(q, qNorm), want);
      shortlisted.add(rows.length);
      if (refine && rows.length > rerank) {
        rows = c.refine(rows, q, qNorm, rerank);
      }
      reranked.add(rows.length);
      searches.increment();
      row = t.bestOf(rows, q, qNorm, globalThreshold, nowMillis, origin, score);
    }
    return row < 0 ? null : t.match(row, score, globalThreshold);
  }

  /**
   * Rows re-ranked by their exact cosine per search (over lists the scan served) since the last
   * {@link #resetReranked}, on average.
   */
  public double meanReranked() {
    long s = searches.sum();
    return s == 0 ? 0 : (double) reranked.sum() / s;
  }

  /** Rows the scan kept per search since the last {@link #resetReranked}, on average. */
  public double meanShortlisted() {
    long s = searches.sum();
    return s == 0 ? 0 : (double) shortlisted.sum() / s;
  }

  /** Clears what {@link #meanReranked} and {@link #meanShortlisted} average. */
  public void resetReranked() {
    shortlisted.reset();
    reranked.reset();
    searches.reset();
  }

  /** Heap held by the index: the vectors' arrays, the sign bits and the 2-bit codes, bytes. */
  public long heapBytes() {
    Codes c = codes;
    return c.table.arrayBytes() + c.signBytes() + 8L * c.fine.length + 16L * c.mean.length;
  }

  @Override
  public int size() {
    return codes.table.entries.length;
  }

  @Override
  public int vectors() {
    return codes.table.vectors;
  }

  /**
   * The sign bits and 2-bit codes of a {@link VectorTable}. Sign bits: bit {@code d} of a row is
   * set where the row, scaled to unit length, is below {@code mean[d]}, the list's mean there
   * (centring keeps every bit informative when real embeddings share a common direction). They are
   * laid out for the {@code scan}, in blocks of {@link #BLOCK} rows, one array per word in each, so
   * that the scan reads each sequentially: for {@link Scan#ASYMMETRIC}, {@code lanes} 32-bit words
   * a row, word {@code w} of row {@code v} at {@code blocks[v / BLOCK][w][v % BLOCK]} (int words,
   * because C2 vectorizes {@link Integer#bitCount} but not {@link Long#bitCount}, see {@link
   * #distances}); for {@link Scan#HAMMING}, {@code words} 64-bit words in {@code wideBlocks} the
   * same way (scalar, a long popcount does twice an int's work). One block more, the last ({@code
   * count}), holds the bits of the {@link #SAMPLE} rows spread over the list that {@link #cutoff}
   * estimates the cutoff from, so that it is scored by the same loops.
   *
   * <p>2-bit codes: the same centred value {@code x} in dimension {@code d} coded as {@code u} = 0,
   * 1, 2, 3 for {@code x} below {@code -step[d]}, below 0, below {@code step[d]}, and above, where
   * {@code step[d]} is 0.9957 standard deviations of the list there (the uniform 2-bit quantizer of
   * least error for a Gaussian; it stands for {@code (u - 1.5) * step[d]}). Row {@code v}'s codes
   * are the {@code words} words of the low bits, then those of the high bits, then the sum of its
   * codes, at {@code fine[v * (2 * words + 1)]}: row by row, because {@link #refine} reads
   * scattered rows whole, and the sum in the row because a separate array of sums cost a cache miss
   * of its own (the stage took ~20% longer). Immutable.
   */
  static final class Codes {
    static final Codes EMPTY = of(VectorTable.EMPTY, Scan.ASYMMETRIC);

    final VectorTable table;
    final Scan scan;
    final int words;
    final int lanes;

    /** Blocks of rows; block {@code count} is the sample. */
    final int count;

    /** Every {@code stride}-th row is in the sample. */
    final int stride;

    final int[][][] blocks;
    final long[][][] wideBlocks;
    final double[] mean;
    final double[] step;
    final long[] fine;

    private Codes(VectorTable table, Scan scan, double[] mean, double[] step) {
      this.table = table;
      this.scan = scan;
      this.mean = mean;
      this.step = step;
      int dims = mean.length;
      this.words = (dims + 63) / 64;
      this.lanes = (dims + 31) / 32;
      this.count = (table.vectors + BLOCK - 1) / BLOCK;
      this.stride = Math.max(1, table.vectors / SAMPLE);
      boolean wide = scan == Scan.HAMMING;
      this.blocks = new int[wide ? 0 : count + 1][][];
      this.wideBlocks = new long[wide ? count + 1 : 0][][];
      for (int b = 0; b <= count; b++) {
        if (wide) {
          wideBlocks[b] = new long[words][length(b)];
        } else {
          blocks[b] = new int[lanes][length(b)];
        }
      }
      this.fine = new long[Math.multiplyExact(2 * words + 1, table.vectors)];
    }

    static Codes of(VectorTable t, Scan scan) {
      if (t.vectors == 0) {
        return new Codes(t, scan, new double[0], new double[0]);
      }
      int dims = t.dims;
      double[] mean = new double[dims];
      for (int v = 0; v < t.vectors; v++) {
        double inv = 1 / t.norms[v];
        for (int d = 0, off = v * dims; d < dims; d++) {
          mean[d] += t.data[off + d] * inv;
        }
      }
      for (int d = 0; d < dims; d++) {
        mean[d] /= t.vectors;
      }
      double[] step = new double[dims];
      for (int v = 0; v < t.vectors; v++) {
        double inv = 1 / t.norms[v];
        for (int d = 0, off = v * dims; d < dims; d++) {
          double x = t.data[off + d] * inv - mean[d];
          step[d] += x * x;
        }
      }
      for (int d = 0; d < dims; d++) {
        step[d] = 0.9957 * Math.sqrt(step[d] / t.vectors);
      }
      Codes c = new Codes(t, scan, mean, step);
      int words = c.words;
      for (int v = 0; v < t.vectors; v++) {
        int[] b = c.bitsOf(t.data, v * dims, t.norms[v]);
        c.store(v / BLOCK, v % BLOCK, b);
        if (v % c.stride == 0) {
          c.store(c.count, v / c.stride, b);
        }
        int at = v * (2 * words + 1);
        c.fine[at + 2 * words] = c.code(t.data, v * dims, t.norms[v], c.fine, at);
      }
      return c;
    }

    /** Rows in block {@code b}; block {@code count} is the sample. */
    private int length(int b) {
      return b == count
          ? (table.vectors + stride - 1) / stride
          : Math.min(BLOCK, table.vectors - b * BLOCK);
    }

    /** Writes a row's sign bits ({@link #bitsOf}) to row {@code i} of block {@code b}. */
    private void store(int b, int i, int[] bits) {
      if (scan == Scan.HAMMING) {
        long[] wide = widen(bits);
        for (int w = 0; w < words; w++) {
          wideBlocks[b][w][i] = wide[w];
        }
      } else {
        for (int w = 0; w < lanes; w++) {
          blocks[b][w][i] = bits[w];
        }
      }
    }

    /** Bytes of the sign bits, the sample's included. */
    long signBytes() {
      long perRow = scan == Scan.HAMMING ? 8L * words : 4L * lanes;
      return perRow * (table.vectors + length(count));
    }

    /** The first {@code lanes} 32-bit words of {@code bits} as {@code words} 64-bit words. */
    long[] widen(int[] bits) {
      long[] out = new long[words];
      for (int w = 0; w < lanes; w++) {
        out[w / 2] |= (bits[w] & 0xFFFF_FFFFL) << (32 * (w % 2));
      }
      return out;
    }

    /**
     * Writes the 2-bit codes of the embedding at {@code values[off..off + dims)} (norm {@code
     * norm}) to {@code out[at..at + 2 * words)}; returns their sum.
     */
    int code(byte[] values, int off, double norm, long[] out, int at) {
      double inv = norm == 0 ? 0 : 1 / norm;
      int sum = 0;
      for (int d = 0; d < mean.length; d++) {
        double x = values[off + d] * inv - mean[d];
        int u = x < -step[d] ? 0 : x < 0 ? 1 : x < step[d] ? 2 : 3;
        sum += u;
        long bit = 1L << (d & 63);
        if ((u & 1) != 0) {
          out[at + (d >>> 6)] |= bit;
        }
        if ((u & 2) != 0) {
          out[at + words + (d >>> 6)] |= bit;
        }
      }
      return sum;
    }

    /**
     * The sign bits of the embedding at {@code values[off..off + dims)}, whose norm is {@code
     * norm}.
     */
    int[] bitsOf(byte[] values, int off, double norm) {
      int[] out = new int[lanes];
      double inv = norm == 0 ? 0 : 1 / norm;
      for (int d = 0; d < mean.length; d++) {
        if (values[off + d] * inv < mean[d]) {
          out[d >>> 5] |= 1 << (d & 31);
        }
      }
      return out;
    }

    /**
     * The {@code keep} of {@code rows} (row numbers, {@code keep < rows.length}) whose 2-bit codes
     * give the highest dot product with the candidate {@code q} (norm {@code qNorm}), in row order.
     *
     * <p>The estimate ranks rows by {@code sum_d code[d] * w[d]} with {@code w[d] = q[d] / qNorm *
     * step[d]}: the centred cosine {@code sum_d (code[d] - 1.5) * step[d] * q[d] / qNorm} without
     * the terms that are the same for every row. {@code w} is quantized to 4 bits symmetrically,
     * {@code w[d] ~ unit * (t[d] - 7.5)} with {@code t[d]} in 0..15, so the sum is {@code unit / 2
     * * (2 * sum_d code[d] * t[d] - 15 * sum_d code[d])}, an integer up to the factor; the first
     * sum is bit-serial, {@code sum_{i,j} 2^(i+j) * bitCount(code_i & t_j)} over the two bit planes
     * of the codes and the four of {@code t}: 24 popcounts a row for 192 dimensions, against 192
     * multiply-adds for the int8 cosine.
     *
     * <p>The rows lie scattered in memory, so this loop would wait on one cache miss after another;
     * it first reads the first and last word of each of the next {@link VectorTable#PREFETCH} rows,
     * loads that do not depend on each other and so are in flight together, then scores them from
     * cache (a prototype: 30-60 against ~145 ns a row).
     */
    int[] refine(int[] rows, byte[] q, double qNorm, int keep) {
      int dims = mean.length;
      double inv = qNorm == 0 ? 0 : 1 / qNorm;
      double[] w = new double[dims];
      double max = 0;
      for (int d = 0; d < dims; d++) {
        w[d] = q[d] * inv * step[d];
        max = Math.max(max, Math.abs(w[d]));
      }
      double unit = max > 0 ? max / 7.5 : 1;
      long[] t = new long[4 * words];
      for (int d = 0; d < dims; d++) {
        int level = (int) Math.round(w[d] / unit + 7.5);
        for (int j = 0; j < 4; j++) {
          if ((level >>> j & 1) != 0) {
            t[j * words + (d >>> 6)] |= 1L << (d & 63);
          }
        }
      }
      // A min-heap of the best so far: score in the high half (biased to be positive), row below.
      long[] heap = new long[keep];
      int size = 0;
      long touched = 0;
      int stride = 2 * words + 1;
      for (int from = 0; from < rows.length; from += VectorTable.PREFETCH) {
        int to = Math.min(rows.length, from + VectorTable.PREFETCH);
        for (int i = from; i < to; i++) {
          int o = rows[i] * stride;
          touched += fine[o] + fine[o + stride - 1]; // a row may straddle two cache lines
        }
        for (int i = from; i < to; i++) {
          int v = rows[i];
          // |score| <= (2 * 15 + 15) * 3 * dims: far below the bias for any dimension count
          int o = v * stride;
          long score = 2 * bitSum(o, t) - 15 * fine[o + 2 * words];
          long packed = (score + (1L << 30)) << 32 | v;
          if (size < keep) {
            heap[size++] = packed;
            if (size == keep) {
              Arrays.sort(heap); // ascending order is a min-heap
            }
          } else if (packed > heap[0]) {
            heap[0] = packed;
            siftDown(heap);
          }
        }
      }
      VectorTable.prefetched = (int) touched;
      int[] out = new int[size];
      for (int i = 0; i < size; i++) {
        out[i] = (int) heap[i];
      }
      Arrays.sort(out);
      return out;
    }

    /** {@code sum_d code[d] * t[d]} for the codes at {@code fine[o..]} and the 4 planes of t. */
    private long bitSum(int o, long[] t) {
      if (words == 3) { // 192 dimensions, written out: a loop over words is slower
        return planes(fine[o], fine[o + 3], t[0], t[3], t[6], t[9])
            + planes(fine[o + 1], fine[o + 4], t[1], t[4], t[7], t[10])
            + planes(fine[o + 2], fine[o + 5], t[2], t[5], t[8], t[11]);
      }
      long s = 0;
      for (int w = 0; w < words; w++) {
        s +=
            planes(
                fine[o + w],
                fine[o + words + w],
                t[w],
                t[words + w],
                t[2 * words + w],
                t[3 * words + w]);
      }
      return s;
    }

    /** One word of {@code sum code * t}: code bits {@code a0, a1}, level bits {@code t0..t3}. */
    private static long planes(long a0, long a1, long t0, long t1, long t2, long t3) {
      return Long.bitCount(a0 & t0)
          + 2L * (Long.bitCount(a0 & t1) + Long.bitCount(a1 & t0))
          + 4L * (Long.bitCount(a0 & t2) + Long.bitCount(a1 & t1))
          + 8L * (Long.bitCount(a0 & t3) + Long.bitCount(a1 & t2))
          + 16L * Long.bitCount(a1 & t3);
    }

    private static void siftDown(long[] h) {
      int n = h.length;
      long x = h[0];
      int i = 0;
      for (int child = 1; child < n; child = 2 * i + 1) {
        if (child + 1 < n && h[child + 1] < h[child]) {
          child++;
        }
        if (h[child] >= x) {
          break;
        }
        h[i] = h[child];
        i = child;
      }
      h[i] = x;
    }

    /**
     * The candidate at 2 bits a dimension, for the scan: {@code w[d] = (q[d] / qNorm - mean[d]) *
     * step[d]}, the centred candidate weighted by the list's spread in each dimension (a row's sign
     * bit there stands for a value of about that spread), quantized uniformly with step {@code
     * unit} = 0.9957 x the root mean square of {@code w} to {@code +-0.5 unit} or {@code +-1.5
     * unit}. As two bit planes of {@code lanes} words: the sign (set where {@code w[d] < 0}, the
     * rows' convention), then the magnitude (set where {@code |w[d]| > unit}, i.e. 1.5).
     */
    int[] planes(byte[] q, double qNorm) {
      int dims = mean.length;
      double inv = qNorm == 0 ? 0 : 1 / qNorm;
      double[] w = new double[dims];
      double squares = 0;
      for (int d = 0; d < dims; d++) {
        w[d] = (q[d] * inv - mean[d]) * step[d];
        squares += w[d] * w[d];
      }
      double unit = 0.9957 * Math.sqrt(squares / dims);
      int[] t = new int[2 * lanes];
      for (int d = 0; d < dims; d++) {
        if (w[d] < 0) {
          t[d >>> 5] |= 1 << (d & 31);
        }
        if (Math.abs(w[d]) > unit) {
          t[lanes + (d >>> 5)] |= 1 << (d & 31);
        }
      }
      return t;
    }

    /**
     * Writes the scan's distances of the first {@code len} rows of {@code block} to the candidate's
     * {@link #planes} {@code t} to {@code out[0..len)}: over the dimensions where the row's sign
     * differs from the candidate's, 1 where the candidate is at {@code +-0.5 unit} and 3 where at
     * {@code +-1.5}; lower for nearer rows. With the row's bits standing for {@code s[d] = +-1},
     * the estimated centred dot product {@code sum_d s[d] * w[d]} is a constant minus {@code unit}
     * x this distance. Asymmetric: the row is one bit a dimension, the candidate two, which costs a
     * search nothing in memory; against both at one bit (Hamming distance) it keeps the same recall
     * with half the shortlist or less.
     *
     * <p>Each loop indexes all its arrays by the same counter from 0, the shape C2's
     * auto-vectorizer needs: where the CPU has AVX-512 VPOPCNTDQ it becomes 16 popcounts an
     * instruction (~0.3 ns a row for 192 dimensions, against ~1.9 ns for the scalar Hamming loop
     * over three longs that this replaced); elsewhere it runs scalar. Written as sign and magnitude
     * planes it is ~15% faster than as the two bits of a level (which also needs each row's count
     * of set bits).
     */
    private void distances(int[][] block, int[] t, int[] out, int len) {
      int[] b = block[0];
      int sign = t[0];
      int magnitude = t[lanes];
      for (int i = 0; i < len; i++) {
        int differ = b[i] ^ sign;
        out[i] = Integer.bitCount(differ) + 2 * Integer.bitCount(differ & magnitude);
      }
      for (int w = 1; w < lanes; w++) {
        b = block[w];
        sign = t[w];
        magnitude = t[lanes + w];
        for (int i = 0; i < len; i++) {
          int differ = b[i] ^ sign;
          out[i] += Integer.bitCount(differ) + 2 * Integer.bitCount(differ & magnitude);
        }
      }
    }

    /**
     * As {@link #distances}, the Hamming distances of the rows' sign bits to the candidate's
     * ({@code q}, the sign plane of its {@link #planes} widened): one popcount a 64-bit word, for
     * {@link Scan#HAMMING}. Scalar, ~0.65 ns a row for 192 dimensions in a micro-benchmark, against
     * ~1.9 ns for the loop this replaced, which tested each row's distance against the cutoff in
     * the same loop, and ~1.4 ns for 32-bit words.
     */
    private void hamming(long[][] block, long[] q, int[] out, int len) {
      long[] b = block[0];
      long sign = q[0];
      for (int i = 0; i < len; i++) {
        out[i] = Long.bitCount(b[i] ^ sign);
      }
      for (int w = 1; w < words; w++) {
        b = block[w];
        sign = q[w];
        for (int i = 0; i < len; i++) {
          out[i] += Long.bitCount(b[i] ^ sign);
        }
      }
    }

    /** The candidate's sign bits as 64-bit words for {@link Scan#HAMMING}, else null. */
    private long @Nullable [] signs(int[] t) {
      return scan == Scan.HAMMING ? widen(t) : null;
    }

    /**
     * Writes the distances of block {@code b}'s rows to the candidate ({@link #planes} {@code t};
     * {@code signs} for the Hamming scan) to {@code out}; returns how many rows it has.
     */
    private int distances(int b, int[] t, long @Nullable [] signs, int[] out) {
      int len = length(b);
      if (signs != null) {
        hamming(wideBlocks[b], signs, out, len);
      } else {
        distances(blocks[b], t, out, len);
      }
      return len;
    }

    /**
     * The smallest distance at or under which about {@code want} rows lie, estimated from the
     * distances of the {@link #SAMPLE} rows spread over the list that block {@code count} holds.
     */
    int cutoff(int[] t, int want) {
      return cutoff(t, signs(t), want);
    }

    private int cutoff(int[] t, long @Nullable [] signs, int want) {
      int sampled = length(count);
      int[] dist = new int[sampled];
      distances(count, t, signs, dist);
      int[] histogram = new int[3 * 32 * lanes + 1];
      for (int i = 0; i < sampled; i++) {
        histogram[dist[i]]++;
      }
      double wantSampled = (double) want * sampled / table.vectors;
      int cut = 0;
      for (int below = histogram[0]; below < wantSampled && cut < histogram.length - 1; ) {
        cut++;
        below += histogram[cut];
      }
      return cut;
    }

    /**
     * About {@code want} rows nearest to the candidate whose {@link #planes} are {@code t}, in row
     * order: one pass over the blocks computes every row's distance ({@link #distances}, or {@link
     * #hamming} for that scan) and keeps the rows at or under a cutoff estimated from a sample
     * ({@link #cutoff}), ties included.
     */
    int[] nearest(int[] t, int want) {
      long[] signs = signs(t);
      int cut = cutoff(t, signs, want);
      int[] rows = new int[Math.min(table.vectors, 2 * want + 64)];
      int[] dist = new int[BLOCK];
      int n = 0;
      for (int b = 0; b < count; b++) {
        int len = distances(b, t, signs, dist);
        // Collected apart from the distances: a branch in the distance loop would keep it scalar.
        // Branch-free collection (store every row, advance by the comparison) measured slower.
        for (int i = 0, base = b * BLOCK; i < len; i++) {
          if (dist[i] <= cut) {
            if (n == rows.length) {
              rows = Arrays.copyOf(rows, n * 2);
            }
            rows[n++] = base + i;
          }
        }
      }
      return Arrays.copyOf(rows, n);
    }
  }
}
