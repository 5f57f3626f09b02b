package io.edgecam.matcher.index;

import io.edgecam.matcher.watchlist.Origin;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Int8Embedding;
import java.time.Instant;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * Searches the watchlist for the entry closest to a candidate embedding. Implementations: {@link
 * ExactWatchlistIndex} (every vector, exact), {@link SignBitWatchlistIndex} and {@link
 * HnswWatchlistIndex} (approximate, for large lists) and {@link AdaptiveWatchlistIndex} (exact or
 * approximate by size, what the matcher uses). Implementations are safe for concurrent {@link
 * #search} calls; {@link #replace} swaps the contents atomically.
 */
public interface WatchlistIndex extends AutoCloseable {

  /**
   * The matcher's index: exact for small lists, {@code config.kind()} from {@code
   * config.approximateFrom()} on.
   */
  static WatchlistIndex create(io.edgecam.matcher.config.IndexConfig config) {
    return new AdaptiveWatchlistIndex(config);
  }

  /** Replaces the indexed entries. */
  void replace(Collection<WatchlistEntry> entries);

  /**
   * Returns the best-scoring entry whose cosine similarity to {@code query} is at or above its
   * threshold (its own, or {@code globalThreshold}), skipping entries expired at {@code now} and
   * entries whose authorisation does not cover a candidate from {@code origin} at {@code now}
   * (sites, devices, time window); or null when nothing matches. So an out-of-scope entry never
   * matches, and a lower-scoring in-scope one still can. A null origin is covered only by entries
   * without sites or devices. A query of another dimension than the entries matches nothing.
   * Approximate indexes choose their shortlist by similarity alone and filter it; when an entry
   * above its threshold was filtered for scope and nothing else matched, they scan every row.
   */
  @Nullable Match search(
      Int8Embedding query, double globalThreshold, Instant now, @Nullable Origin origin);

  /** {@link #search(Int8Embedding, double, Instant, Origin)} for a candidate of unknown origin. */
  default @Nullable Match search(Int8Embedding query, double globalThreshold, Instant now) {
    return search(query, globalThreshold, now, null);
  }

  /** Number of indexed entries. */
  int size();

  /** Number of indexed embeddings (an entry may have several). */
  int vectors();

  /** Releases threads the index owns; nothing by default. */
  @Override
  default void close() {}
}
