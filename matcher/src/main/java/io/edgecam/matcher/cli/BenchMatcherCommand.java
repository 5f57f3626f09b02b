package io.edgecam.matcher.cli;

import io.edgecam.matcher.bench.MatcherBench;
import io.edgecam.matcher.calibration.ThresholdPolicy;
import io.edgecam.matcher.config.ConfigException;
import io.edgecam.matcher.config.IndexConfig;
import io.edgecam.matcher.config.ThresholdConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgecam bench matcher}: exact search (the baseline) against the HNSW and the sign-bit
 * indexes on the same entries, candidates and threads, with their recall against the exact answers.
 */
@Command(
    name = "matcher",
    mixinStandardHelpOptions = true,
    description = {
      "Exact int8 watchlist search vs the HNSW and the sign-bit indexes, same entries,",
      "candidates and threads; their recall against the exact answers, build time and heap.",
      "Progress on stderr."
    })
public final class BenchMatcherCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--entries",
      defaultValue = "100000",
      description = "Watchlist entries (default: ${DEFAULT-VALUE}).")
  int entries;

  @Option(
      names = "--candidates",
      defaultValue = "2000",
      description = "Candidates searched per index (default: ${DEFAULT-VALUE}).")
  int candidates;

  @Option(
      names = "--threads",
      defaultValue = "2",
      description = "Search threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--data",
      defaultValue = "face-like",
      description =
          "face-like (spread of real impostor scores) or isotropic (worst case for HNSW);"
              + " default: ${DEFAULT-VALUE}.")
  String data;

  @Option(
      names = "--threshold",
      defaultValue = "" + MatcherBench.DEFAULT_THRESHOLD,
      description =
          "Global match threshold (cosine) of both indexes; recall@1 counts the candidates exact"
              + " search matched at it (default: ${DEFAULT-VALUE}; the calibrated threshold is"
              + " measured besides, see --calibration).")
  double threshold;

  @Option(
      names = "--ef-search",
      split = ",",
      paramLabel = "N[,N...]",
      defaultValue = "" + IndexConfig.DEFAULT_EF_SEARCH,
      description =
          "HNSW candidates kept per search; several (e.g. 64,128,256) are measured on one graph"
              + " (default: ${DEFAULT-VALUE}).")
  List<Integer> efSearch;

  @Option(
      names = "--shortlist",
      split = ",",
      paramLabel = "N[,N...]",
      defaultValue = "" + IndexConfig.DEFAULT_SHORTLIST,
      description =
          "Sign-bit index: rows the scan of the bits keeps per search, scored by their 2-bit"
              + " codes; several are measured, each with every --rerank (default:"
              + " ${DEFAULT-VALUE}).")
  List<Integer> shortlist;

  @Option(
      names = "--rerank",
      split = ",",
      paramLabel = "N[,N...]",
      defaultValue = "" + IndexConfig.DEFAULT_RERANK,
      description =
          "Sign-bit index: rows of the shortlist re-ranked exactly per search (all of it when"
              + " not fewer); several are measured (default: ${DEFAULT-VALUE}).")
  List<Integer> rerank;

  @Option(
      names = "--index",
      split = ",",
      paramLabel = "hnsw|sign-bits",
      defaultValue = "hnsw,sign-bits",
      description =
          "Approximate indexes to measure against exact search (default: ${DEFAULT-VALUE});"
              + " without hnsw no graph is built.")
  List<String> indexes;

  @Option(
      names = "--max-connections",
      defaultValue = "" + IndexConfig.DEFAULT_MAX_CONNECTIONS,
      description = "HNSW neighbours per node, M (default: ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--beam-width",
      defaultValue = "" + IndexConfig.DEFAULT_BEAM_WIDTH,
      description = "HNSW build beam width (default: ${DEFAULT-VALUE}).")
  int beamWidth;

  @Option(
      names = "--build-threads",
      defaultValue = "2",
      description = "Threads building the graph (default: ${DEFAULT-VALUE}).")
  int buildThreads;

  @Option(
      names = "--calibration",
      paramLabel = "MANIFEST|none",
      description =
          "Embedder manifest whose calibration sets the calibrated threshold, also measured"
              + " (default: the matcher's, mobilefacenet.json in the models directory; none: skip).")
  @Nullable String calibration;

  @Option(
      names = "--target-fpir",
      defaultValue = "" + ThresholdConfig.DEFAULT_TARGET,
      description =
          "Expected false alarms per stranger the calibrated threshold keeps to (default:"
              + " ${DEFAULT-VALUE}).")
  double targetFpir;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    if (entries < 1 || entries > 10_000_000) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--entries must be in 1..10000000, was " + entries);
    }
    if (candidates < 2 || threads < 1 || threads > 64) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--candidates must be >= 2 and --threads in 1..64");
    }
    for (String name : indexes) {
      if (!name.equals("hnsw") && !name.equals("sign-bits")) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--index must be hnsw and/or sign-bits, was '" + name + "'");
      }
    }
    MatcherBench.Options options;
    try {
      IndexConfig index =
          new IndexConfig(
              entries,
              maxConnections,
              beamWidth,
              efSearch.get(0),
              buildThreads,
              IndexConfig.Kind.HNSW,
              shortlist.get(0),
              rerank.get(0));
      options =
          new MatcherBench.Options(
              entries,
              candidates,
              threads,
              seed,
              data,
              threshold,
              index,
              indexes.contains("hnsw") ? efSearch : List.of(),
              shortlist,
              indexes.contains("sign-bits") ? rerank : List.of());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), e.getMessage().replace("index.", "--"));
    }
    ThresholdPolicy policy = null;
    if (!"none".equals(calibration)) {
      try {
        policy =
            new ThresholdConfig(
                    null, targetFpir, false, calibration == null ? null : Path.of(calibration))
                .policy();
      } catch (ConfigException | IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), e.getMessage().replace("thresholds.calibration", "--calibration"));
      }
    }
    PrintWriter err = spec.commandLine().getErr();
    MatcherBench.BenchResult r =
        MatcherBench.run(
            options,
            policy,
            line -> {
              err.println("bench matcher: " + line);
              err.flush();
            });
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(r.toJson());
    } else {
      out.printf(
          "watchlist %d x %d-d (%s), %d candidates, %d threads, threshold %.2f%n",
          entries, 192, data, candidates, threads, threshold);
      print(out, "exact          ", r.exact());
      for (MatcherBench.HnswRun h : r.hnsw()) {
        print(out, String.format("hnsw ef %-6d", h.efSearch()), h.timing());
        out.printf(
            "    recall@1 %.4f (genuine %.4f), decisions agree %.4f, nn recall@1 %.4f%n",
            h.recall().recallAt1(),
            h.recall().recallAt1Genuine(),
            h.recall().decisionsAgree(),
            h.recall().nnRecallAt1());
      }
      for (MatcherBench.SignBitRun b : r.signBits()) {
        print(out, String.format("bits %5d/%-4d", b.shortlist(), b.rerank()), b.timing());
        out.printf(
            "    recall@1 %.4f (genuine %.4f), decisions agree %.4f, nn recall@1 %.4f,"
                + " %.0f shortlisted (%s scan), %.0f re-ranked; coded in %.2f s%n",
            b.recall().recallAt1(),
            b.recall().recallAt1Genuine(),
            b.recall().decisionsAgree(),
            b.recall().nnRecallAt1(),
            b.shortlisted(),
            b.scan(),
            b.reranked(),
            b.buildSeconds());
      }
      out.printf(
          "  graph built in %.1f s; heap: exact %.1f MB, hnsw %.1f MB, sign bits %.1f MB;"
              + " strangers matched %.4f%n",
          r.buildSeconds(),
          r.exactHeapBytes() / 1e6,
          r.hnswHeapBytes() / 1e6,
          r.signBitHeapBytes() / 1e6,
          r.strangersMatched());
      if (r.calibrated() != null) {
        out.printf(
            "  calibrated: %s%n    exact search at it: strangers matched %.4f, genuine matched"
                + " %.4f%n",
            r.calibrated().point().describe(),
            r.calibrated().strangersMatched(),
            r.calibrated().genuineMatched());
      }
    }
    out.flush();
    return 0;
  }

  private static void print(PrintWriter out, String name, MatcherBench.Timing t) {
    out.printf(
        "  %s %10.1f candidates/s  p50 %8.1f us  p99 %8.1f us  cpu %8.1f us/candidate%n",
        name, t.candidatesPerSecond(), t.p50Micros(), t.p99Micros(), t.cpuMicros());
  }
}
