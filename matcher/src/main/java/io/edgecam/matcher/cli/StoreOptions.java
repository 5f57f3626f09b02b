package io.edgecam.matcher.cli;

import io.edgecam.matcher.config.AuditConfig;
import io.edgecam.matcher.config.ConfigException;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.config.StoreConfig;
import io.edgecam.matcher.config.ThresholdConfig;
import io.edgecam.matcher.config.WatchlistConfig;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --store FILE | --config FILE}: which store a watchlist command works on. */
public final class StoreOptions {
  @Option(
      names = "--store",
      paramLabel = "SQLITE_FILE",
      description = "SQLite store file (default: matcher.db).")
  @Nullable Path sqlite;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Matcher config file; its store is used.")
  public @Nullable Path config;

  /** The chosen store; a bad config file is a usage error (exit 2) naming file and key. */
  public StoreConfig resolve(CommandLine cl) {
    if (sqlite != null && config != null) {
      throw new CommandLine.ParameterException(cl, "use either --store or --config, not both");
    }
    if (config != null) {
      try {
        return MatcherConfig.load(config).store();
      } catch (ConfigException e) {
        throw new CommandLine.ParameterException(cl, e.getMessage(), e, null, config.toString());
      }
    }
    return StoreConfig.sqlite(sqlite != null ? sqlite : StoreConfig.DEFAULT_SQLITE);
  }

  /**
   * The audit key and head files: the config's {@code audit} section, or {@code audit.key} and
   * {@code audit-head.json} beside the SQLite file.
   */
  AuditConfig audit(CommandLine cl) {
    if (config != null) {
      resolve(cl);
      return MatcherConfig.load(config).audit();
    }
    Path db = (sqlite != null ? sqlite : StoreConfig.DEFAULT_SQLITE).toAbsolutePath();
    return AuditConfig.in(db.getParent());
  }

  /** The operating point configuration: the config's {@code thresholds}, or the defaults. */
  ThresholdConfig thresholds(CommandLine cl) {
    if (config != null) {
      resolve(cl);
      return MatcherConfig.load(config).thresholds();
    }
    return ThresholdConfig.defaults();
  }

  /** Who runs a CLI command, as recorded in the audit log. */
  static String actor() {
    return "cli:" + System.getProperty("user.name", "unknown");
  }

  /** The watchlist limits: the config's {@code watchlist} section, or the defaults. */
  WatchlistConfig watchlistPolicy(CommandLine cl) {
    if (config != null) {
      try {
        return MatcherConfig.load(config).watchlist();
      } catch (ConfigException e) {
        throw new CommandLine.ParameterException(cl, e.getMessage(), e, null, config.toString());
      }
    }
    return WatchlistConfig.defaults();
  }
}
