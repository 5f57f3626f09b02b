package io.edgecam.matcher.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
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
    Instant bound = expiryBound(now);
    if (expires.isBefore(bound)) {
      return null;
    }
    return "expiry "
        + expires
        + " is beyond the maximum retention of "
        + maxRetentionDays
        + " days (watchlist.maxRetentionDays): at the latest "
        + LocalDate.ofInstant(bound, ZoneOffset.UTC).minusDays(1);
  }

  /**
   * The first instant an entry enrolled or extended at {@code now} may no longer expire at: 00:00
   * UTC of the day after today + {@code maxRetentionDays}, so the date today + maxRetentionDays
   * (which means 00:00 UTC of it) and any time on the days before are allowed.
   */
  public Instant expiryBound(Instant now) {
    return now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(maxRetentionDays + 1L));
  }
}
