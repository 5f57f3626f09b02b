package io.edgecam.matcher.index;

import io.edgecam.matcher.config.IndexConfig;
import io.edgecam.matcher.watchlist.Origin;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Int8Embedding;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exact search for small watchlists, an approximate index for large ones ({@link
 * IndexConfig#kind()}: sign bits or HNSW), chosen at every {@link #replace} by the number of
 * embeddings: approximate from {@link IndexConfig#approximateFrom()} on, exact again below 90% of
 * it. Switching costs nothing up front: sign bits are coded in a fraction of a second, and the HNSW
 * index searches everything exactly until its graph is built in the background. Thread-safe.
 */
public final class AdaptiveWatchlistIndex implements WatchlistIndex {
  private static final Logger log = LoggerFactory.getLogger(AdaptiveWatchlistIndex.class);

  private final IndexConfig config;
  private final ExactWatchlistIndex exact = new ExactWatchlistIndex();
  private final WatchlistIndex approximate;
  private volatile WatchlistIndex active = exact;

  public AdaptiveWatchlistIndex(IndexConfig config) {
    this(
        config,
        config.kind() == IndexConfig.Kind.HNSW
            ? new HnswWatchlistIndex(config)
            : new SignBitWatchlistIndex(config.shortlist(), config.rerank()));
  }

  /** With a given approximate index (tests pass an HNSW index that builds synchronously). */
  AdaptiveWatchlistIndex(IndexConfig config, WatchlistIndex approximate) {
    this.config = config;
    this.approximate = approximate;
  }

  @Override
  public synchronized void replace(Collection<WatchlistEntry> entries) {
    int vectors = 0;
    for (WatchlistEntry e : entries) {
      vectors += e.embeddings().size();
    }
    boolean large =
        active == approximate
            ? vectors >= config.approximateFrom() * 0.9
            : vectors >= config.approximateFrom();
    if (large) {
      approximate.replace(entries);
      if (active != approximate) {
        active = approximate;
        exact.replace(List.of());
        log.info(
            "Watchlist of {} embeddings: approximate search ({})", vectors, config.kind().key());
      }
    } else {
      exact.replace(entries);
      if (active != exact) {
        active = exact;
        approximate.replace(List.of());
        log.info("Watchlist of {} embeddings: exact search", vectors);
      }
    }
  }

  @Override
  public @Nullable Match search(
      Int8Embedding query, double globalThreshold, Instant now, @Nullable Origin origin) {
    return active.search(query, globalThreshold, now, origin);
  }

  /** True while the approximate index is the one searched. */
  public boolean approximate() {
    return active == approximate;
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
    approximate.close();
  }
}
