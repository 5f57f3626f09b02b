package io.edgecam.matcher.index;

import io.edgecam.matcher.config.IndexConfig;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Int8Embedding;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exact search for small watchlists, HNSW for large ones, chosen at every {@link #replace} by the
 * number of embeddings: HNSW from {@link IndexConfig#approximateFrom()} on, exact again below 90%
 * of it. Switching to HNSW costs nothing up front: the HNSW index searches everything exactly until
 * its graph is built in the background. Thread-safe.
 */
public final class AdaptiveWatchlistIndex implements WatchlistIndex {
  private static final Logger log = LoggerFactory.getLogger(AdaptiveWatchlistIndex.class);

  private final IndexConfig config;
  private final ExactWatchlistIndex exact = new ExactWatchlistIndex();
  private final HnswWatchlistIndex hnsw;
  private volatile WatchlistIndex active = exact;

  public AdaptiveWatchlistIndex(IndexConfig config) {
    this(config, new HnswWatchlistIndex(config));
  }

  /** With a given HNSW index (tests pass one that builds synchronously). */
  AdaptiveWatchlistIndex(IndexConfig config, HnswWatchlistIndex hnsw) {
    this.config = config;
    this.hnsw = hnsw;
  }

  @Override
  public synchronized void replace(Collection<WatchlistEntry> entries) {
    int vectors = 0;
    for (WatchlistEntry e : entries) {
      vectors += e.embeddings().size();
    }
    boolean approximate =
        active == hnsw
            ? vectors >= config.approximateFrom() * 0.9
            : vectors >= config.approximateFrom();
    if (approximate) {
      hnsw.replace(entries);
      if (active != hnsw) {
        active = hnsw;
        exact.replace(List.of());
        log.info("Watchlist of {} embeddings: approximate search (HNSW)", vectors);
      }
    } else {
      exact.replace(entries);
      if (active != exact) {
        active = exact;
        hnsw.replace(List.of());
        log.info("Watchlist of {} embeddings: exact search", vectors);
      }
    }
  }

  @Override
  public @Nullable Match search(Int8Embedding query, double globalThreshold, Instant now) {
    return active.search(query, globalThreshold, now);
  }

  /** True while the HNSW index is the one searched. */
  public boolean approximate() {
    return active == hnsw;
  }

  @Override
  public int size() {
    return active.size();
  }

  @Override
  public int vectors() {
    return active.vectors();
  }

  @Override
  public void close() {
    hnsw.close();
  }
}
