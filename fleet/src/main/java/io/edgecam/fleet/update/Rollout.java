package io.edgecam.fleet.update;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.Ids;
import io.edgecam.protocol.Status;
import io.edgecam.protocol.tuf.EdgecamTarget;
import io.edgecam.protocol.tuf.Lifetimes;
import io.edgecam.protocol.tuf.TufRepository;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A staged rollout of one target (docs/updates.md, "Staged rollout"): the target's {@code rollout}
 * metadata is widened stage by stage (a canary list or percentage first, then the {@code --step}
 * percentages); after each stage the site's devices are watched ({@link FleetWatcher}) until every
 * included device reported a result or the watch time passed. The rollout <b>halts</b>, leaving the
 * metadata at the current stage, as soon as more than {@code maxFailures} devices reported {@code
 * rejected} or {@code rolled_back}, or when a stage ends with fewer than {@code minApplied} devices
 * on the new version. When the last stage (100%) is reached the rollout metadata is removed (every
 * device) and older versions of the same kind and name are delisted.
 *
 * <p>A device counts as applied if it reported {@code applied} or its retained status shows the
 * version ({@code versions["model.<name>"]} or {@code versions["watchlist"]}), so a result missed
 * while nobody watched is still seen. The record of a rollout is {@code
 * <repo>/rollouts/<kind>-<name>-v<version>.json}.
 */
public final class Rollout {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Where a rollout stands. */
  public enum State {
    RUNNING,
    HALTED,
    COMPLETED
  }

  /**
   * One stage: devices always included, and a percentage of the rest.
   *
   * @param devices device ids (cumulative with earlier stages)
   * @param percent 0..100
   */
  public record Stage(List<String> devices, int percent) {
    /** Validates ids and percent. */
    public Stage {
      devices = List.copyOf(devices);
      devices.forEach(d -> Ids.requireDevice("device", d));
      if (percent < 0 || percent > 100) {
        throw new IllegalArgumentException("percent must be in 0..100, was " + percent);
      }
    }
  }

  /**
   * What to roll out and how.
   *
   * @param maxFailures the rollout halts when more devices than this failed
   * @param minApplied a stage must end with at least this many devices on the version (capped at
   *     the number of included devices known)
   * @param watch the longest watch per stage
   */
  public record Plan(
      EdgecamTarget.Kind kind,
      String name,
      long version,
      String site,
      List<Stage> stages,
      int maxFailures,
      int minApplied,
      Duration watch) {
    /** Validates. */
    public Plan {
      stages = List.copyOf(stages);
      if (stages.isEmpty()) {
        throw new IllegalArgumentException("a rollout needs at least one stage");
      }
      if (maxFailures < 0 || minApplied < 0) {
        throw new IllegalArgumentException("--max-failures and --min-applied must be >= 0");
      }
    }
  }

  /** A device's last reported result for the target. */
  public record Result(String result, String reason, long time) {}

  /** The persisted record of a rollout. */
  public record Record(
      String kind,
      String name,
      long version,
      String site,
      List<Stage> stages,
      int stage,
      State state,
      int maxFailures,
      String message,
      Map<String, Result> results) {}

  /** Per-device state for {@code --status}. */
  public record DeviceState(
      String device,
      boolean included,
      String state,
      String reason,
      String reportedVersion,
      String connection) {}

  private Rollout() {}

  /** The record file of a rollout. */
  public static Path recordFile(Path repoDir, EdgecamTarget.Kind kind, String name, long version) {
    return repoDir
        .resolve("rollouts")
        .resolve(
            kind.wire() + "-" + MaintainerRepository.pathSafe(name) + "-v" + version + ".json");
  }

