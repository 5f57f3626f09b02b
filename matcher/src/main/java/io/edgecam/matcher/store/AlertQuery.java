package io.edgecam.matcher.store;

import org.jspecify.annotations.Nullable;

/**
 * A page of alerts, newest first (by match time, then id), with optional filters. Pages are keyed
 * by the last alert of the previous page ({@code beforeTime}, {@code beforeId}), so alerts arriving
 * meanwhile never shift a page. Immutable.
 *
 * @param site only this site, or null
 * @param device only this device, or null
 * @param entryId only alerts of this watchlist entry, or null
 * @param fromMillis only alerts matched at or after this time (epoch ms), or null
 * @param toMillis only alerts matched before this time (epoch ms), or null
 * @param beforeTime match time of the previous page's last alert, or null for the first page
 * @param beforeId id of the previous page's last alert; set exactly when {@code beforeTime} is
 * @param limit page size, 1..{@link #MAX_LIMIT}
 */
public record AlertQuery(
    @Nullable String site,
    @Nullable String device,
    @Nullable String entryId,
    @Nullable Long fromMillis,
    @Nullable Long toMillis,
    @Nullable Long beforeTime,
    @Nullable String beforeId,
    int limit) {
  public static final int MAX_LIMIT = 1000;

  public AlertQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be in 1.." + MAX_LIMIT + ", was " + limit);
    }
    if ((beforeTime == null) != (beforeId == null)) {
      throw new IllegalArgumentException("beforeTime and beforeId go together");
    }
  }

  /** The newest {@code limit} alerts, unfiltered. */
  public static AlertQuery newest(int limit) {
    return new AlertQuery(null, null, null, null, null, null, null, limit);
  }

  /** The same filters, the page after the one that ended with {@code time}, {@code id}. */
  public AlertQuery after(long time, String id) {
    return new AlertQuery(site, device, entryId, fromMillis, toMillis, time, id, limit);
  }
}
