package io.edgecam.matcher.bench;

import io.edgecam.matcher.index.ExactWatchlistIndex;
import io.edgecam.matcher.index.Match;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Int8Embedding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * Measures exact watchlist search: {@link ExactWatchlistIndex} (int8) against a baseline plain
 * float dot-product loop over the same entries, same queries, same threads, in one run. Half the
 * queries are near an enrolled entry (cosine ~0.8), half are strangers. Not thread-safe.
 */
public final class MatcherBench {
  private static final int DIMS = 192;
  private static final double THRESHOLD = 0.45;

  private MatcherBench() {}

  /** Runs the benchmark with synthetic unit vectors drawn from {@code seed}. */
  public static BenchResult run(int entries, int candidates, int threads, long seed) {
    if (entries < 1 || candidates < 2 || threads < 1) {
      throw new IllegalArgumentException(
          "entries, candidates and threads must be positive, candidates >= 2");
    }
    Random random = new Random(seed);
    Instant now = Instant.now();
    Instant expiry = now.plusSeconds(86_400);
    float[] flat = new float[entries * DIMS];
    List<WatchlistEntry> list = new ArrayList<>(entries);
    for (int e = 0; e < entries; e++) {
      float[] v = unit(random);
      System.arraycopy(v, 0, flat, e * DIMS, DIMS);
      list.add(
          new WatchlistEntry(
              "e" + e,
              "entry " + e,
              List.of(Int8Embedding.quantize(v)),
              "bench-1",
              "benchmark",
              expiry,
              "bench",
              now,
              null));
    }
    ExactWatchlistIndex index = new ExactWatchlistIndex();
    index.replace(list);

    float[][] queries = new float[candidates][];
    int[] truth = new int[candidates];
    for (int q = 0; q < candidates; q++) {
      if (q % 2 == 0) {
        truth[q] = random.nextInt(entries);
        queries[q] =
            near(Arrays.copyOfRange(flat, truth[q] * DIMS, (truth[q] + 1) * DIMS), 0.8, random);
      } else {
        truth[q] = -1;
        queries[q] = unit(random);
      }
    }
    Int8Embedding[] quantized = new Int8Embedding[candidates];
    for (int q = 0; q < candidates; q++) {
      quantized[q] = Int8Embedding.quantize(queries[q]);
    }

    int[] exactAnswer = new int[candidates];
    int[] floatAnswer = new int[candidates];
    IntPredicate exact =
        q -> {
          Match m = index.search(quantized[q], THRESHOLD, now);
          exactAnswer[q] = m == null ? -1 : Integer.parseInt(m.entryId().substring(1));
          return true;
        };
    IntPredicate baseline =
        q -> {
          floatAnswer[q] = floatSearch(flat, entries, queries[q]);
          return true;
        };
    // Warm both paths up so that the JIT has compiled them before timing.
    measure(exact, Math.min(candidates, 200), threads);
    measure(baseline, Math.min(candidates, 200), threads);
    Timing exactTiming = measure(exact, candidates, threads);
    Timing floatTiming = measure(baseline, candidates, threads);

    int agree = 0;
    int found = 0;
    int near = 0;
    for (int q = 0; q < candidates; q++) {
      if (exactAnswer[q] == floatAnswer[q]) {
        agree++;
      }
      if (truth[q] >= 0) {
        near++;
        if (exactAnswer[q] == truth[q]) {
          found++;
        }
      }
    }
    return new BenchResult(
        entries,
        DIMS,
        candidates,
        threads,
        exactTiming,
        floatTiming,
        (double) agree / candidates,
        (double) found / near);
  }

  /** Best entry by float cosine at or above the threshold, or -1: the baseline. */
  static int floatSearch(float[] flat, int entries, float[] q) {
    int best = -1;
    float bestScore = (float) THRESHOLD;
    for (int e = 0, off = 0; e < entries; e++, off += DIMS) {
      float dot = 0f;
      for (int i = 0; i < DIMS; i++) {
        dot += q[i] * flat[off + i];
      }
      if (dot >= bestScore) {
        bestScore = dot;
        best = e;
      }
    }
    return best;
  }

  private static Timing measure(IntPredicate search, int candidates, int threads) {
    long[] latencies = new long[candidates];
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(threads, r -> new Thread(r, "bench-matcher"));
    try {
      long t0 = System.nanoTime();
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int q = next.getAndIncrement(); q < candidates; q = next.getAndIncrement()) {
                    long s = System.nanoTime();
                    search.test(q);
                    latencies[q] = System.nanoTime() - s;
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      long wall = System.nanoTime() - t0;
      Arrays.sort(latencies);
      return new Timing(
          candidates / (wall / 1e9),
          percentile(latencies, 0.50) / 1e3,
          percentile(latencies, 0.99) / 1e3);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("benchmark interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("benchmark failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static long percentile(long[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static float[] unit(Random random) {
    float[] v = new float[DIMS];
    for (int i = 0; i < DIMS; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return normalize(v);
  }

  private static float[] near(float[] base, double cosine, Random random) {
    float[] noise = unit(random);
    double along = 0;
    for (int i = 0; i < DIMS; i++) {
      along += noise[i] * base[i];
    }
    for (int i = 0; i < DIMS; i++) {
      noise[i] -= (float) (along * base[i]);
    }
    normalize(noise);
    double s = Math.sqrt(1 - cosine * cosine);
    float[] out = new float[DIMS];
    for (int i = 0; i < DIMS; i++) {
      out[i] = (float) (cosine * base[i] + s * noise[i]);
    }
    return normalize(out);
  }

  private static float[] normalize(float[] v) {
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    float inv = (float) (1 / Math.sqrt(n));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
    return v;
  }

  /**
   * Throughput and latency of one search method.
   *
   * @param candidatesPerSecond candidates searched per second with all threads
   * @param p50Micros median per-candidate latency, microseconds
   * @param p99Micros 99th percentile per-candidate latency, microseconds
   */
  public record Timing(double candidatesPerSecond, double p50Micros, double p99Micros) {}

  /**
   * One run's figures.
   *
   * @param entries watchlist entries (one embedding each)
   * @param dimensions embedding dimension
   * @param candidates queries timed per method
   * @param threads search threads
   * @param exactInt8 {@link ExactWatchlistIndex}
   * @param baselineFloat plain float dot-product loop
   * @param agreement fraction of queries where both methods gave the same answer
   * @param recallNear fraction of near queries whose true entry the int8 index found
   */
  public record BenchResult(
      int entries,
      int dimensions,
      int candidates,
      int threads,
      Timing exactInt8,
      Timing baselineFloat,
      double agreement,
      double recallNear) {

    /** The stable JSON shape of {@code bench matcher --json}. */
    public String toJson() {
      return String.format(
          java.util.Locale.ROOT,
          "{\"entries\":%d,\"dimensions\":%d,\"candidates\":%d,\"threads\":%d,"
              + "\"exact_int8\":%s,\"baseline_float\":%s,\"speedup\":%.3f,\"agreement\":%.4f,\"recall_near\":%.4f}",
          entries,
          dimensions,
          candidates,
          threads,
          json(exactInt8),
          json(baselineFloat),
          exactInt8.candidatesPerSecond() / baselineFloat.candidatesPerSecond(),
          agreement,
          recallNear);
    }

    private static String json(Timing t) {
      return String.format(
          java.util.Locale.ROOT,
          "{\"candidates_per_s\":%.1f,\"p50_us\":%.1f,\"p99_us\":%.1f}",
          t.candidatesPerSecond(),
          t.p50Micros(),
          t.p99Micros());
    }
  }
}
