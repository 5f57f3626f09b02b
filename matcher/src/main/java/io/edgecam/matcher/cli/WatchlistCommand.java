package io.edgecam.matcher.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.matcher.Watchlist;
import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.calibration.ListScores;
import io.edgecam.matcher.calibration.OperatingPoint;
import io.edgecam.matcher.config.ConfigException;
import io.edgecam.matcher.config.ThresholdConfig;
import io.edgecam.matcher.index.ExactWatchlistIndex;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.matcher.watchlist.Authorization;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgecam watchlist list|remove}: inspect and edit the stored watchlist. The maintainer's
 * {@code publish} and {@code rollout} subcommands live in the fleet module; edgectl adds them.
 */
@Command(
    name = "watchlist",
    mixinStandardHelpOptions = true,
    description = "List, remove or publish watchlist entries.",
    subcommands = {
      WatchlistCommand.List.class,
      WatchlistCommand.Remove.class,
    })
public final class WatchlistCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code watchlist list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List entries (never embeddings).")
  static final class List implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Option(
        names = "--json",
        description = "One JSON object per line: the entries, then {\"operatingPoint\": {...}}.")
    boolean json;

    @Override
    public Integer call() {
      CommandLine cl = spec.commandLine();
      var out = cl.getOut();
      ThresholdConfig thresholds = store.thresholds(cl);
      try (MatcherStore s = MatcherStore.open(store.resolve(cl))) {
        java.util.List<WatchlistEntry> entries = s.entries();
        // Names and legal bases are personal data: who read them is on record.
        AuditLog.open(s.audit(), store.audit(cl), Clock.systemUTC())
            .append(
                StoreOptions.actor(),
                AuditAction.WATCHLIST_VIEW,
                "watchlist",
                Map.of("entries", entries.size()));
        for (WatchlistEntry e : entries) {
          Authorization a = e.authorization();
          if (json) {
            out.printf(
                "{\"id\":\"%s\",\"label\":\"%s\",\"embeddings\":%d,\"expires\":\"%s\",\"legal_basis\":\"%s\","
                    + "\"created_by\":\"%s\",\"threshold\":%s,\"authorised_by\":%s,\"reference\":%s,"
                    + "\"sites\":%s,\"devices\":%s,\"window_from\":%s,\"window_until\":%s}%n",
                esc(e.id()),
                esc(e.label()),
                e.embeddings().size(),
                e.expiresAt(),
                esc(e.legalBasis()),
                esc(e.createdBy()),
                e.threshold() == null ? "null" : e.threshold(),
                quoted(a.body()),
                quoted(a.reference()),
                array(a.sites()),
                array(a.devices()),
                quoted(a.from() == null ? null : a.from().toString()),
                quoted(a.until() == null ? null : a.until().toString()));
          } else {
            out.printf(
                "%-20s %-30s %d emb  expires %s  basis: %s  sites: %s%s%s%n",
                e.id(),
                e.label(),
                e.embeddings().size(),
                e.expiresAt(),
                e.legalBasis(),
                a.sites().isEmpty() ? "all" : String.join(",", a.sites()),
                a.devices().isEmpty() ? "" : "  devices: " + String.join(",", a.devices()),
                a.body() == null
                    ? ""
                    : "  authorised by: "
                        + a.body()
                        + (a.reference() == null ? "" : " (" + a.reference() + ")"));
          }
        }
        OperatingPoint op;
        try {
          Instant now = Instant.now();
          java.util.List<WatchlistEntry> live =
              entries.stream().filter(e -> !e.isExpiredAt(now)).toList();
          op = thresholds.policy().at(live.size(), ListScores.of(live));
        } catch (ConfigException e) {
          cl.getErr().println("edgecam watchlist list: operating point unknown: " + e.getMessage());
          return 0;
        }
        if (json) {
          ObjectNode o = JsonNodeFactory.instance.objectNode();
          o.set("operatingPoint", op.toJson());
          out.println(o);
        } else {
          out.println(
              String.format(
                  Locale.ROOT,
                  "%d %s; threshold %.2f (%s, model %s); expected false alarms per 1,000"
                      + " strangers: %.2f (target %.2f); expected miss rate: %s",
                  op.listSize(),
                  op.listSize() == 1 ? "entry" : "entries",
                  op.threshold(),
                  op.mode(),
                  op.modelTag(),
                  op.falseAlarmsPer1000(),
                  1000 * op.targetFpir(),
                  op.fnmr() == null
                      ? "unknown"
                      : String.format(
                          Locale.ROOT,
                          "%.1f%% (%d genuine pairs)",
                          100 * op.fnmr(),
                          op.genuinePairs())));
          if (op.warning() != null) {
            out.println("WARNING: " + op.warning());
          }
        }
      }
      return 0;
    }

    private static String quoted(@org.jspecify.annotations.Nullable String s) {
      return s == null ? "null" : "\"" + esc(s) + "\"";
    }

    private static String array(java.util.List<String> ids) {
      return ids.stream()
          .map(List::quoted)
          .collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }

    private static String esc(String s) {
      return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
  }

  /** {@code watchlist remove ID}. */
  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an entry.")
  static final class Remove implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Parameters(paramLabel = "ID", description = "Entry id.")
    String id;

    @Override
    public Integer call() {
      var cl = spec.commandLine();
      try (MatcherStore s = MatcherStore.open(store.resolve(cl))) {
        Clock clock = Clock.systemUTC();
        AuditLog audit = AuditLog.open(s.audit(), store.audit(cl), clock);
        Watchlist w =
            new Watchlist(
                s, new ExactWatchlistIndex(), ThresholdConfig.DEFAULT_GLOBAL, clock, audit);
        if (!w.remove(id, StoreOptions.actor())) {
          spec.commandLine().getErr().println("edgecam watchlist remove: no entry " + id);
          return 1;
        }
        spec.commandLine().getOut().println("removed " + id);
      }
      return 0;
    }
  }
}
