package io.edgecam.matcher.index;

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
   * threshold (its own, or {@code globalThreshold}), skipping entries expired at {@code now}; or
   * null when nothing matches. A query of another dimension than the entries matches nothing.
   */
  @Nullable Match search(Int8Embedding query, double globalThreshold, Instant now);

  /** Number of indexed entries. */
  int size();

  /** Number of indexed embeddings (an entry may have several). */
  int vectors();

  /** Releases threads the index owns; nothing by default. */
  @Override
  default void close() {}
}
