package io.edgecam.fleet.cli;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.fleet.update.BrokerTarget;
import io.edgecam.fleet.update.KeyDirectory;
import io.edgecam.fleet.update.MaintainerRepository;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.tuf.EdgecamTarget;
import io.edgecam.protocol.tuf.Metadata;
import io.edgecam.protocol.tuf.RoleKeys;
import io.edgecam.protocol.tuf.Root;
import io.edgecam.protocol.tuf.Signed;
import io.edgecam.protocol.tuf.Snapshot;
import io.edgecam.protocol.tuf.TargetFile;
import io.edgecam.protocol.tuf.Targets;
import io.edgecam.protocol.tuf.Timestamp;
import io.edgecam.protocol.tuf.TopLevel;
import io.edgecam.protocol.tuf.TufException;
import io.edgecam.protocol.tuf.TufRepository;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edgecam repo ...}: the maintainer's TUF repository. */
@Command(
    name = "repo",
    mixinStandardHelpOptions = true,
    description = "The TUF repository of watchlists and models (docs/updates.md).",
    subcommands = {
      RepoCommand.Init.class,
      RepoCommand.Status.class,
      RepoCommand.AddTarget.class,
      RepoCommand.RemoveTarget.class,
      RepoCommand.TimestampCmd.class,
      RepoCommand.Publish.class,
      RepoCommand.RotateRoot.class,
      RepoCommand.RotateKey.class
    })
