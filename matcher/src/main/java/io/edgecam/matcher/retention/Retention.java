package io.edgecam.matcher.retention;

import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.config.RetentionConfig;
import io.edgecam.matcher.store.MatcherStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes matches (alerts) older than {@code retention.matchDays} and records each purge in the
 * audit log with counts, never contents. Expired watchlist entries are the watchlist's own purge
 * ({@code Watchlist.purgeExpired}, audited as {@code watchlist.expire}). Thread-safe.
 */
public final class Retention {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);

  private final MatcherStore store;
  private final AuditLog audit;
  private final RetentionConfig config;
  private final Clock clock;

  public Retention(MatcherStore store, AuditLog audit, RetentionConfig config, Clock clock) {
    this.store = store;
    this.audit = audit;
    this.config = config;
    this.clock = clock;
  }

  /**
   * What one purge removed.
   *
   * @param cutoff alerts matched before this instant were deleted
   * @param alertsDeleted how many
   */
  public record Result(Instant cutoff, long alertsDeleted) {}

  /**
   * Deletes the alerts older than the retention period.
   *
   * @param actor who runs it ({@code matcher} on schedule, {@code cli:USER} by command)
   * @param recordEmpty also write the audit record when nothing was deleted (explicit runs do; the
   *     schedule does not, so that the log does not fill with empty purges)
   */
  public Result purge(String actor, boolean recordEmpty) {
    Instant cutoff = clock.instant().minus(Duration.ofDays(config.matchDays()));
    long deleted = store.purgeAlertsBefore(cutoff);
    if (deleted > 0 || recordEmpty) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("match_days", config.matchDays());
      d.put("cutoff", cutoff.toString());
      d.put("alerts_deleted", deleted);
      audit.append(actor, AuditAction.RETENTION_PURGE, "alerts", d);
    }
    if (deleted > 0) {
      log.info("Retention: deleted {} alerts matched before {}", deleted, cutoff);
    }
    return new Result(cutoff, deleted);
  }
}
