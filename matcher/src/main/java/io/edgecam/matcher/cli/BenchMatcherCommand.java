package io.edgecam.matcher.cli;

import io.edgecam.matcher.bench.MatcherBench;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgecam bench matcher}: exact search throughput and latency against a float baseline. */
@Command(
    name = "matcher",
    mixinStandardHelpOptions = true,
    description =
        "Exact int8 watchlist search vs a plain float dot-product loop, same entries and threads.")
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
      description = "Candidates searched per method (default: ${DEFAULT-VALUE}).")
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
    MatcherBench.BenchResult r = MatcherBench.run(entries, candidates, threads, seed);
    var out = spec.commandLine().getOut();
    if (json) {
      out.println(r.toJson());
    } else {
      out.printf(
          "watchlist %d x %d-d, %d candidates, %d threads%n",
          r.entries(), r.dimensions(), r.candidates(), r.threads());
      out.printf(
          "  exact int8     %10.1f candidates/s  p50 %8.1f us  p99 %8.1f us%n",
          r.exactInt8().candidatesPerSecond(),
          r.exactInt8().p50Micros(),
          r.exactInt8().p99Micros());
      out.printf(
          "  baseline float %10.1f candidates/s  p50 %8.1f us  p99 %8.1f us%n",
          r.baselineFloat().candidatesPerSecond(),
          r.baselineFloat().p50Micros(),
          r.baselineFloat().p99Micros());
      out.printf(
          "  agreement %.4f, recall of near candidates %.4f%n", r.agreement(), r.recallNear());
    }
    return 0;
  }
}
