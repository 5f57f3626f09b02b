package io.edgecam.matcher.store;

import io.edgecam.matcher.audit.AuditRecord;
import io.edgecam.matcher.audit.AuditStore;
import io.edgecam.matcher.auth.ApiToken;
import io.edgecam.matcher.config.StoreConfig;
import io.edgecam.matcher.oversight.AlertReview;
import io.edgecam.matcher.oversight.AlertReviews;
import io.edgecam.matcher.oversight.ReviewDay;
import io.edgecam.matcher.oversight.ReviewState;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Alert;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What the matcher keeps: watchlist entries and alerts. Non-matching candidates are never stored,
 * not even their keys: the (device, sequence) dedup key is persisted as the unique key of the alert
 * it produced, which is the only thing a redelivered candidate could duplicate. Implementations are
 * thread-safe. Failures are {@link StoreException}s.
 */
public interface MatcherStore extends AutoCloseable {

  /** Opens (creating and migrating as needed) the store {@code config} names. */
  static MatcherStore open(StoreConfig config) {
    return open(config, "local");
  }

  /**
   * Opens the store for the matcher {@code owner} (its MQTT client id): the alerts it stores are
   * its to publish until their claim expires ({@link #claimUnpublished}).
   */
  static MatcherStore open(StoreConfig config, String owner) {
    return config.jdbcUrl() != null
        ? new PostgresMatcherStore(config.jdbcUrl(), config.poolSize(), owner)
        : new SqliteMatcherStore(config.sqlite(), owner);
  }

  /** Inserts the entry, or replaces the entry with the same id. */
  void putEntry(WatchlistEntry entry);

  /** Deletes an entry; false if there was none with that id. */
  boolean removeEntry(String id);

  /** All entries, expired or not, ordered by id. */
  List<WatchlistEntry> entries();

  /** Deletes the entries expired at {@code now}; returns their ids. */
  List<String> purgeExpired(Instant now);

  /**
   * Stores an alert unless one for the same (device, sequence) exists. The alert waits in the
   * outbox (unpublished), claimed by this store's owner for a minute.
   *
   * @return false if the candidate was already alerted (a duplicate); nothing was written
   */
  boolean insertAlertOnce(Alert alert);

  /**
   * Stores an alert unless one for the same (device, sequence) exists and, in the same transaction,
   * appends the audit record {@code audit} builds, so that no match goes unrecorded.
   *
   * @return the audit record, or null for a duplicate (nothing was written)
   */
  @Nullable AuditRecord insertAlertOnce(
      Alert alert, Function<@Nullable AuditRecord, AuditRecord> audit);

  /** A number that changes whenever the watchlist does (in this process or another). */
  long watchlistRevision();

  /** Alerts not yet acknowledged by the broker, oldest first, at most {@code limit}. */
  List<Alert> unpublishedAlerts(int limit);

  /**
   * Takes unpublished alerts to publish: those whose claim expired at {@code nowMillis} (the
   * matcher that stored them stopped or stalled) and this owner's own stored before {@code
   * ownBeforeMillis}; renews their claim. Two owners never take the same alert while its claim
   * holds, so N matchers on one database do not publish each other's alerts in flight.
   */
  List<Alert> claimUnpublished(int limit, long nowMillis, long ownBeforeMillis);

  /** Records that the broker acknowledged the alert; false if there is no such alert. */
  boolean markPublished(String alertId);

  /** Alerts, newest first, at most {@code limit}. */
  List<Alert> alerts(int limit);

  /** Deletes alerts matched before {@code cutoff} (retention); returns how many. */
  long purgeAlertsBefore(Instant cutoff);

  /** Number of stored alerts. */
  long alertCount();

  /** The audit chain in this database (io.edgecam.matcher.audit.AuditLog writes through it). */
  AuditStore audit();

  /** One page of alerts, filtered and newest first (the REST API's alert list). */
  AlertPage alerts(AlertQuery query);

  /** The alert with this id, or null. */
  @Nullable Alert alert(String id);

  /** Stores a new API token under the SHA-256 (hex) of its secret; the secret is never stored. */
  void insertToken(ApiToken token, String secretSha256);

  /** The token whose secret has this SHA-256 (hex), revoked or not, or null. */
  @Nullable ApiToken tokenBySecretSha256(String secretSha256);

  /** Every API token, revoked ones included, oldest first. */
  List<ApiToken> tokens();

  /** Revokes a token; false if there is no such token or it was already revoked. */
  boolean revokeToken(String id, Instant at);

  /** Records that a token authenticated a request at {@code at}. */
  void tokenUsed(String id, Instant at);

  /** The alert's review state and reviews, or null if there is no such alert. */
  @Nullable AlertReviews reviews(String alertId);

  /** The review states and reviews of these alerts (those that exist), by alert id. */
  Map<String, AlertReviews> reviews(Collection<String> alertIds);

  /**
   * Stores {@code review} as the alert's {@code review.index()}-th and moves the alert to {@code
   * next}, with the audit record {@code audit} builds, in one transaction; provided no other review
   * was stored since the caller read {@code review.index()} reviews.
   *
   * @return the audit record, or null if another review came first (nothing was written)
   */
  @Nullable AuditRecord addReview(
      AlertReview review, ReviewState next, Function<@Nullable AuditRecord, AuditRecord> audit);

  /** Id of the entry's earliest stored alert (its first match, within retention), or null. */
  @Nullable String firstAlertId(String entryId);

  /**
   * Verified alerts that not every action sink has taken yet (the webhook or the verified topic
   * failed), verified before {@code reviewedBeforeMillis}, oldest first.
   */
  List<Alert> unsentVerified(int limit, long reviewedBeforeMillis);

  /** Records that every action sink took the verified alert; false if there is no such alert. */
  boolean markActionSent(String alertId);

  /** Alerts still waiting for a decision (pending, or confirmed by too few), newest first. */
  List<Alert> openAlerts(int limit);

  /** Per UTC day from {@code from}: alerts raised and what became of them. */
  List<ReviewDay> reviewDays(Instant from);

  /** Highest applied schema migration. */
  int schemaVersion();

  @Override
  void close();
}
