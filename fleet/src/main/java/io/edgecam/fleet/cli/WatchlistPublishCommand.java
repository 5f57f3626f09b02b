package io.edgecam.fleet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.fleet.update.BrokerTarget;
import io.edgecam.fleet.update.KeyDirectory;
import io.edgecam.fleet.update.MaintainerRepository;
import io.edgecam.fleet.update.WatchlistBundles;
import io.edgecam.matcher.calibration.ListScores;
import io.edgecam.matcher.cli.StoreOptions;
import io.edgecam.matcher.config.ConfigException;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.config.ThresholdConfig;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.tuf.EdgecamTarget;
import io.edgecam.protocol.tuf.TufRepository;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgecam watchlist publish}: the device bundle of the active entries (pseudonymous ids,
 * int8 embeddings, thresholds, expiries; no names, no legal basis) as the next version of the
 * {@code watchlist} target, signed and published retained to the site's devices.
 */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description =
        "Sign the device watchlist (pseudonymous ids + int8 embeddings + thresholds + expiries;"
            + " no names, no legal basis) and publish it to a site's devices.")
public final class WatchlistPublishCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StoreOptions store;
  @Mixin UpdateOptions.Repo repoOptions;
  @Mixin UpdateOptions.Publish publish;

  @Option(
      names = "--model",
      paramLabel = "TAG",
      description = "Embedding space (model tag) to publish; default: the one the entries use.")
  @Nullable String model;

  @Option(
      names = "--hold",
      description = "List it for no device yet; start it with: edgecam watchlist rollout.")
  boolean hold;

  @Option(names = "--dry-run", description = "Sign and write the repository; publish nothing.")
  boolean dryRun;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Also copy the whole repository to DIR; publishes only if --broker is given.")
  @Nullable Path out;

  @Option(names = "--json", description = "Print what was published as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    MatcherConfig config = null;
    if (store.config != null) {
      try {
        config = MatcherConfig.load(store.config);
      } catch (ConfigException e) {
        throw new CommandLine.ParameterException(
            cl, e.getMessage(), e, null, store.config.toString());
      }
    }
    BrokerTarget broker = dryRun ? null : publish.broker(cl, out != null ? null : config);
    String site = publish.site != null || broker != null ? publish.site(cl) : null;
    if (broker == null && !dryRun && out == null) {
      throw new CommandLine.ParameterException(
          cl, "give --broker URL (or --config with a broker), or --dry-run / --out DIR");
    }
    List<WatchlistEntry> entries;
    try (MatcherStore s = MatcherStore.open(store.resolve(cl))) {
      entries = s.entries();
    }
    // The devices match with the operating point the matcher would use for this list.
    ThresholdConfig thresholds = config != null ? config.thresholds() : ThresholdConfig.defaults();
    double global;
    try {
      Instant now = repoOptions.clock().instant();
      List<WatchlistEntry> live = entries.stream().filter(e -> !e.isExpiredAt(now)).toList();
      global = thresholds.policy().at(live.size(), ListScores.of(live)).threshold();
    } catch (ConfigException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage(), e, null, null);
    }
    KeyDirectory keys = repoOptions.keyDirectory();
    TufRepository repo =
        MaintainerRepository.open(
            repoOptions.repo, keys, false, repoOptions.clock(), repoOptions.lifetimes());
    String tag = WatchlistBundles.modelTag(entries, model);
    WatchlistBundles.Added added =
        WatchlistBundles.add(
            repo,
            entries,
            tag,
            repoOptions.clock().instant(),
            global,
            keys.aliasKey(),
            hold ? new EdgecamTarget.Rollout(List.of(), 0, "") : null,
            site);
    repo.publish();
    RepoChanges.finish(
        repo, repoOptions.repo, out, broker, site, publish.chunkSize, publish.full, cl.getErr());
    if (json) {
      var m = new ObjectMapper().createObjectNode();
      m.put("path", added.path());
      m.put("model", tag);
      m.put("version", added.bundle().version());
      m.put("entries", added.bundle().entries().size());
      m.put("bytes", added.bytes());
      m.put("skippedExpired", added.skippedExpired());
      m.put("skippedOutOfScope", added.skippedOutOfScope());
      m.put("site", site);
      m.put("published", broker != null);
      m.put("hold", hold);
      cl.getOut().println(m);
    } else {
      cl.getOut()
          .printf(
              "watchlist %s v%d%s: %d entries (%d expired, %d scoped to other sites left out),"
                  + " %d bytes -> %s%s%n",
              tag,
              added.bundle().version(),
              site == null ? "" : " for site " + site,
              added.bundle().entries().size(),
              added.skippedExpired(),
              added.skippedOutOfScope(),
              added.bytes(),
              added.path(),
              hold ? " (held: start it with edgecam watchlist rollout)" : "");
    }
    return 0;
  }

  /** {@code edgecam watchlist rollout}. */
  @Command(
      name = "rollout",
      description =
          "Roll a held watchlist version out in stages (canaries first), halting on failures;"
              + " --status shows each device.")
  public static final class RolloutCmd extends RolloutCommand {
    @Option(
        names = "--model",
        paramLabel = "TAG",
        required = true,
        description = "Embedding space (model tag) of the watchlist.")
    String model;

    @Override
    EdgecamTarget.Kind kind() {
      return EdgecamTarget.Kind.WATCHLIST;
    }

    @Override
    String targetName() {
      return model;
    }
  }
}