public final class RepoCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Repository and publishing options plus {@code --out}, shared by changing subcommands. */
  abstract static class Change implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin UpdateOptions.Repo repoOptions;
    @Mixin UpdateOptions.Publish publish;

    @Option(
        names = "--out",
        paramLabel = "DIR",
        description = "Also copy the whole repository to DIR (e.g. to serve it over HTTPS).")
    @Nullable Path out;

    /** Signs, writes, copies and, with --site and --broker, publishes. */
    void finish(TufRepository repo) {
      CommandLine cl = spec.commandLine();
      BrokerTarget b = publish.broker(cl, null);
      String site = b == null ? null : publish.site(cl);
      RepoChanges.finish(
          repo, repoOptions.repo, out, b, site, publish.chunkSize, publish.full, cl.getErr());
    }

    TufRepository open(boolean withRoot) {
      return MaintainerRepository.open(
          repoOptions.repo,
          repoOptions.keyDirectory(),
          withRoot,
          repoOptions.clock(),
          repoOptions.lifetimes());
    }
  }

  /** {@code repo init}. */
  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description =
          "Create the repository: root v1, targets delegating watchlist/* and models/*,"
              + " snapshot, timestamp.")
  static final class Init extends Change {
    @Override
    public Integer call() {
      TufRepository repo =
          MaintainerRepository.init(
              repoOptions.repo,
              repoOptions.keyDirectory(),
              repoOptions.clock(),
              repoOptions.lifetimes());
      finish(repo);
      spec.commandLine()
          .getOut()
          .printf(
              "created the TUF repository in %s (root v%d); give devices %s as their trusted"
                  + " root%n",
              repoOptions.repo,
              repo.root().signed().version(),
              repoOptions.repo.resolve("metadata/1.root.json"));
      return 0;
    }
  }

  /** {@code repo status}. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Versions and expiries of every role, and the edgecam targets.")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--repo",
        paramLabel = "DIR",
        defaultValue = "tuf-repo",
        description = "TUF repository directory (default: ${DEFAULT-VALUE}).")
    Path repo;

    @Option(names = "--json", description = "One JSON object.")
    boolean json;

    @Option(
        names = "--warn-within",
        paramLabel = "DURATION",
        defaultValue = "PT12H",
        description =
            "Exit 1 if a role expires within this ISO-8601 duration (default: ${DEFAULT-VALUE}).")
    Duration warnWithin;

    @Override
    public Integer call() throws IOException {
      if (!MaintainerRepository.exists(repo)) {
        throw new EdgecamException(repo + ": no TUF repository here");
      }
      ObjectMapper m = new ObjectMapper();
      ObjectNode out = m.createObjectNode();
      ObjectNode roles = out.putObject("roles");
      Path meta = repo.resolve("metadata");
      Instant now = Instant.now();
      boolean expiring = false;
      Metadata<Targets> top = Metadata.parse(read(meta, "targets.json"), Targets.class);
      expiring |= role(roles, "root", Metadata.parse(read(meta, "root.json"), Root.class), now);
      expiring |= role(roles, "targets", top, now);
      for (var d : top.signed().delegations().roles()) {
        expiring |=
            role(
                roles,
                d.name(),
                Metadata.parse(read(meta, d.name() + ".json"), Targets.class),
                now);
      }
      expiring |=
          role(roles, "snapshot", Metadata.parse(read(meta, "snapshot.json"), Snapshot.class), now);
      expiring |=
          role(
              roles,
              "timestamp",
              Metadata.parse(read(meta, "timestamp.json"), Timestamp.class),
              now);
      ArrayNode targets = out.putArray("targets");
      for (var d : top.signed().delegations().roles()) {
        Targets t = Metadata.parse(read(meta, d.name() + ".json"), Targets.class).signed();
        for (Map.Entry<String, TargetFile> e : t.targets().entrySet()) {
          ObjectNode o = targets.addObject();
          o.put("role", d.name());
          o.put("path", e.getKey());
          o.put("length", e.getValue().length());
          try {
            EdgecamTarget.parse(e.getKey(), e.getValue().custom())
                .ifPresent(
                    et -> {
                      o.put("kind", et.kind().wire());
                      o.put("name", et.name());
                      o.put("version", et.version());
                      o.put(
                          "rollout",
                          et.rollout() == null
                              ? "every device"
                              : "devices "
                                  + et.rollout().devices()
                                  + " + "
                                  + et.rollout().percent()
                                  + "%");
                    });
          } catch (TufException ex) {
            o.put("error", ex.getMessage());
          }
        }
      }
      PrintWriter pw = spec.commandLine().getOut();
      if (json) {
        pw.println(m.writeValueAsString(out));
      } else {
        pw.printf("%-10s %8s  %-22s %s%n", "role", "version", "expires", "");
        roles
            .properties()
            .forEach(
                e ->
                    pw.printf(
                        "%-10s %8d  %-22s %s%n",
                        e.getKey(),
                        e.getValue().get("version").asLong(),
                        e.getValue().get("expires").asText(),
                        e.getValue().get("expiresIn").asText()));
        pw.println();
        for (JsonNode t : targets) {
          pw.printf(
              "%-9s %-52s %9d B  %s%n",
              t.path("role").asText(),
              t.path("path").asText(),
              t.path("length").asLong(),
              t.has("kind")
                  ? t.path("kind").asText()
                      + " "
                      + t.path("name").asText()
                      + " v"
                      + t.path("version").asLong()
                      + ", "
                      + t.path("rollout").asText()
                  : "");
        }
      }
      if (expiring) {
        spec.commandLine()
            .getErr()
            .println(
                "edgecam repo status: a role expires within "
                    + warnWithin
                    + "; run edgecam repo timestamp (or publish) to re-sign");
        return 1;
      }
      return 0;
    }

    private boolean role(
        ObjectNode roles, String name, Metadata<? extends Signed> md, Instant now) {
      ObjectNode o = roles.putObject(name);
      o.put("version", md.signed().version());
      o.put("expires", md.signed().expires().toString());
      Duration left = Duration.between(now, md.signed().expires());
      o.put(
          "expiresIn",
          left.isNegative() ? "EXPIRED" : left.toDays() + "d " + left.toHoursPart() + "h");
      return left.compareTo(warnWithin) < 0;
    }

    private static byte[] read(Path meta, String name) throws IOException {
      return Files.readAllBytes(meta.resolve(name));
    }
  }

  /** {@code repo add-target}. */
  @Command(
      name = "add-target",
      mixinStandardHelpOptions = true,
      description = "List a file as a target of a role (raw; watchlist and model publish do this).")
  static final class AddTarget extends Change {
    @Option(names = "--role", required = true, description = "watchlist, models or targets.")
    String role;

    @Option(names = "--path", required = true, description = "Target path, e.g. models/x.bin.")
    String path;

    @Option(names = "--custom", paramLabel = "JSON", description = "The target's custom JSON.")
    @Nullable String custom;

    @Parameters(paramLabel = "FILE", description = "The file.")
    Path file;

    @Override
    public Integer call() throws IOException {
      CommandLine cl = spec.commandLine();
      JsonNode c = new ObjectMapper().missingNode();
      if (custom != null) {
        try {
          c = new ObjectMapper().readTree(custom);
          EdgecamTarget.parse(path, c);
        } catch (JsonProcessingException e) {
          throw new CommandLine.ParameterException(cl, "--custom: " + describe(e, custom));
        } catch (TufException e) {
          throw new CommandLine.ParameterException(cl, "--custom: " + e.getMessage());
        }
      }
      TufRepository repo = open(false);
      try {
        repo.addTarget(role, path, Files.readAllBytes(file), c);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cl, e.getMessage());
      }
      repo.publish();
      finish(repo);
      cl.getOut().printf("added %s to %s%n", path, role);
      return 0;
    }

    /**
     * Jackson's message without its source excerpt, naming the field being read and, for a
     * character JSON does not allow there, the character as U+XXXX (a control character is
     * invisible in a terminal).
     */
    static String describe(JsonProcessingException e, String json) {
      String field = null;
      if (e instanceof JsonParseException p && p.getProcessor() != null) {
        JsonStreamContext ctx = p.getProcessor().getParsingContext();
        field = ctx == null ? null : ctx.getCurrentName();
      }
      String where =
          (field == null ? "" : "field '" + field + "': ")
              + (e.getLocation() == null ? "" : "column " + e.getLocation().getColumnNr() + ": ");
      int at = index(json, e.getLocation());
      if (at >= 0 && at < json.length() && Character.isISOControl(json.charAt(at))) {
        char ch = json.charAt(at);
        return where
            + String.format(
                "control character U+%04X is not allowed in JSON text; write it as \\u%04X",
                (int) ch, (int) ch);
      }
      return where + e.getOriginalMessage();
    }

    /** The index in {@code json} of a parser location (line and column, both from 1), or -1. */
    private static int index(String json, com.fasterxml.jackson.core.@Nullable JsonLocation loc) {
      if (loc == null || loc.getLineNr() < 1 || loc.getColumnNr() < 1) {
        return -1;
      }
      int start = 0;
      for (int line = 1; line < loc.getLineNr(); line++) {
        start = json.indexOf('\n', start) + 1;
        if (start == 0) {
          return -1;
        }
      }
      return start + loc.getColumnNr() - 1;
    }
  }

  /** {@code repo remove-target}. */
  @Command(
      name = "remove-target",
      mixinStandardHelpOptions = true,
      description = "Delist a target.")
  static final class RemoveTarget extends Change {
    @Option(names = "--role", required = true, description = "watchlist, models or targets.")
    String role;

    @Option(names = "--path", required = true, description = "Target path.")
    String path;

    @Override
    public Integer call() {
      TufRepository repo = open(false);
      boolean removed;
      try {
        removed = repo.removeTarget(role, path);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      if (!removed) {
        spec.commandLine()
            .getErr()
            .println("edgecam repo remove-target: " + role + " does not list " + path);
        return 1;
      }
      repo.publish();
      finish(repo);
      spec.commandLine().getOut().printf("removed %s from %s%n", path, role);
      return 0;
    }
  }

  /** {@code repo timestamp}. */
  @Command(
      name = "timestamp",
      mixinStandardHelpOptions = true,
      description =
          "Re-sign the timestamp (expires after 1 day): run it from cron, e.g. every 6 hours,"
              + " with --site and --broker to push it to devices.")
  static final class TimestampCmd extends Change {
    @Option(
        names = "--snapshot",
        description = "Also re-sign the snapshot (expires after 7 days; run daily).")
    boolean snapshot;

    @Override
    public Integer call() {
      TufRepository repo = open(false);
      if (snapshot) {
        repo.publish();
      } else {
        repo.refreshTimestamp();
      }
      finish(repo);
      spec.commandLine()
          .getOut()
          .printf("timestamp v%d signed%n", repo.versions().get(TopLevel.TIMESTAMP));
      return 0;
    }
  }

  /** {@code repo publish}. */
  @Command(
      name = "publish",
      mixinStandardHelpOptions = true,
      description = "Push the repository's current files to a site's update topics.")
  static final class Publish extends Change {
    @Override
    public Integer call() {
      CommandLine cl = spec.commandLine();
      if (publish.broker(cl, null) == null) {
        throw new CommandLine.ParameterException(cl, "--broker URL is required");
      }
      publish.site(cl);
      TufRepository repo = open(false);
      finish(repo);
      return 0;
    }
  }

  /** {@code repo rotate-root}. */
  @Command(
      name = "rotate-root",
      mixinStandardHelpOptions = true,
      description =
          "Replace the root keys: root N+1 is signed by a threshold of the old and of the new"
              + " keys, so devices follow the chain; the old keys are retired.")
  static final class RotateRoot extends Change {
    @Option(names = "--root-keys", defaultValue = "3", description = "New root keys.")
    int rootKeys;

    @Option(names = "--root-threshold", defaultValue = "2", description = "New root threshold.")
    int rootThreshold;

    @Override
    public Integer call() {
      return rotate(spec, this, TopLevel.ROOT, rootKeys, rootThreshold);
    }
  }

  /** {@code repo rotate-key}. */
  @Command(
      name = "rotate-key",
      mixinStandardHelpOptions = true,
      description =
          "Replace the key of targets, snapshot, timestamp, watchlist or models (a compromised or"
              + " expiring key); needs the root keys for top-level roles.")
  static final class RotateKey extends Change {
    @Option(names = "--role", required = true, description = "Role whose key to replace.")
    String role;

    @Override
    public Integer call() {
      if (role.equals(TopLevel.ROOT)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "use repo rotate-root");
      }
      if (!KeyDirectory.ROLES.contains(role)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--role must be one of " + KeyDirectory.ROLES);
      }
      return rotate(spec, this, role, 1, 1);
    }
  }

  private static int rotate(CommandSpec spec, Change c, String role, int count, int threshold) {
    KeyDirectory keys = c.repoOptions.keyDirectory();
    boolean needsRoot = TopLevel.isTopLevel(role);
    TufRepository repo =
        MaintainerRepository.open(
            c.repoOptions.repo, keys, needsRoot, c.repoOptions.clock(), c.repoOptions.lifetimes());
    RoleKeys fresh;
    try {
      fresh = KeyDirectory.generate(count, threshold);
    } catch (EdgecamException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    keys.prepare(role, fresh); // key files on disk before the repository that lists them
    repo.rotate(role, fresh);
    repo.publish();
    c.finish(repo);
    keys.replace(role, fresh);
    keys.forgetPassphrase();
    spec.commandLine()
        .getOut()
        .printf(
            "rotated %s to %d new key(s) (threshold %d); root is now v%d%n",
            role, count, threshold, repo.root().signed().version());
    return 0;
  }
}
