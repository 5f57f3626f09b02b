package io.edgecam.matcher.http;

import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.matcher.audit.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refused requests (401, 403 and lock-outs, on every API route and {@code /metrics}) into the audit
 * log, and the back-off on repeated failed logins.
 *
 * <p><b>Audit.</b> The first refusal of a (source address, actor, status) in a UTC minute is
 * recorded at once ({@code auth.login-failed} for 401 and lock-outs, {@code auth.denied} for 403);
 * further ones in that minute are only counted and written as one summary record ({@code repeated:
 * N}) when the minute is over. At most {@link #MAX_SOURCES_PER_MINUTE} sources a minute get their
 * own records; the rest share one {@code other sources} bucket. So anonymous requests add at most
 * ~2 records per source and minute and at most ~{@code 2 x MAX_SOURCES_PER_MINUTE + 2} a minute in
 * all, however many there are.
 *
 * <p><b>Back-off.</b> A source that presented {@link #FREE_FAILURES} unknown, revoked or expired
 * tokens without a success in between is refused (429, {@code Retry-After}) for 30 s, doubled for
 * each further failure up to 15 min, valid token or not. Requests without any token do not count.
 *
 * <p>Thread-safe (one lock; decisions under it, audit appends outside it). The summaries of a
 * minute are written by the next request or by the {@code matcher-http-audit} thread, every 30 s.
 */
final class AccessGuard {
  private static final Logger log = LoggerFactory.getLogger(AccessGuard.class);
  static final int FREE_FAILURES = 10;
  static final Duration FIRST_LOCK = Duration.ofSeconds(30);
  static final Duration MAX_LOCK = Duration.ofMinutes(15);
  static final int MAX_SOURCES_PER_MINUTE = 100;
  private static final int MAX_TRACKED_SOURCES = 10_000;
  private static final int MAX_PATHS = 5;
  private static final String OTHER = "other sources";

  private record Key(String source, String actor, int status) {}

  private static final class Bucket {
    final TreeSet<String> paths = new TreeSet<>();
    int count;
  }

  private static final class Failures {
    int count;
    Instant lockedUntil = Instant.EPOCH;
  }

  /** A record to append once the lock is released. */
  private record Pending(Key key, Instant minute, int count, List<String> paths, boolean first) {}

  private final AuditLog audit;
  private final Clock clock;
  private final Object lock = new Object();
  private final Map<Key, Bucket> buckets = new LinkedHashMap<>();
  private final Map<String, Failures> failures = new HashMap<>();
  private Instant minute = Instant.EPOCH;

  private final ScheduledExecutorService timer;

  AccessGuard(AuditLog audit, Clock clock) {
    this.audit = audit;
    this.clock = clock;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "matcher-http-audit");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(this::flush, 30, 30, TimeUnit.SECONDS);
  }

  /** How long {@code source} must still wait, or null if it may try. */
  @Nullable Duration lockedFor(String source) {
    Instant now = clock.instant();
    synchronized (lock) {
      Failures f = failures.get(source);
      if (f == null || !now.isBefore(f.lockedUntil)) {
        return null;
      }
      return Duration.between(now, f.lockedUntil);
    }
  }

  /** A request from {@code source} authenticated: its failure count starts again. */
  void succeeded(String source) {
    synchronized (lock) {
      failures.remove(source);
    }
  }

  /**
   * A request was refused.
   *
   * @param actor the token's actor for a 403, {@code anonymous} otherwise
   * @param badSecret true if it presented a token that is not valid (counts towards the back-off)
   */
  void refused(String source, String actor, int status, String path, boolean badSecret) {
    Instant now = clock.instant();
    List<Pending> out = new ArrayList<>();
    synchronized (lock) {
      rollOver(now, out);
      if (badSecret) {
        countFailure(source, now);
      }
      String bucketSource = source;
      if (buckets.size() >= MAX_SOURCES_PER_MINUTE
          && buckets.keySet().stream().noneMatch(k -> k.source().equals(source))) {
        bucketSource = OTHER;
      }
      Key key = new Key(bucketSource, actor, status);
      Bucket b = buckets.computeIfAbsent(key, k -> new Bucket());
      b.count++;
      if (b.paths.size() < MAX_PATHS) {
        b.paths.add(path);
      }
      if (b.count == 1) {
        out.add(new Pending(key, minute, 1, List.of(path), true));
      }
    }
    write(out);
  }

  /** Writes the summaries of minutes that are over (called on every request and by a timer). */
  void flush() {
    List<Pending> out = new ArrayList<>();
    synchronized (lock) {
      rollOver(clock.instant(), out);
    }
    write(out);
  }

  /** Writes every pending summary now, minute over or not (at shutdown). */
  void close() {
    timer.shutdownNow();
    List<Pending> out = new ArrayList<>();
    synchronized (lock) {
      drain(out);
    }
    write(out);
  }

  private void countFailure(String source, Instant now) {
    if (failures.size() >= MAX_TRACKED_SOURCES && !failures.containsKey(source)) {
      failures.values().removeIf(f -> !now.isBefore(f.lockedUntil));
    }
    Failures f = failures.computeIfAbsent(source, s -> new Failures());
    f.count++;
    int over = f.count - FREE_FAILURES;
    if (over >= 0) {
      Duration lockFor = FIRST_LOCK.multipliedBy(1L << Math.min(over, 20));
      f.lockedUntil = now.plus(lockFor.compareTo(MAX_LOCK) > 0 ? MAX_LOCK : lockFor);
      log.warn("{} failed logins from {}: refused until {}", f.count, source, f.lockedUntil);
    }
  }

  private void rollOver(Instant now, List<Pending> out) {
    Instant current = now.truncatedTo(ChronoUnit.MINUTES);
    if (!current.equals(minute)) {
      drain(out);
      minute = current;
    }
  }

  private void drain(List<Pending> out) {
    buckets.forEach(
        (k, b) -> {
          if (b.count > 1) {
            out.add(new Pending(k, minute, b.count - 1, List.copyOf(b.paths), false));
          }
        });
    buckets.clear();
  }

  private void write(List<Pending> records) {
    for (Pending p : records) {
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("status", p.key().status());
      detail.put("minute", p.minute().toString());
      detail.put(p.first() ? "path" : "paths", p.first() ? p.paths().get(0) : p.paths());
      if (!p.first()) {
        detail.put("repeated", p.count());
      }
      AuditAction action =
          p.key().status() == 403 ? AuditAction.AUTH_DENIED : AuditAction.LOGIN_FAILED;
      try {
        audit.append(p.key().actor(), action, p.key().source(), detail);
      } catch (RuntimeException e) {
        log.warn("Cannot record refused requests from {}: {}", p.key().source(), e.getMessage());
      }
    }
  }
}
