package io.edgecam.matcher;

import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.device.DeviceView;
import io.edgecam.matcher.ingest.CandidateProcessor;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what the usage and transparency reports need into the audit log (EU AI Act Art. 12(3): the
 * periods of use): devices going online and offline (transitions only, not every status),
 * candidates decided per site as counts ({@code usage.candidates}, written every {@link
 * #FLUSH_MINUTES} minutes and at stop), and {@code matcher.stop} when the matcher stops in order.
 * The start is the {@code config.start} record. Thread-safe: counting from the ingest thread,
 * transitions from the status thread, flushes from the housekeeping thread.
 */
final class UsageRecorder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UsageRecorder.class);
  static final long FLUSH_MINUTES = 15;
  private static final String ACTOR = "matcher";

  private final AuditLog audit;
  private final Clock clock;
  private final String clientId;
  private final Map<String, LongAdder> candidates = new ConcurrentHashMap<>();
  private final Map<String, Boolean> online = new ConcurrentHashMap<>();
  private Instant periodStart;

  UsageRecorder(AuditLog audit, Clock clock, String clientId) {
    this.audit = audit;
    this.clock = clock;
    this.clientId = clientId;
    this.periodStart = clock.instant();
  }

  /** Counts a decided candidate (duplicates are not counted again). */
  void handled(CandidateProcessor.Handled h) {
    if (h.outcome() != CandidateProcessor.Outcome.DUPLICATE) {
      candidates.computeIfAbsent(h.site(), s -> new LongAdder()).increment();
    }
  }

  /** Records a device's online/offline transition; repeated statuses change nothing. */
  void device(DeviceView d) {
    String key = d.site() + "/" + d.device();
    Boolean before = online.put(key, d.online());
    if (before != null && before == d.online()) {
      return;
    }
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("site", d.site());
    detail.put("device", d.device());
    detail.put("status_time", d.statusTime().toString());
    append(d.online() ? AuditAction.DEVICE_ONLINE : AuditAction.DEVICE_OFFLINE, key, detail);
  }

  /** Writes the candidate counts since the last flush, one record per site that had any. */
  synchronized void flush() {
    Instant now = clock.instant();
    for (Map.Entry<String, LongAdder> e : candidates.entrySet()) {
      long n = e.getValue().sumThenReset();
      if (n > 0) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("from", periodStart.toString());
        detail.put("to", now.toString());
        detail.put("candidates", n);
        append(AuditAction.USAGE_CANDIDATES, e.getKey(), detail);
      }
    }
    periodStart = now;
  }

  /** Flushes the counts and records {@code matcher.stop}. */
  @Override
  public void close() {
    flush();
    append(AuditAction.MATCHER_STOP, clientId, Map.of("reason", "stopped"));
  }

  private void append(AuditAction action, String subject, Map<String, ?> detail) {
    try {
      audit.append(ACTOR, action, subject, detail);
    } catch (RuntimeException e) {
      log.warn(
          "Cannot record {} of {} in the audit log: {}", action.key(), subject, e.getMessage());
    }
  }
}