  /** The persisted record, if any. */
  public static @Nullable Record load(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return JSON.readValue(file.toFile(), Record.class);
    } catch (IOException e) {
      throw new EdgecamException(file + ": unreadable rollout record: " + e.getMessage(), e);
    }
  }

  private static void save(Path file, Record r) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writeValue(tmp.toFile(), r);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new EdgecamException("cannot write " + file + ": " + e, e);
    }
  }

  /**
   * Runs {@code plan} to completion or a halt.
   *
   * @param progress where each step is reported (stderr of the CLI)
   * @return the final record
   */
  public static Record run(
      Plan plan,
      Path repoDir,
      KeyDirectory keys,
      BrokerTarget broker,
      int chunkSize,
      Clock clock,
      Lifetimes lifetimes,
      PrintStream progress)
      throws InterruptedException {
    Path file = recordFile(repoDir, plan.kind(), plan.name(), plan.version());
    String seed = plan.kind().wire() + ":" + plan.name() + ":" + plan.version();
    Map<String, Result> results = new TreeMap<>();
    try (FleetWatcher fleet = new FleetWatcher(broker, plan.site());
        UpdatePublisher publisher = new UpdatePublisher(broker)) {
      fleet.awaitQuiet(Duration.ofMillis(500), Duration.ofSeconds(5));
      Set<String> listed = new LinkedHashSet<>();
      for (int i = 0; i < plan.stages().size(); i++) {
        Stage stage = plan.stages().get(i);
        listed.addAll(stage.devices());
        boolean everyone = stage.percent() >= 100;
        EdgecamTarget.Rollout r =
            everyone ? null : new EdgecamTarget.Rollout(List.copyOf(listed), stage.percent(), seed);
        TufRepository repo = MaintainerRepository.open(repoDir, keys, false, clock, lifetimes);
        EdgecamTarget.Listed target = require(repo, plan);
        String stored = TufRepository.hashPrefixed(target.path(), target.file().sha256());
        byte[] bytes = repo.file("targets/" + stored);
        repo.addTarget(
            MaintainerRepository.roleOf(plan.kind()),
            target.path(),
            bytes,
            target.target().withRollout(r).toCustom());
        if (everyone) {
          delistOlder(repo, plan);
        }
        repo.publish();
        MaintainerRepository.save(repo, repoDir);
        publisher.publish(plan.site(), repo.current(), chunkSize, repoDir, false);
        progress.printf(
            "rollout %s %s v%d: stage %d/%d published (%s)%n",
            plan.kind().wire(),
            plan.name(),
            plan.version(),
            i + 1,
            plan.stages().size(),
            everyone ? "every device" : describe(listed, stage.percent()));
        save(
            file,
            new Record(
                plan.kind().wire(),
                plan.name(),
                plan.version(),
                plan.site(),
                plan.stages(),
                i,
                State.RUNNING,
                plan.maxFailures(),
                "watching stage " + (i + 1),
                results));

        String halt = watchStage(plan, fleet, r, listed, results, progress);
        if (halt != null) {
          progress.printf("rollout HALTED at stage %d: %s%n", i + 1, halt);
          Record rec =
              new Record(
                  plan.kind().wire(),
                  plan.name(),
                  plan.version(),
                  plan.site(),
                  plan.stages(),
                  i,
                  State.HALTED,
                  plan.maxFailures(),
                  halt,
                  results);
          save(file, rec);
          return rec;
        }
      }
      Record rec =
          new Record(
              plan.kind().wire(),
              plan.name(),
              plan.version(),
              plan.site(),
              plan.stages(),
              plan.stages().size() - 1,
              State.COMPLETED,
              plan.maxFailures(),
              "completed",
              results);
      save(file, rec);
      progress.printf("rollout completed%n");
      return rec;
    }
  }

  /** Watches one stage; returns the halt reason, or null to go on. */
  private static @Nullable String watchStage(
      Plan plan,
      FleetWatcher fleet,
      EdgecamTarget.@Nullable Rollout r,
      Set<String> listed,
      Map<String, Result> results,
      PrintStream progress)
      throws InterruptedException {
    String statusKey = statusKey(plan.kind(), plan.name());
    java.util.function.Predicate<List<FleetWatcher.UpdateResult>> done =
        all -> {
          Map<String, Result> latest = latest(all, plan);
          Set<String> included = included(fleet.statuses().keySet(), listed, r);
          long failures = latest.values().stream().filter(Rollout::failed).count();
          if (failures > plan.maxFailures()) {
            return true;
          }
          for (String d : included) {
            Result res = latest.get(d);
            boolean terminal = res != null && !res.result().equals("staged");
            if (!terminal && !onVersion(fleet.statuses().get(d), statusKey, plan.version())) {
              return false;
            }
          }
          return !included.isEmpty();
        };
    fleet.await(done, plan.watch());
    results.putAll(latest(fleet.results(), plan));
    Set<String> included = included(fleet.statuses().keySet(), listed, r);
    long failures = results.values().stream().filter(Rollout::failed).count();
    long applied =
        included.stream()
            .filter(
                d ->
                    (results.containsKey(d) && results.get(d).result().equals("applied"))
                        || onVersion(fleet.statuses().get(d), statusKey, plan.version()))
            .count();
    progress.printf(
        "  %d device(s) included, %d applied, %d failed (max %d)%n",
        included.size(), applied, failures, plan.maxFailures());
    if (failures > plan.maxFailures()) {
      List<String> failed = new ArrayList<>();
      results.forEach(
          (d, res) -> {
            if (failed(res)) {
              failed.add(
                  d + " " + res.result() + (res.reason().isEmpty() ? "" : ": " + res.reason()));
            }
          });
      return failures
          + " device(s) failed, more than --max-failures "
          + plan.maxFailures()
          + " "
          + failed;
    }
    long needed = Math.min(plan.minApplied(), included.size());
    if (applied < needed) {
      return "only "
          + applied
          + " of "
          + included.size()
          + " included device(s) applied the update within "
          + plan.watch().toSeconds()
          + " s (--min-applied "
          + plan.minApplied()
          + ")";
    }
    return null;
  }

  /**
   * Per-device state of a rollout: from the record, the retained statuses and the update results
   * seen while watching for {@code listen}.
   */
  public static List<DeviceState> status(
      Path repoDir,
      KeyDirectory keys,
      EdgecamTarget.Kind kind,
      String name,
      long version,
      String site,
      BrokerTarget broker,
      Duration listen,
      Clock clock,
      Lifetimes lifetimes)
      throws InterruptedException {
    TufRepository repo = MaintainerRepository.open(repoDir, keys, false, clock, lifetimes);
    EdgecamTarget.Listed target =
        MaintainerRepository.find(repo, kind, name, version)
            .orElseThrow(
                () ->
                    new EdgecamException(
                        "the repository lists no " + kind.wire() + " " + name + " v" + version));
    Record rec = load(recordFile(repoDir, kind, name, version));
    Map<String, Result> results = new TreeMap<>();
    if (rec != null) {
      results.putAll(rec.results());
    }
    Plan probe =
        new Plan(kind, name, version, site, List.of(new Stage(List.of(), 0)), 0, 0, listen);
    Map<String, Status> statuses;
    try (FleetWatcher fleet = new FleetWatcher(broker, site)) {
      fleet.awaitQuiet(Duration.ofMillis(500), Duration.ofSeconds(5));
      Thread.sleep(listen.toMillis());
      results.putAll(latest(fleet.results(), probe));
      statuses = fleet.statuses();
    }
    EdgecamTarget.Rollout r = target.target().rollout();
    Set<String> devices = new TreeSet<>(statuses.keySet());
    devices.addAll(results.keySet());
    if (r != null) {
      devices.addAll(r.devices());
    }
    String key = statusKey(kind, name);
    List<DeviceState> out = new ArrayList<>();
    for (String d : devices) {
      boolean included = target.target().includes(d);
      Status s = statuses.get(d);
      Result res = results.get(d);
      String state;
      if (res != null) {
        state = res.result();
      } else if (onVersion(s, key, version)) {
        state = "applied";
      } else {
        state = included ? "pending" : "not-included";
      }
      out.add(
          new DeviceState(
              d,
              included,
              state,
              res == null ? "" : res.reason(),
              s == null ? "" : s.versions().getOrDefault(key, ""),
              s == null ? "unknown" : s.state()));
    }
    return out;
  }

  /** The status {@code versions} key of a kind and name. */
  public static String statusKey(EdgecamTarget.Kind kind, String name) {
    return kind == EdgecamTarget.Kind.WATCHLIST ? "watchlist" : "model." + name;
  }

  private static boolean onVersion(@Nullable Status s, String key, long version) {
    return s != null && String.valueOf(version).equals(s.versions().get(key));
  }

  private static boolean failed(Result r) {
    return r.result().equals("rejected") || r.result().equals("rolled_back");
  }

  private static Map<String, Result> latest(List<FleetWatcher.UpdateResult> all, Plan plan) {
    Map<String, Result> out = new LinkedHashMap<>();
    for (FleetWatcher.UpdateResult u : all) {
      if (u.kind().equals(plan.kind().wire())
          && u.name().equals(plan.name())
          && u.version() == plan.version()) {
        out.put(u.device(), new Result(u.result(), u.reason(), u.time()));
      }
    }
    return out;
  }

  private static Set<String> included(
      Set<String> known, Set<String> listed, EdgecamTarget.@Nullable Rollout r) {
    Set<String> out = new TreeSet<>();
    Set<String> all = new TreeSet<>(known);
    all.addAll(listed);
    for (String d : all) {
      if (r == null || r.includes(d)) {
        out.add(d);
      }
    }
    return out;
  }

  private static EdgecamTarget.Listed require(TufRepository repo, Plan plan) {
    return MaintainerRepository.find(repo, plan.kind(), plan.name(), plan.version())
        .orElseThrow(
            () ->
                new EdgecamException(
                    "the repository lists no "
                        + plan.kind().wire()
                        + " "
                        + plan.name()
                        + " v"
                        + plan.version()
                        + " (publish it first, e.g. with --hold)"));
  }

  /** Removes older versions of the plan's kind and name (and their golden images). */
  private static void delistOlder(TufRepository repo, Plan plan) {
    String role = MaintainerRepository.roleOf(plan.kind());
    for (EdgecamTarget.Listed old : MaintainerRepository.listed(repo, plan.kind(), plan.name())) {
      if (old.target().version() < plan.version()) {
        repo.removeTarget(role, old.path());
        if (old.target().model() != null) {
          repo.removeTarget(role, old.target().model().selfTest().image());
        }
      }
    }
  }

  private static String describe(Set<String> devices, int percent) {
    return (devices.isEmpty() ? "" : "devices " + devices + (percent > 0 ? " + " : ""))
        + (percent > 0 || devices.isEmpty() ? percent + "% of the site" : "");
  }
}
