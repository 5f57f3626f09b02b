package io.edgecam.fleet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.fleet.update.BrokerTarget;
import io.edgecam.fleet.update.Rollout;
import io.edgecam.matcher.cli.DurationConverter;
import io.edgecam.protocol.tuf.EdgecamTarget;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code model rollout} and {@code watchlist rollout}: a staged rollout ({@link Rollout}) or, with
 * {@code --status}, the per-device state of one.
 */
abstract class RolloutCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin UpdateOptions.Repo repoOptions;
  @Mixin UpdateOptions.Publish publish;

  // No mixinStandardHelpOptions in subclasses: its -V/--version would clash with this --version.
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Option(names = "--version", required = true, paramLabel = "V", description = "Target version.")
  long version;

  @Option(
      names = "--devices",
      split = ",",
      paramLabel = "ID",
      description = "Canary devices of the first stage.")
  List<String> devices = new ArrayList<>();

  @Option(
      names = "--percent",
      paramLabel = "P",
      description = "Percentage of the site's devices in the first stage (0-100).")
  @Nullable Integer percent;

  @Option(
      names = "--step",
      split = ",",
      paramLabel = "P",
      description = "Further stages as percentages, e.g. 25,50,100 (default: 100).")
  List<Integer> steps = new ArrayList<>();

  @Option(
      names = "--max-failures",
      paramLabel = "F",
      defaultValue = "0",
      description =
          "Halt when more than F devices report rejected or rolled_back (default: ${DEFAULT-VALUE}).")
  int maxFailures;

  @Option(
      names = "--min-applied",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "A stage must end with N included devices on the version before widening (default:"
              + " ${DEFAULT-VALUE}).")
  int minApplied;

  @Option(
      names = "--watch",
      paramLabel = "DURATION",
      defaultValue = "10m",
      converter = DurationConverter.class,
      description = "Longest watch of each stage, e.g. 90s, 10m (default: ${DEFAULT-VALUE}).")
  Duration watch;

  @Option(names = "--status", description = "Show the per-device state of the rollout instead.")
  boolean status;

  @Option(
      names = "--listen",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "With --status: how long to listen for results (default: ${DEFAULT-VALUE}).")
  Duration listen;

  @Option(names = "--json", description = "With --status: JSON output.")
  boolean json;

  abstract EdgecamTarget.Kind kind();

  abstract String targetName();

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    BrokerTarget broker = publish.broker(cl, null);
    if (broker == null) {
      throw new CommandLine.ParameterException(cl, "--broker URL is required");
    }
    String site = publish.site(cl);
    if (status) {
      return printStatus(cl, broker, site);
    }
    List<Rollout.Stage> stages = new ArrayList<>();
    try {
      if (devices.isEmpty() && percent == null) {
        throw new IllegalArgumentException("give the first stage: --devices a,b or --percent P");
      }
      stages.add(new Rollout.Stage(devices, percent == null ? 0 : percent));
      List<Integer> rest = steps.isEmpty() ? List.of(100) : steps;
      int last = stages.get(0).percent();
      for (int p : rest) {
        if (p <= last && !(p == 100 && last == 100)) {
          throw new IllegalArgumentException(
              "--step percentages must increase, " + p + " after " + last);
        }
        stages.add(new Rollout.Stage(List.of(), p));
        last = p;
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    Rollout.Plan plan =
        new Rollout.Plan(
            kind(), targetName(), version, site, stages, maxFailures, minApplied, watch);
    PrintStream progress =
        new PrintStream(new WriterStream(cl.getErr()), true, StandardCharsets.UTF_8);
    Rollout.Record r =
        Rollout.run(
            plan,
            repoOptions.repo,
            repoOptions.keyDirectory(),
            broker,
            publish.chunkSize,
            repoOptions.clock(),
            repoOptions.lifetimes(),
            progress);
    cl.getOut()
        .printf("%s: %s%n", r.state().name().toLowerCase(java.util.Locale.ROOT), r.message());
    return r.state() == Rollout.State.COMPLETED ? 0 : 1;
  }

  private int printStatus(CommandLine cl, BrokerTarget broker, String site) throws Exception {
    List<Rollout.DeviceState> states =
        Rollout.status(
            repoOptions.repo,
            repoOptions.keyDirectory(),
            kind(),
            targetName(),
            version,
            site,
            broker,
            listen,
            repoOptions.clock(),
            repoOptions.lifetimes());
    Rollout.Record rec =
        Rollout.load(Rollout.recordFile(repoOptions.repo, kind(), targetName(), version));
    PrintWriter out = cl.getOut();
    if (json) {
      var m = new ObjectMapper();
      var o = m.createObjectNode();
      o.put("kind", kind().wire());
      o.put("name", targetName());
      o.put("version", version);
      o.put(
          "rollout", rec == null ? "none" : rec.state().name().toLowerCase(java.util.Locale.ROOT));
      o.put("message", rec == null ? "" : rec.message());
      o.set("devices", m.valueToTree(states));
      out.println(m.writeValueAsString(o));
      return 0;
    }
    out.printf(
        "%s %s v%d: %s%n",
        kind().wire(),
        targetName(),
        version,
        rec == null
            ? "no rollout recorded"
            : rec.state().name().toLowerCase(java.util.Locale.ROOT)
                + " at stage "
                + (rec.stage() + 1)
                + "/"
                + rec.stages().size()
                + " ("
                + rec.message()
                + ")");
    out.printf("%-20s %-13s %-8s %-8s %s%n", "device", "state", "version", "status", "reason");
    for (Rollout.DeviceState s : states) {
      out.printf(
          "%-20s %-13s %-8s %-8s %s%n",
          s.device(),
          s.state(),
          s.reportedVersion().isEmpty() ? "-" : s.reportedVersion(),
          s.connection(),
          s.reason());
    }
    return 0;
  }

  /** Adapts the command's error writer to the PrintStream the rollout reports progress on. */
  private static final class WriterStream extends java.io.OutputStream {
    private final PrintWriter w;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    WriterStream(PrintWriter w) {
      this.w = w;
    }

    @Override
    public void write(int b) {
      if (b == '\n') {
        w.println(line.toString(StandardCharsets.UTF_8));
        w.flush();
        line.reset();
      } else {
        line.write(b);
      }
    }
  }
}
