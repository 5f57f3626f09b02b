package io.edgecam.matcher.bench;

import io.edgecam.matcher.calibration.ListScores;
import io.edgecam.matcher.calibration.OperatingPoint;
import io.edgecam.matcher.calibration.ThresholdPolicy;
import io.edgecam.matcher.config.IndexConfig;
import io.edgecam.matcher.index.ExactWatchlistIndex;
import io.edgecam.matcher.index.HnswWatchlistIndex;
import io.edgecam.matcher.index.Match;
import io.edgecam.matcher.index.SignBitWatchlistIndex;
import io.edgecam.matcher.index.WatchlistIndex;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Int8Embedding;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Measures watchlist search in one run, on the same entries, candidates and threads: {@link
 * ExactWatchlistIndex} (the baseline) against {@link HnswWatchlistIndex} and {@link
 * SignBitWatchlistIndex}, with their recall measured against the exact answers. Half the candidates
 * are another capture of an enrolled identity (cosine 0.8, as genuine pairs of the real embedder
 * average 0.78), half are strangers drawn from the same distribution. Not thread-safe.
 */
public final class MatcherBench {
  static final int DIMS = 192;

  /**
   * The fixed threshold the indexes are compared at (the matcher's until 2026-12; it now calibrates
   * its own to the list size, measured in {@link BenchResult#calibrated()}).
   */
  public static final double DEFAULT_THRESHOLD = 0.45;

  private static final double GENUINE_COSINE = 0.8;

  private MatcherBench() {}

  /**
   * What to run.
   *
   * @param entries watchlist entries (one embedding each)
   * @param candidates candidates searched per index
   * @param threads search threads
   * @param seed random seed of the synthetic data
   * @param data {@code face-like} or {@code isotropic} ({@link SyntheticEmbeddings})
   * @param threshold the global match threshold both indexes search with: recall@1 counts the
   *     candidates exact search matched at it
   * @param index HNSW graph parameters ({@code approximateFrom} and {@code efSearch} are ignored)
   * @param efSearch the HNSW {@code efSearch} values to measure, each on the same graph; none to
   *     skip HNSW (and its build)
   * @param shortlist the sign-bit index's {@code shortlist} values to measure, each with every
   *     {@code rerank} value
   * @param rerank the sign-bit index's {@code rerank} values to measure; none to skip it
   */
  public record Options(
      int entries,
      int candidates,
      int threads,
      long seed,
      String data,
      double threshold,
      IndexConfig index,
      List<Integer> efSearch,
      List<Integer> shortlist,
      List<Integer> rerank) {
    public Options {
      if (entries < 1 || candidates < 2 || threads < 1) {
        throw new IllegalArgumentException(
            "entries, candidates and threads must be positive, candidates >= 2");
      }
      if (!(threshold > -1 && threshold <= 1)) {
        throw new IllegalArgumentException(
            "threshold must be a cosine in (-1, 1], was " + threshold);
      }
      SyntheticEmbeddings.Kind.parse(data);
      efSearch = List.copyOf(efSearch);
      shortlist = List.copyOf(shortlist);
      rerank = List.copyOf(rerank);
      if (shortlist.stream().anyMatch(r -> r < 1 || r > 1_000_000)) {
        throw new IllegalArgumentException(
            "shortlist values must be in 1..1000000, was " + shortlist);
      }
      if (shortlist.isEmpty() && !rerank.isEmpty()) {
        throw new IllegalArgumentException("rerank values need a shortlist value");
      }
      if (efSearch.stream().anyMatch(ef -> ef < 1 || ef > 10_000)) {
        throw new IllegalArgumentException("efSearch values must be in 1..10000, was " + efSearch);
      }
      if (rerank.stream().anyMatch(r -> r < 1 || r > 1_000_000)) {
        throw new IllegalArgumentException("rerank values must be in 1..1000000, was " + rerank);
      }
      if (efSearch.isEmpty() && rerank.isEmpty()) {
        throw new IllegalArgumentException("nothing to measure: no efSearch and no rerank value");
      }
    }
  }

  /** Runs the benchmark without a calibrated threshold. */
  public static BenchResult run(Options o, Consumer<String> progress) {
    return run(o, null, progress);
  }

