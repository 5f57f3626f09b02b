package io.edgecam.matcher;

import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.calibration.Calibration;
import io.edgecam.matcher.calibration.ListScores;
import io.edgecam.matcher.calibration.OperatingPoint;
import io.edgecam.matcher.calibration.ScoreTail;
import io.edgecam.matcher.calibration.ThresholdPolicy;
import io.edgecam.matcher.config.ThresholdConfig;
import io.edgecam.matcher.config.WatchlistConfig;
import io.edgecam.matcher.index.Match;
import io.edgecam.matcher.index.WatchlistIndex;
import io.edgecam.matcher.ingest.CandidateMatcher;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.matcher.watchlist.Authorization;
import io.edgecam.matcher.watchlist.Origin;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.Int8Embedding;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live watchlist: entries in the store, searched through an index that is rebuilt from the
 * store after every change. Changes are serialized under this object's lock; searches run
 * concurrently on the index's snapshot. Expired entries never match (the index checks expiry at
 * search time) and {@link #purgeExpired()} deletes them. Every reload also recomputes the {@link
 * OperatingPoint}: the threshold for this list size and what it is expected to cost
 * (docs/matcher.md, "Operating point").
 */
public final class Watchlist implements CandidateMatcher {
  private static final Logger log = LoggerFactory.getLogger(Watchlist.class);

  private final MatcherStore store;
  private final WatchlistIndex index;
  private final Clock clock;
  private final ThresholdPolicy policy;
  private volatile OperatingPoint point;
  private final List<Consumer<OperatingPoint>> pointListeners = new CopyOnWriteArrayList<>();
  private volatile int dimensions;
  private volatile @Nullable String model;
  private long loadedRevision = -1;
  private final @Nullable AuditLog audit;
  private final WatchlistConfig limits;

  /** A watchlist without an audit log (benchmarks, tests of the search). */
  public Watchlist(MatcherStore store, WatchlistIndex index, double globalThreshold, Clock clock) {
    this(store, index, globalThreshold, clock, null);
  }

  /**
   * A watchlist with a fixed threshold and no calibration (tools that do not match: its expected
   * false alarms per stranger are bounded by 1 only).
   */
  public Watchlist(
      MatcherStore store,
      WatchlistIndex index,
      double globalThreshold,
      Clock clock,
      @Nullable AuditLog audit) {
    this(store, index, globalThreshold, clock, audit, WatchlistConfig.defaults());
  }

  /**
   * A watchlist with a fixed threshold, no calibration, and the enrollment limits {@code limits}.
   */
  public Watchlist(
      MatcherStore store,
      WatchlistIndex index,
      double globalThreshold,
      Clock clock,
      @Nullable AuditLog audit,
      WatchlistConfig limits) {
    this(
        store,
        index,
        new ThresholdPolicy(Calibration.NONE, ThresholdConfig.DEFAULT_TARGET, globalThreshold),
        clock,
        audit,
        limits);
  }

  /** A watchlist with the default enrollment limits (docs/matcher.md). */
  public Watchlist(
      MatcherStore store,
      WatchlistIndex index,
      ThresholdPolicy policy,
      Clock clock,
      @Nullable AuditLog audit) {
    this(store, index, policy, clock, audit, WatchlistConfig.defaults());
  }

  /**
   * Loads the stored entries into {@code index}, purging expired ones first, and sets the operating
   * point by {@code policy}; every change is recorded in {@code audit} (when not null); enrollments
   * and extensions respect {@code limits}.
   */
  public Watchlist(
      MatcherStore store,
      WatchlistIndex index,
      ThresholdPolicy policy,
      Clock clock,
      @Nullable AuditLog audit,
      WatchlistConfig limits) {
    this.limits = limits;
    this.store = store;
    this.index = index;
    this.policy = policy;
    this.clock = clock;
    this.audit = audit;
    this.point = policy.at(0, ScoreTail.EMPTY);
    purgeExpired();
    reload();
  }

