package io.edgecam.matcher.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Limits every enrollment and extension must respect ({@code watchlist} in matcher.yaml), whoever
 * asks (CLI, REST API, dashboard).
 *
 * @param maxRetentionDays an entry's expiry may lie at most this many days ahead; 1..3650
 * @param minLegalBasisLength a legal basis must have at least this many characters (a short
 *     sentence naming the authorisation, not "x"); 1..500
 */
public record WatchlistConfig(int maxRetentionDays, int minLegalBasisLength) {
  public static final int DEFAULT_MAX_RETENTION_DAYS = 365;
  public static final int DEFAULT_MIN_LEGAL_BASIS_LENGTH = 20;

  /** Binds the YAML form, filling defaults for missing keys. */
  @JsonCreator
  public static WatchlistConfig fromYaml(
      @JsonProperty("maxRetentionDays") @Nullable Integer maxRetentionDays,
      @JsonProperty("minLegalBasisLength") @Nullable Integer minLegalBasisLength) {
    return new WatchlistConfig(
        maxRetentionDays == null ? DEFAULT_MAX_RETENTION_DAYS : maxRetentionDays,
        minLegalBasisLength == null ? DEFAULT_MIN_LEGAL_BASIS_LENGTH : minLegalBasisLength);
  }

  public WatchlistConfig {
    if (maxRetentionDays < 1 || maxRetentionDays > 3650) {
      throw new IllegalArgumentException(
          "watchlist.maxRetentionDays must be in 1..3650, was " + maxRetentionDays);
    }
    if (minLegalBasisLength < 1 || minLegalBasisLength > 500) {
      throw new IllegalArgumentException(
          "watchlist.minLegalBasisLength must be in 1..500, was " + minLegalBasisLength);
    }
  }

  public static WatchlistConfig defaults() {
    return new WatchlistConfig(DEFAULT_MAX_RETENTION_DAYS, DEFAULT_MIN_LEGAL_BASIS_LENGTH);
  }

  /** Why {@code legalBasis} is refused, or null if it is long enough. */
  public @Nullable String legalBasisError(String legalBasis) {
    int n = legalBasis == null ? 0 : legalBasis.strip().length();
    if (n >= minLegalBasisLength) {
      return null;
    }
    return "legal basis must be at least "
        + minLegalBasisLength
        + " characters (watchlist.minLegalBasisLength), a short sentence naming the"
        + " authorisation; it has "
        + n;
  }

  /** Why {@code expires} is refused at {@code now}, or null if it is within the limit. */
  public @Nullable String expiryError(Instant expires, Instant now) {
    Instant limit = latestExpiry(now);
    if (!expires.isAfter(limit)) {
      return null;
    }
    return "expiry "
        + expires
        + " is beyond the maximum retention of "
        + maxRetentionDays
        + " days (watchlist.maxRetentionDays): at the latest "
        + limit;
  }

  /** The latest expiry allowed for an entry enrolled or extended at {@code now}. */
  public Instant latestExpiry(Instant now) {
    // A date given as YYYY-MM-DD means 00:00 UTC of it, so allow to the end of the last day.
    return now.plus(Duration.ofDays(maxRetentionDays + 1L))
        .truncatedTo(java.time.temporal.ChronoUnit.DAYS);
  }
}