  /**
   * Runs the benchmark; {@code progress} receives one line per phase.
   *
   * @param policy also measures exact search at the threshold this policy calibrates for the
   *     generated list (its own cross-identity pairs pooled with the embedder's calibration), or
   *     null
   */
  public static BenchResult run(
      Options o, @Nullable ThresholdPolicy policy, Consumer<String> progress) {
    Random random = new Random(o.seed());
    SyntheticEmbeddings gen =
        new SyntheticEmbeddings(SyntheticEmbeddings.Kind.parse(o.data()), DIMS, random);
    Instant now = Instant.now();
    progress.accept("generating " + o.entries() + " " + o.data() + " entries");
    float[][] vectors = new float[o.entries()][];
    List<WatchlistEntry> list = new ArrayList<>(o.entries());
    for (int e = 0; e < o.entries(); e++) {
      vectors[e] = gen.identity();
      list.add(
          new WatchlistEntry(
              "e" + e,
              "entry " + e,
              List.of(Int8Embedding.quantize(vectors[e])),
              "bench-1",
              "benchmark",
              now.plusSeconds(86_400),
              "bench",
              now,
              null));
    }
    int n = o.candidates();
    Int8Embedding[] queries = new Int8Embedding[n];
    boolean[] genuine = new boolean[n];
    for (int q = 0; q < n; q++) {
      genuine[q] = q % 2 == 0;
      float[] v =
          genuine[q]
              ? gen.near(vectors[random.nextInt(o.entries())], GENUINE_COSINE)
              : gen.identity();
      queries[q] = Int8Embedding.quantize(v);
    }
    vectors = null; // the float copies are not part of what the matcher holds
    ExactWatchlistIndex exact = new ExactWatchlistIndex();
    exact.replace(list);

    int[] exactAnswer = new int[n];
    int[] exactNn = new int[n];
    progress.accept("searching " + n + " candidates exactly, " + o.threads() + " threads");
    IntConsumer exactSearch = q -> exactAnswer[q] = answer(exact, queries[q], o.threshold(), now);
    measure(exactSearch, Math.min(n, 200), o.threads()); // JIT warm-up
    Timing exactTiming = measure(exactSearch, n, o.threads());
    measure(q -> exactNn[q] = answer(exact, queries[q], -2, now), n, o.threads());
    Against baseline =
        new Against(queries, o.threshold(), now, o.threads(), exactAnswer, exactNn, genuine);
    Calibrated calibrated = null;
    if (policy != null) {
      progress.accept("calibrating the threshold to " + o.entries() + " entries");
      OperatingPoint op = policy.at(list.size(), ListScores.of(list));
      int[] at = new int[n];
      measure(q -> at[q] = answer(exact, queries[q], op.threshold(), now), n, o.threads());
      boolean[] stranger = new boolean[n];
      for (int q = 0; q < n; q++) {
        stranger[q] = !genuine[q];
      }
      calibrated =
          new Calibrated(op, strangersMatched(at, genuine), strangersMatched(at, stranger));
    }

    HnswWatchlistIndex hnsw = new HnswWatchlistIndex(o.index(), Runnable::run);
    double buildSeconds = 0;
    if (!o.efSearch().isEmpty()) {
      progress.accept("building the HNSW graph of " + o.entries() + " embeddings");
      long t0 = System.nanoTime();
      hnsw.replace(list);
      buildSeconds = (System.nanoTime() - t0) / 1e9;
    }
    List<HnswRun> runs = new ArrayList<>();
    for (int ef : o.efSearch()) {
      progress.accept("searching " + n + " candidates through HNSW, efSearch " + ef);
      hnsw.setEfSearch(ef);
      Measured m = baseline.measure(hnsw, hnsw::resetVisited, hnsw::meanVisited, () -> 0);
      runs.add(new HnswRun(ef, m.timing(), m.work(), m.recall()));
    }
    hnsw.close();
    List<SignBitRun> signBitRuns = new ArrayList<>();
    long signBitHeap = 0;
    for (int s : o.rerank().isEmpty() ? List.<Integer>of() : o.shortlist()) {
      for (int r : o.rerank()) {
        progress.accept(
            "searching " + n + " candidates by sign bits, shortlist " + s + ", rerank " + r);
        SignBitWatchlistIndex signBits = new SignBitWatchlistIndex(s, r);
        long t0 = System.nanoTime();
        signBits.replace(list);
        double codeSeconds = (System.nanoTime() - t0) / 1e9;
        signBitHeap = signBits.heapBytes();
        Measured m =
            baseline.measure(
                signBits,
                signBits::resetReranked,
                signBits::meanReranked,
                signBits::meanShortlisted);
        signBitRuns.add(
            new SignBitRun(
                s,
                r,
                signBits.scan().name().toLowerCase(Locale.ROOT),
                codeSeconds,
                m.timing(),
                m.extraWork(),
                m.work(),
                m.recall()));
      }
    }
    long heap = usedHeap(); // the indexes, the entries and the candidates are still reachable
    return new BenchResult(
        o,
        buildSeconds,
        hnsw.graphBytes(),
        exact.heapBytes(),
        hnsw.heapBytes(),
        heap,
        signBitHeap,
        exactTiming,
        runs,
        signBitRuns,
        strangersMatched(exactAnswer, genuine),
        calibrated);
  }