  /**
   * Adds or replaces an entry.
   *
   * @throws EdgecamException if the entry is already expired, its expiry lies beyond {@code
   *     watchlist.maxRetentionDays}, its legal basis is shorter than {@code
   *     watchlist.minLegalBasisLength}, or its embeddings' dimension differs from the enrolled
   *     entries'
   */
  public synchronized void enroll(WatchlistEntry entry) {
    if (entry.isExpiredAt(clock.instant())) {
      throw new EdgecamException(
          "watchlist entry " + entry.id() + ": expiry " + entry.expiresAt() + " is in the past");
    }
    checkPolicy(entry.id(), entry.legalBasis(), entry.expiresAt());
    int dims = dimensions;
    String current = model;
    if ((dims != 0 && entry.dimensions() != dims)
        || (current != null && !current.equals(entry.model()))) {
      List<WatchlistEntry> others =
          store.entries().stream().filter(e -> !e.id().equals(entry.id())).toList();
      if (!others.isEmpty()) {
        throw new EdgecamException(
            "watchlist entry "
                + entry.id()
                + ": embeddings of model "
                + entry.model()
                + " ("
                + entry.dimensions()
                + " dimensions), the watchlist holds "
                + current
                + " ("
                + dims
                + " dimensions); one watchlist holds one embedding space");
      }
    }
    boolean replaced = store.entries().stream().anyMatch(e -> e.id().equals(entry.id()));
    store.putEntry(entry);
    reload();
    if (audit != null) {
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("legal_basis", entry.legalBasis());
      detail.put("expires", entry.expiresAt().toString());
      detail.put("embeddings", entry.embeddings().size());
      detail.put("model", entry.model());
      detail.put("created_by", entry.createdBy());
      detail.put("threshold", entry.threshold());
      detail.put("replaced", replaced);
      putAuthorization(detail, entry.authorization());
      audit.append(entry.createdBy(), AuditAction.WATCHLIST_CREATE, entry.id(), detail);
    }
    log.info(
        "Enrolled watchlist entry {} ({} embeddings, expires {})",
        entry.id(),
        entry.embeddings().size(),
        entry.expiresAt());
  }

  /** Removes an entry on behalf of {@code matcher}; false if there was none. */
  public boolean remove(String id) {
    return remove(id, "matcher");
  }

  /**
   * Removes an entry; false if there was none.
   *
   * @param actor who asked (recorded in the audit log)
   */
  public synchronized boolean remove(String id, String actor) {
    boolean removed = store.removeEntry(id);
    if (removed) {
      reload();
      if (audit != null) {
        audit.append(actor, AuditAction.WATCHLIST_DELETE, id, Map.of());
      }
      log.info("Removed watchlist entry {}", id);
    }
    return removed;
  }

  /**
   * Gives an entry a new expiry under a new legal basis (an extension needs its own justification).
   *
   * @param actor who asked (recorded in the audit log)
   * @return the updated entry
   * @throws EdgecamException if there is no such entry or the new expiry is not in the future
   */
  public synchronized WatchlistEntry extend(
      String id, Instant newExpiry, String newLegalBasis, String actor) {
    WatchlistEntry old =
        store.entries().stream()
            .filter(e -> e.id().equals(id))
            .findFirst()
            .orElseThrow(() -> new EdgecamException("no watchlist entry " + id));
    if (!newExpiry.isAfter(clock.instant())) {
      throw new EdgecamException(
          "watchlist entry " + id + ": new expiry " + newExpiry + " is not in the future");
    }
    checkPolicy(id, newLegalBasis, newExpiry);
    WatchlistEntry updated =
        new WatchlistEntry(
            old.id(),
            old.label(),
            old.embeddings(),
            old.model(),
            newLegalBasis,
            newExpiry,
            old.createdBy(),
            old.createdAt(),
            old.threshold(),
            old.authorization());
    store.putEntry(updated);
    reload();
    if (audit != null) {
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("legal_basis", newLegalBasis);
      detail.put("expires", newExpiry.toString());
      detail.put("previous_legal_basis", old.legalBasis());
      detail.put("previous_expires", old.expiresAt().toString());
      audit.append(actor, AuditAction.WATCHLIST_EXTEND, id, detail);
    }
    log.info("Extended watchlist entry {} to {}", id, newExpiry);
    return updated;
  }

  /** The limits enrollments and extensions respect. */
  public WatchlistConfig policy() {
    return limits;
  }

