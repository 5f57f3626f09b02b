package io.edgecam.matcher;

import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.ingest.AlertRecorder;
import io.edgecam.matcher.metrics.MatcherMetrics;
import io.edgecam.matcher.retention.Retention;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.protocol.Alert;
import io.edgecam.runtime.metrics.MetricsEndpoint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The matcher's audit log, metrics and retention, held together for {@link MatcherService}; and how
 * the matcher's own paths write to the audit log: start (config hash) and matches.
 */
record Accountability(
    AuditLog audit,
    MatcherMetrics metrics,
    Retention retention,
    @Nullable MetricsEndpoint endpoint) {
  private static final Logger log = LoggerFactory.getLogger(Accountability.class);
  static final String ACTOR = "matcher";

  /** The scheduled purge: failures are logged, the schedule goes on. */
  static void purgeQuietly(Retention retention) {
    try {
      retention.purge(ACTOR, false);
    } catch (RuntimeException e) {
      log.warn("Retention purge failed: {}", e.getMessage());
    }
  }

  /**
   * Stores alerts once and records each new one in the audit log in the same transaction (ids and
   * score, no label).
   */
  static AlertRecorder audited(MatcherStore store, AuditLog audit) {
    return alert ->
        audit.appendWith(
                ACTOR,
                AuditAction.ALERT_MATCH,
                alert.id(),
                matchDetail(alert),
                next -> store.insertAlertOnce(alert, next))
            != null;
  }

  static Map<String, Object> matchDetail(Alert a) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("entry", a.entryId());
    d.put("site", a.site());
    d.put("device", a.device());
    d.put("sequence", a.sequence());
    d.put("score", Math.round(a.score() * 10_000) / 10_000.0);
    d.put("threshold", a.threshold());
    return d;
  }

  /** A {@code config.start} record with the hash of the effective configuration. */
  static void recordStart(AuditLog audit, MatcherConfig config, String brokerUrl) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("config_sha256", configHash(config));
    d.put("broker", brokerUrl);
    d.put(
        "threshold",
        config.thresholds().global() == null ? "calibrated" : config.thresholds().global());
    d.put("target_fpir", config.thresholds().targetFalseAlarmRate());
    d.put("confirmations", config.oversight().confirmations());
    d.put("match_days", config.retention().matchDays());
    String version = MatcherService.class.getPackage().getImplementationVersion();
    d.put("version", version == null ? "dev" : version);
    audit.append(ACTOR, AuditAction.CONFIG, config.clientId(), d);
  }

  /**
   * SHA-256 of the effective configuration (every value, defaults included, paths resolved), so
   * that two starts with the same hash ran with the same settings. Secrets in it are only hashed.
   */
  static String configHash(MatcherConfig config) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(config.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
