package io.edgecam.ctl.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code edgecam bench load}: many simulated devices against one broker and one matcher. */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = {
      "N simulated devices (one MQTT connection each) publish synthetic candidates at a set rate"
          + " to one broker and one matcher on loopback.",
      "Reports delivered/s, alert latency p50/p99, the matcher's CPU and heap, lost and"
          + " duplicate candidates; baseline: the same load to a plain subscriber, same process.",
      "Exit code 1 if any candidate was lost or duplicated or an alert is missing."
    })
public final class BenchLoadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--devices",
      defaultValue = "200",
      description = "Simulated devices (default: ${DEFAULT-VALUE}).")
  int devices;

  @Option(
      names = "--rate",
      defaultValue = "5",
      description = "Candidates per second per device (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--seconds",
      defaultValue = "20",
      description = "Publishing time of each phase (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--broker",
      description = "Broker URL (tcp://host:port); default: an embedded broker on a free port.")
  @Nullable String broker;

  @Option(
      names = "--match-fraction",
      defaultValue = "0.1",
      description = "Share of candidates near a watchlist entry (default: ${DEFAULT-VALUE}).")
  double matchFraction;

  @Option(
      names = "--entries",
      defaultValue = "1000",
      description = "Watchlist entries (default: ${DEFAULT-VALUE}).")
  int entries;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Random seed of the vectors (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    check(devices >= 1 && devices <= 5000, "--devices must be in 1..5000, was " + devices);
    check(rate > 0 && rate <= 1000, "--rate must be in (0, 1000], was " + rate);
    check(seconds >= 1 && seconds <= 3600, "--seconds must be in 1..3600, was " + seconds);
    check(
        matchFraction >= 0 && matchFraction <= 1,
        "--match-fraction must be in 0..1, was " + matchFraction);
    check(entries >= 1 && entries <= 1_000_000, "--entries must be in 1..1000000, was " + entries);
    check(
        broker == null || broker.matches("(tcp|ssl)://.+"),
        "--broker must be tcp://host:port or ssl://host:port, was " + broker);
    PrintWriter err = spec.commandLine().getErr();
    Path state = Files.createTempDirectory("edgecam-bench-load-");
    try {
      ObjectNode report =
          new LoadBench(
                  new LoadBench.Options(
                      devices, rate, seconds, broker, matchFraction, entries, seed),
                  err)
              .run(state);
      PrintWriter out = spec.commandLine().getOut();
      out.println(json ? report.toString() : report.toPrettyString());
      out.flush();
      return report.get("ok").asBoolean() ? 0 : 1;
    } finally {
      LocalRig.deleteTree(state);
    }
  }

  private void check(boolean ok, String message) {
    if (!ok) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }
}
