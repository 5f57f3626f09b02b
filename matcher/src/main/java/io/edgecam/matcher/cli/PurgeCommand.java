package io.edgecam.matcher.cli;

import io.edgecam.matcher.Watchlist;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.config.RetentionConfig;
import io.edgecam.matcher.config.StoreConfig;
import io.edgecam.matcher.config.ThresholdConfig;
import io.edgecam.matcher.index.ExactWatchlistIndex;
import io.edgecam.matcher.retention.Retention;
import io.edgecam.matcher.store.MatcherStore;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgecam purge}: applies the retention policy now (the running matcher also does it on its
 * schedule): deletes alerts older than {@code retention.matchDays} and expired watchlist entries,
 * and records the purge (counts) in the audit log.
 */
@Command(
    name = "purge",
    mixinStandardHelpOptions = true,
    description = {
      "Apply the retention policy now: delete matches older than retention.matchDays and expired"
          + " watchlist entries; the audit log records the counts.",
      "Exit codes: 0 done, 1 failed, 2 usage or config error."
    })
public final class PurgeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StoreOptions store;

  @Option(
      names = "--match-days",
      paramLabel = "N",
      description =
          "Keep matches of the last N days (default: the config's retention.matchDays, else 30).")
  @Nullable Integer matchDays;

  @Option(
      names = "--json",
      description = "{\"alerts_deleted\":N,\"entries_expired\":N,\"cutoff\":\"...\"}")
  boolean json;

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    StoreConfig storeConfig = store.resolve(cl); // a bad config file is exit 2, named
    RetentionConfig retention;
    try {
      RetentionConfig base =
          store.config != null
              ? MatcherConfig.load(store.config).retention()
              : RetentionConfig.defaults();
      retention =
          matchDays == null ? base : new RetentionConfig(matchDays, base.purgeIntervalMinutes());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, "--match-days: " + e.getMessage());
    }
    Clock clock = Clock.systemUTC();
    try (MatcherStore s = MatcherStore.open(storeConfig)) {
      AuditLog audit = AuditLog.open(s.audit(), store.audit(cl), clock);
      int before = s.entries().size();
      // Opening the watchlist purges expired entries (audited as watchlist.expire).
      new Watchlist(s, new ExactWatchlistIndex(), ThresholdConfig.DEFAULT_GLOBAL, clock, audit);
      int expired = before - s.entries().size();
      Retention.Result r =
          new Retention(s, audit, retention, clock).purge(StoreOptions.actor(), true);
      if (json) {
        cl.getOut()
            .printf(
                "{\"alerts_deleted\":%d,\"entries_expired\":%d,\"cutoff\":\"%s\"}%n",
                r.alertsDeleted(), expired, r.cutoff());
      } else {
        cl.getOut()
            .printf(
                "deleted %d alerts matched before %s and %d expired watchlist entries%n",
                r.alertsDeleted(), r.cutoff(), expired);
      }
    }
    return 0;
  }
}