  /**
   * Exact search at the calibrated threshold.
   *
   * @param point the operating point calibrated for the generated list
   * @param strangersMatched fraction of strangers matched to some entry at its threshold
   * @param genuineMatched fraction of genuine candidates matched to some entry at it
   */
  public record Calibrated(OperatingPoint point, double strangersMatched, double genuineMatched) {}

  /** What an approximate index is measured against: the candidates and the exact answers. */
  private record Against(
      Int8Embedding[] queries,
      double threshold,
      Instant now,
      int threads,
      int[] exactAnswer,
      int[] exactNn,
      boolean[] genuine) {

    /**
     * Warms {@code index} up, times it over every candidate, reads its work per search ({@code
     * resetWork} before, {@code meanWork} and {@code extraWork} after), then compares its answers
     * with the exact ones.
     */
    Measured measure(
        WatchlistIndex index,
        Runnable resetWork,
        DoubleSupplier meanWork,
        DoubleSupplier extraWork) {
      int n = queries.length;
      int[] answers = new int[n];
      int[] nn = new int[n];
      IntConsumer search = q -> answers[q] = answer(index, queries[q], threshold, now);
      // JIT warm-up: every candidate once. With 1,000 the first index measured in a run still
      // showed a p99 of ~4.4 ms (against ~0.5 for the same one measured later): the search
      // threads keep both cores busy, and the JIT's compiler threads finish late.
      MatcherBench.measure(search, n, threads);
      resetWork.run();
      Timing t = MatcherBench.measure(search, n, threads);
      double work = meanWork.getAsDouble();
      double extra = extraWork.getAsDouble();
      MatcherBench.measure(q -> nn[q] = answer(index, queries[q], -2, now), n, threads);
      return new Measured(t, work, extra, Recall.of(exactAnswer, answers, genuine, exactNn, nn));
    }
  }

  /**
   * One index's timing, work per search (visited or re-ranked rows), other work per search
   * (shortlisted rows) and recall.
   */
  private record Measured(Timing timing, double work, double extraWork, Recall recall) {}

  private static double strangersMatched(int[] exact, boolean[] genuine) {
    int strangers = 0;
    int matched = 0;
    for (int q = 0; q < exact.length; q++) {
      if (!genuine[q]) {
        strangers++;
        matched += exact[q] >= 0 ? 1 : 0;
      }
    }
    return strangers == 0 ? 0 : (double) matched / strangers;
  }