  private void checkPolicy(String id, String legalBasis, Instant expires) {
    String error = limits.legalBasisError(legalBasis);
    if (error == null) {
      error = limits.expiryError(expires, clock.instant());
    }
    if (error != null) {
      throw new EdgecamException("watchlist entry " + id + ": " + error);
    }
  }

  private static void putAuthorization(Map<String, Object> detail, Authorization a) {
    if (a.body() != null) {
      detail.put("authorised_by", a.body());
    }
    if (a.reference() != null) {
      detail.put("authorisation_ref", a.reference());
    }
    detail.put("sites", a.sites().isEmpty() ? "all" : a.sites());
    if (!a.devices().isEmpty()) {
      detail.put("devices", a.devices());
    }
    if (a.from() != null) {
      detail.put("window_from", a.from().toString());
    }
    if (a.until() != null) {
      detail.put("window_until", a.until().toString());
    }
  }

  /** Every stored entry (expired ones until the next purge), ordered by id. */
  public List<WatchlistEntry> entries() {
    return store.entries();
  }

  /** Deletes expired entries from store and index; returns how many. */
  public synchronized int purgeExpired() {
    List<String> ids = store.purgeExpired(clock.instant());
    if (!ids.isEmpty()) {
      reload();
      if (audit != null) {
        // Entry ids (pseudonymous) tie this to the watchlist.create records; never labels.
        audit.append(
            "matcher",
            AuditAction.WATCHLIST_EXPIRE,
            "watchlist",
            Map.of("count", ids.size(), "entries", ids));
      }
      log.info("Purged {} expired watchlist entries: {}", ids.size(), ids);
    }
    return ids.size();
  }

  /**
   * Reloads the index if the stored watchlist changed since the last load, e.g. by {@code edgecam
   * enroll} in another process; purges expired entries first.
   */
  public synchronized void refresh() {
    purgeExpired();
    if (store.watchlistRevision() != loadedRevision) {
      reload();
      log.info("Watchlist reloaded: {} entries", index.size());
    }
  }

  private void reload() {
    loadedRevision = store.watchlistRevision();
    List<WatchlistEntry> entries = store.entries();
    index.replace(entries);
    dimensions = entries.isEmpty() ? 0 : entries.get(0).dimensions();
    model = entries.isEmpty() ? null : entries.get(0).model();
    Instant now = clock.instant();
    List<WatchlistEntry> live = entries.stream().filter(e -> !e.isExpiredAt(now)).toList();
    if (policy.calibration() == Calibration.NONE) {
      // A tool's watchlist (enroll, purge): nothing to calibrate, nothing to report.
      point = policy.at(live.size(), ScoreTail.EMPTY);
      return;
    }
    OperatingPoint next = policy.at(live.size(), ListScores.of(live));
    OperatingPoint previous = point;
    point = next;
    if (previous.threshold() != next.threshold()
        || previous.supported() != next.supported()
        || previous.listSize() != next.listSize()) {
      if (next.warning() != null) {
        log.warn("Operating point: {}; {}", next.describe(), next.warning());
      } else {
        log.info("Operating point: {}", next.describe());
      }
      for (Consumer<OperatingPoint> l : pointListeners) {
        l.accept(next);
      }
    }
  }

  @Override
  public @Nullable Match match(Int8Embedding embedding, @Nullable Origin origin) {
    OperatingPoint op = point;
    Match m = index.search(embedding, op.threshold(), clock.instant(), origin);
    return m == null ? null : m.withExpectedFpir(op.expectedFpir());
  }

  /** The best match for a candidate of unknown origin: entries scoped to places never match. */
  public @Nullable Match match(Int8Embedding embedding) {
    return match(embedding, null);
  }

  /**
   * The current operating point: list size, effective threshold, expected false alarms and misses.
   */
  public OperatingPoint operatingPoint() {
    return point;
  }

  /**
   * Adds a listener told of each new operating point (the list changed), under this watchlist's
   * lock: it must not block.
   */
  public void addOperatingPointListener(Consumer<OperatingPoint> listener) {
    pointListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public @Nullable String model() {
    return model;
  }

  @Override
  public int dimensions() {
    return dimensions;
  }

  /** Number of entries in the index. */
  public int size() {
    return index.size();
  }
}
