package io.edgecam.matcher.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * How long matches are kept ({@code retention} in matcher.yaml). Expired watchlist entries are
 * purged as soon as they expire, whatever these say.
 *
 * @param matchDays alerts (matches) older than this many days are deleted; 1..36500
 * @param purgeIntervalMinutes how often the matcher applies it; 1..10080 (one week)
 */
public record RetentionConfig(int matchDays, int purgeIntervalMinutes) {
  public static final int DEFAULT_MATCH_DAYS = 30;
  public static final int DEFAULT_PURGE_INTERVAL_MINUTES = 60;

  /** Binds the YAML form, filling defaults for missing keys. */
  @JsonCreator
  public static RetentionConfig fromYaml(
      @JsonProperty("matchDays") @Nullable Integer matchDays,
      @JsonProperty("purgeIntervalMinutes") @Nullable Integer purgeIntervalMinutes) {
    return new RetentionConfig(
        matchDays == null ? DEFAULT_MATCH_DAYS : matchDays,
        purgeIntervalMinutes == null ? DEFAULT_PURGE_INTERVAL_MINUTES : purgeIntervalMinutes);
  }

  public RetentionConfig {
    if (matchDays < 1 || matchDays > 36_500) {
      throw new IllegalArgumentException(
          "retention.matchDays must be in 1..36500, was " + matchDays);
    }
    if (purgeIntervalMinutes < 1 || purgeIntervalMinutes > 10_080) {
      throw new IllegalArgumentException(
          "retention.purgeIntervalMinutes must be in 1..10080, was " + purgeIntervalMinutes);
    }
  }

  public static RetentionConfig defaults() {
    return new RetentionConfig(DEFAULT_MATCH_DAYS, DEFAULT_PURGE_INTERVAL_MINUTES);
  }
}
