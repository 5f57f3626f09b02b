package io.edgecam.fleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.face.inference.ModelStore;
import io.edgecam.fleet.update.BrokerTarget;
import io.edgecam.fleet.update.MaintainerRepository;
import io.edgecam.fleet.update.ModelTargets;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.tuf.EdgecamTarget;
import io.edgecam.protocol.tuf.TufRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edgecam model publish|rollout}: over-the-air model updates. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description =
        "Over-the-air model updates (docs/updates.md) and embedder calibration"
            + " (docs/matcher.md).",
    subcommands = {
      ModelCommand.Publish.class,
      ModelCommand.RolloutCmd.class,
      CalibrateCommand.class
    })
public final class ModelCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code model publish}. */
  @Command(
      name = "publish",
      description =
          "Add a model to the models role with its manifest and a self-test computed by running"
              + " the pipeline with it on a golden image, sign, and publish it.")
  static final class Publish implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin UpdateOptions.Repo repoOptions;
    @Mixin UpdateOptions.Publish publish;

    // No mixinStandardHelpOptions: its -V/--version would clash with the target's --version.
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    @Parameters(paramLabel = "MODEL_FILE", description = "The .tflite file.")
    Path modelFile;

    @Option(
        names = "--name",
        required = true,
        description =
            "Model slot: " + "blazeface-short-range, blazeface-full-range, mobilefacenet (-int8).")
    String name;

    @Option(names = "--version", required = true, description = "Target version, > every listed.")
    long version;

    @Option(
        names = "--manifest",
        paramLabel = "JSON",
        description = "Model manifest (default: the installed models/<name>.json).")
    @Nullable Path manifest;

    @Option(
        names = "--golden",
        paramLabel = "IMAGE",
        description = "Self-test image (default: the golden sample of models/samples.json).")
    @Nullable Path golden;

    @Option(
        names = "--models",
        paramLabel = "DIR",
        description = "Installed models directory (default: located like the agent does).")
    @Nullable Path models;

    @Option(
        names = "--min-agent-version",
        defaultValue = "0.1.0",
        description = "Oldest agent that may run it (default: ${DEFAULT-VALUE}).")
    String minAgentVersion;

    @Option(
        names = "--min-cosine",
        defaultValue = "0.95",
        description = "Self-test tolerance: embedding cosine >= this (default: ${DEFAULT-VALUE}).")
    double minCosine;

    @Option(names = "--hold", description = "List it for no device yet (then: model rollout).")
    boolean hold;

    @Option(names = "--dry-run", description = "Sign and write the repository; publish nothing.")
    boolean dryRun;

    @Option(names = "--out", paramLabel = "DIR", description = "Also copy the repository to DIR.")
    @Nullable Path out;

    @Override
    public Integer call() throws IOException {
      CommandLine cl = spec.commandLine();
      if (!(minCosine > 0 && minCosine <= 1)) {
        throw new CommandLine.ParameterException(cl, "--min-cosine must be in (0, 1]");
      }
      if (!ModelTargets.SLOTS.contains(name)) {
        throw new CommandLine.ParameterException(
            cl, "--name must be a model slot: " + ModelTargets.SLOTS);
      }
      try {
        EdgecamTarget.compareVersions(minAgentVersion, "0");
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cl, "--min-agent-version: " + e.getMessage());
      }
      BrokerTarget broker = dryRun ? null : publish.broker(cl, null);
      String site = broker != null ? publish.site(cl) : null;
      if (broker == null && !dryRun && out == null) {
        throw new CommandLine.ParameterException(cl, "give --broker URL, or --dry-run / --out DIR");
      }
      Path modelsDir = models != null ? models : ModelStore.locate().dir();
      Path manifestFile = manifest != null ? manifest : modelsDir.resolve(name + ".json");
      JsonNode base = readJson(manifestFile);
      byte[] bytes = readFile(modelFile, "MODEL_FILE");
      Path goldenFile = golden != null ? golden : ModelTargets.defaultGolden(modelsDir);
      byte[] goldenBytes = readFile(goldenFile, "--golden");

      TufRepository repo =
          MaintainerRepository.open(
              repoOptions.repo,
              repoOptions.keyDirectory(),
              false,
              repoOptions.clock(),
              repoOptions.lifetimes());
      long next = MaintainerRepository.nextVersion(repo, EdgecamTarget.Kind.MODEL, name);
      if (version < next) {
        throw new CommandLine.ParameterException(
            cl,
            "--version must be at least " + next + " (the repository lists v" + (next - 1) + ")");
      }
      ObjectNode m = ModelTargets.manifest(base, name, version, bytes);
      String ext = ModelTargets.extension(goldenFile);
      cl.getErr()
          .println(
              "running the self-test of " + name + " v" + version + " on " + goldenFile + "...");
      EdgecamTarget.SelfTest selfTest =
          ModelTargets.selfTest(
              modelsDir,
              name,
              m,
              bytes,
              goldenFile,
              ModelTargets.goldenPath(name, version, ext),
              minCosine);
      ModelTargets.Added added =
          ModelTargets.add(
              repo,
              name,
              version,
              m,
              bytes,
              goldenBytes,
              ext,
              selfTest,
              minAgentVersion,
              hold ? new EdgecamTarget.Rollout(List.of(), 0, "") : null);
      repo.publish();
      RepoChanges.finish(
          repo, repoOptions.repo, out, broker, site, publish.chunkSize, publish.full, cl.getErr());
      cl.getOut()
          .printf(
              "model %s v%d: %s (%d bytes), self-test %s: %d face(s), %d-d embedding, cosine >= %s%s%n",
              name,
              version,
              added.modelPath(),
              bytes.length,
              added.goldenPath(),
              selfTest.faces(),
              selfTest.embedding().length,
              minCosine,
              hold ? " (held: start it with edgecam model rollout)" : "");
      return 0;
    }

    private static JsonNode readJson(Path file) {
      try {
        JsonNode n = new ObjectMapper().readTree(file.toFile());
        if (n == null || !n.isObject()) {
          throw new EdgecamException(file + ": not a JSON object");
        }
        return n;
      } catch (IOException e) {
        throw new EdgecamException(file + ": unreadable model manifest: " + e.getMessage(), e);
      }
    }

    private static byte[] readFile(Path file, String what) {
      try {
        return Files.readAllBytes(file);
      } catch (IOException e) {
        throw new EdgecamException(what + " " + file + ": cannot read: " + e, e);
      }
    }
  }

  /** {@code model rollout}. */
  @Command(
      name = "rollout",
      description =
          "Roll a model version out in stages (canary devices or a percentage first), watching"
              + " devices' update results and halting when failures pass --max-failures;"
              + " --status shows each device.")
  static final class RolloutCmd extends RolloutCommand {
    @Option(names = "--name", required = true, description = "Model slot.")
    String name;

    @Override
    EdgecamTarget.Kind kind() {
      return EdgecamTarget.Kind.MODEL;
    }

    @Override
    String targetName() {
      return name;
    }
  }
}