  private static int answer(WatchlistIndex index, Int8Embedding q, double threshold, Instant now) {
    Match m = index.search(q, threshold, now);
    return m == null ? -1 : Integer.parseInt(m.entryId(), 1, m.entryId().length(), 10);
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  private static Timing measure(IntConsumer search, int candidates, int threads) {
    long[] latencies = new long[candidates];
    AtomicLong cpu = new AtomicLong();
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
                  ThreadMXBean mx = ManagementFactory.getThreadMXBean();
                  long cpu0 = mx.getCurrentThreadCpuTime();
                  for (int q = next.getAndIncrement(); q < candidates; q = next.getAndIncrement()) {
                    long s = System.nanoTime();
                    search.accept(q);
                    latencies[q] = System.nanoTime() - s;
                  }
                  cpu.addAndGet(mx.getCurrentThreadCpuTime() - cpu0);
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
          percentile(latencies, 0.99) / 1e3,
          cpu.get() / 1e3 / candidates);
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

  /**
   * Throughput and latency of one index.
   *
   * @param candidatesPerSecond candidates searched per second with all threads
   * @param p50Micros median per-candidate latency, microseconds
   * @param p99Micros 99th percentile per-candidate latency, microseconds
   * @param cpuMicros CPU time per candidate, microseconds: the cost independent of what else the
   *     machine runs; {@code 1e6 / cpuMicros} candidates/s per core
   */
  public record Timing(
      double candidatesPerSecond, double p50Micros, double p99Micros, double cpuMicros) {}

  /**
   * HNSW measured with one {@code efSearch}.
   *
   * @param efSearch candidates kept per search
   * @param timing throughput and latency
   * @param visited embeddings scored per search, on average (exact search scores all)
   * @param recall against exact search
   */
  public record HnswRun(int efSearch, Timing timing, double visited, Recall recall) {}

  /**
   * The sign-bit index measured with one {@code shortlist} and {@code rerank}.
   *
   * @param shortlist rows the scan keeps per search, as asked
   * @param rerank rows re-ranked exactly per search, as asked
   * @param scan how the scan compared (asymmetric or hamming; {@link
   *     SignBitWatchlistIndex.Scan#forThisMachine})
   * @param buildSeconds time {@code replace} took: flattening the entries and coding them
   * @param timing throughput and latency
   * @param shortlisted rows the scan kept per search, on average (its cutoff is estimated)
   * @param reranked rows re-ranked exactly per search, on average
   * @param recall against exact search
   */
  public record SignBitRun(
      int shortlist,
      int rerank,
      String scan,
      double buildSeconds,
      Timing timing,
      double shortlisted,
      double reranked,
      Recall recall) {}

  /**
   * An approximate index's answers compared with exact ones for the same candidates.
   *
   * @param recallAt1 of the candidates exact search matched (at the threshold), the fraction the
   *     index matched to the same entry
   * @param recallAt1Genuine the same, over genuine candidates (captures of an enrolled identity)
   * @param decisionsAgree fraction of all candidates with the same decision (same entry, or none)
   * @param nnRecallAt1 fraction of all candidates whose nearest entry (no threshold) it found
   */
  public record Recall(
      double recallAt1, double recallAt1Genuine, double decisionsAgree, double nnRecallAt1) {

    static Recall of(int[] exact, int[] hnsw, boolean[] genuine, int[] exactNn, int[] hnswNn) {
      int matched = 0;
      int found = 0;
      int matchedGenuine = 0;
      int foundGenuine = 0;
      int agree = 0;
      int nn = 0;
      for (int q = 0; q < exact.length; q++) {
        agree += exact[q] == hnsw[q] ? 1 : 0;
        nn += exactNn[q] == hnswNn[q] ? 1 : 0;
        if (exact[q] >= 0) {
          matched++;
          found += exact[q] == hnsw[q] ? 1 : 0;
          if (genuine[q]) {
            matchedGenuine++;
            foundGenuine += exact[q] == hnsw[q] ? 1 : 0;
          }
        }
      }
      int n = exact.length;
      return new Recall(
          ratio(found, matched),
          ratio(foundGenuine, matchedGenuine),
          ratio(agree, n),
          ratio(nn, n));
    }

    private static double ratio(int a, int b) {
      return b == 0 ? 1.0 : (double) a / b;
    }
  }

  /**
   * One run's figures.
   *
   * @param options what ran
   * @param buildSeconds time to build the HNSW graph (0 when HNSW was skipped)
   * @param graphBytes heap of the graph's links (Lucene's estimate)
   * @param exactHeapBytes heap the exact index's arrays hold
   * @param hnswHeapBytes heap the HNSW index holds: its own vector copy and the graph's links
   * @param usedHeapBytes JVM heap in use after GC with both indexes, the entries and the candidates
   *     loaded
   * @param signBitHeapBytes heap the sign-bit index holds: its own vector copy and the bits
   * @param exact exact search timing, the baseline
   * @param hnsw HNSW timing and recall, one per efSearch
   * @param signBits sign-bit timing and recall, one per shortlist and rerank
   * @param strangersMatched fraction of strangers exact search matched to some entry at the
   *     threshold: false alarms of the threshold at this watchlist size, not of the index
   * @param calibrated exact search at the calibrated threshold, or null when not measured
   */
  public record BenchResult(
      Options options,
      double buildSeconds,
      long graphBytes,
      long exactHeapBytes,
      long hnswHeapBytes,
      long usedHeapBytes,
      long signBitHeapBytes,
      Timing exact,
      List<HnswRun> hnsw,
      List<SignBitRun> signBits,
      double strangersMatched,
      @Nullable Calibrated calibrated) {

    /** The stable JSON shape of {@code bench matcher --json} (docs/matcher.md). */
    public String toJson() {
      IndexConfig i = options.index();
      StringBuilder runs = new StringBuilder();
      for (HnswRun r : hnsw) {
        runs.append(runs.length() == 0 ? "" : ",")
            .append(
                String.format(
                    Locale.ROOT,
                    "{\"ef_search\":%d,%s,\"visited\":%.0f,%s}",
                    r.efSearch(),
                    fields(r.timing()),
                    r.visited(),
                    comparison(r.timing(), r.recall())));
      }
      StringBuilder signBitRuns = new StringBuilder();
      for (SignBitRun r : signBits) {
        signBitRuns
            .append(signBitRuns.length() == 0 ? "" : ",")
            .append(
                String.format(
                    Locale.ROOT,
                    "{\"shortlist\":%d,\"rerank\":%d,\"scan\":\"%s\",\"build_s\":%.2f,%s,"
                        + "\"shortlisted\":%.0f,\"reranked\":%.0f,%s}",
                    r.shortlist(),
                    r.rerank(),
                    r.scan(),
                    r.buildSeconds(),
                    fields(r.timing()),
                    r.shortlisted(),
                    r.reranked(),
                    comparison(r.timing(), r.recall())));
      }
      return String.format(
          Locale.ROOT,
          "{\"entries\":%d,\"dimensions\":%d,\"data\":\"%s\",\"candidates\":%d,"
              + "\"threads\":%d,\"available_processors\":%d,\"threshold\":%.2f,"
              + "\"exact\":{%s},\"hnsw\":[%s],\"sign_bits\":[%s],\"strangers_matched\":%.4f,"
              + "\"graph\":{\"max_connections\":%d,\"beam_width\":%d,\"build_threads\":%d,"
              + "\"build_s\":%.1f},"
              + "\"heap_mb\":{\"exact\":%.1f,\"hnsw\":%.1f,\"hnsw_graph\":%.1f,"
              + "\"sign_bits\":%.1f,\"jvm_used\":%.1f},\"calibrated\":%s}",
          options.entries(),
          DIMS,
          options.data(),
          options.candidates(),
          options.threads(),
          Runtime.getRuntime().availableProcessors(),
          options.threshold(),
          fields(exact),
          runs,
          signBitRuns,
          strangersMatched,
          i.maxConnections(),
          i.beamWidth(),
          i.buildThreads(),
          buildSeconds,
          exactHeapBytes / 1e6,
          hnswHeapBytes / 1e6,
          graphBytes / 1e6,
          signBitHeapBytes / 1e6,
          usedHeapBytes / 1e6,
          calibratedJson());
    }

    private String calibratedJson() {
      if (calibrated == null) {
        return "null";
      }
      OperatingPoint p = calibrated.point();
      return String.format(
          Locale.ROOT,
          "{\"threshold\":%.2f,\"supported\":%b,\"expected_fpir\":%.6f,\"target_fpir\":%.4f,"
              + "\"fmr_bound\":%.3e,\"impostor_pairs\":%d,\"list_pairs\":%d,"
              + "\"strangers_matched\":%.4f,\"genuine_matched\":%.4f}",
          p.threshold(),
          p.supported(),
          p.expectedFpir(),
          p.targetFpir(),
          p.fmrBound(),
          p.impostorPairs(),
          p.listPairs(),
          calibrated.strangersMatched(),
          calibrated.genuineMatched());
    }

    /** Speed-up over exact search and recall against it. */
    private String comparison(Timing t, Recall r) {
      return String.format(
          Locale.ROOT,
          "\"speedup\":%.2f,\"recall_at_1\":%.4f,\"recall_at_1_genuine\":%.4f,"
              + "\"decisions_agree\":%.4f,\"nn_recall_at_1\":%.4f",
          t.candidatesPerSecond() / exact.candidatesPerSecond(),
          r.recallAt1(),
          r.recallAt1Genuine(),
          r.decisionsAgree(),
          r.nnRecallAt1());
    }

    private static String fields(Timing t) {
      return String.format(
          Locale.ROOT,
          "\"candidates_per_s\":%.1f,\"p50_us\":%.1f,\"p99_us\":%.1f,\"cpu_us\":%.1f",
          t.candidatesPerSecond(),
          t.p50Micros(),
          t.p99Micros(),
          t.cpuMicros());
    }
  }
}
