package io.edgecam.matcher.index;

import io.edgecam.matcher.config.IndexConfig;
import io.edgecam.matcher.watchlist.Origin;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Int8Embedding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import org.apache.lucene.util.Bits;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Approximate search for large watchlists: an HNSW graph (Lucene) over the embeddings, searched for
 * the {@code efSearch} nearest, of which the best one at or above its entry's threshold and not
 * expired is the match. Scores are exact int8 cosines, the same numbers {@link ExactWatchlistIndex}
 * gives; only the candidate set is approximate.
 *
 * <p>Building a graph of 100,000 embeddings takes about a minute, so {@link #replace} never builds:
 * it compares the new entries with the last graph's, hides entries removed or changed since (the
 * graph skips them) and searches entries added or changed since exactly (the "delta"), then
 * returns. A background thread builds a new graph once the delta or the hidden part grows past a
 * few percent of the graph, and swaps it in; matching goes on against the previous state meanwhile.
 * The index is therefore always complete and current; only its speed depends on how fresh the graph
 * is.
 *
 * <p>Thread-safe: searches read an immutable {@link State} through a volatile field; {@link
 * #replace} and the build completion compose new states under a lock.
 */
public final class HnswWatchlistIndex implements WatchlistIndex {
  private static final Logger log = LoggerFactory.getLogger(HnswWatchlistIndex.class);

  /** Rebuild once the delta holds this many embeddings plus 5% of the graph's. */
  static final int REBUILD_MIN_DELTA = 1_000;

  private final IndexConfig config;
  private final Executor builder;
  private final @Nullable ExecutorService ownBuilder;
  private final Object lock = new Object();
  private volatile State state = State.EMPTY;
  private volatile int efSearch;
  private final LongAdder visited = new LongAdder();
  private final LongAdder graphSearches = new LongAdder();

  // Guarded by lock.
  private List<WatchlistEntry> latest = List.of();
  private @Nullable LuceneHnswGraph graph;
  private boolean building;
  private long builds;

  /** An index that builds graphs on its own daemon thread {@code matcher-index}. */
  public HnswWatchlistIndex(IndexConfig config) {
    this.config = config;
    this.efSearch = config.efSearch();
    this.ownBuilder =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "matcher-index");
              t.setDaemon(true);
              return t;
            });
    this.builder = ownBuilder;
  }

  /**
   * An index that builds graphs on {@code builder}; {@code Runnable::run} builds inside {@link
   * #replace} (benchmarks, tests).
   */
  public HnswWatchlistIndex(IndexConfig config, Executor builder) {
    this.config = config;
    this.efSearch = config.efSearch();
    this.builder = builder;
    this.ownBuilder = null;
  }

  @Override
  public void replace(Collection<WatchlistEntry> entries) {
    synchronized (lock) {
      latest = List.copyOf(entries);
      state = State.compose(graph, latest);
      maybeBuild();
    }
  }

  private void maybeBuild() {
    if (building || !state.wantsRebuild()) {
      return;
    }
    building = true;
    List<WatchlistEntry> snapshot = latest;
    try {
      builder.execute(() -> build(snapshot));
    } catch (RejectedExecutionException e) {
      building = false; // closed
    }
  }

  private void build(List<WatchlistEntry> entries) {
    long t0 = System.nanoTime();
    LuceneHnswGraph built;
    try {
      built = entries.isEmpty() ? null : LuceneHnswGraph.build(VectorTable.of(entries), config);
    } catch (RuntimeException e) {
      log.error(
          "Building the HNSW graph of {} entries failed; searching exactly", entries.size(), e);
      synchronized (lock) {
        building = false;
      }
      return;
    }
    synchronized (lock) {
      graph = built;
      builds++;
      building = false;
      state = State.compose(graph, latest);
      if (built != null) {
        log.info(
            "HNSW graph of {} embeddings built in {} ms ({} MB of links); {} searched exactly",
            built.table.vectors,
            (System.nanoTime() - t0) / 1_000_000,
            built.graphBytes() / 1_000_000,
            state.delta.vectors);
      }
      maybeBuild();
    }
  }

  @Override
  public @Nullable Match search(
      Int8Embedding query, double globalThreshold, Instant now, @Nullable Origin origin) {
    State s = state;
    byte[] q = query.values();
    double qNorm = Math.sqrt((double) query.rawNormSquared());
    long nowMillis = now.toEpochMilli();
    Match graphMatch = null;
    double graphTop = Match.NO_SECOND;
    LuceneHnswGraph g = s.graph;
    if (g != null && g.table.dims == q.length && s.hiddenEntries < g.table.entries.length) {
      VectorTable t = g.table;
      graphSearches.increment();
      double[] score = new double[3];
      int[] rows = g.nearest(q, qNorm, efSearch, s.accept, visited);
      int row = t.bestOf(rows, q, qNorm, globalThreshold, nowMillis, origin, score);
      graphTop = score[2];
      if (row >= 0) {
        graphMatch = t.match(row, score, globalThreshold);
      }
    }
    Match deltaMatch = null;
    double deltaTop = Match.NO_SECOND;
    VectorTable d = s.delta;
    if (d.vectors > 0 && d.dims == q.length) {
      double[] score = new double[3];
      int row = d.bestRow(q, qNorm, globalThreshold, nowMillis, origin, score);
      deltaTop = score[2];
      if (row >= 0) {
        deltaMatch = d.match(row, score, globalThreshold);
      }
    }
    Match best = VectorTable.better(graphMatch, graphTop, deltaMatch, deltaTop);
    return best;
  }

  @Override
  public int size() {
    return state.size;
  }

  @Override
  public int vectors() {
    return state.vectors;
  }

  /** Changes how many candidates later searches keep (benchmarks sweep it on one graph). */
  public void setEfSearch(int ef) {
    if (ef < 1) {
      throw new IllegalArgumentException("efSearch must be >= 1, was " + ef);
    }
    efSearch = ef;
  }

  /** Embeddings scored per graph search so far, on average (the cost of one search). */
  public double meanVisited() {
    long n = graphSearches.sum();
    return n == 0 ? 0 : (double) visited.sum() / n;
  }

  /** Resets {@link #meanVisited()}. */
  public void resetVisited() {
    visited.reset();
    graphSearches.reset();
  }

  /** Embeddings searched exactly because the graph does not hold them (yet). */
  public int exactlySearched() {
    return state.delta.vectors;
  }

  /** Graphs built so far. */
  public long builds() {
    synchronized (lock) {
      return builds;
    }
  }

  /** Heap used by the current graph's links, bytes (0 without a graph). */
  public long graphBytes() {
    LuceneHnswGraph g = state.graph;
    return g == null ? 0 : g.graphBytes();
  }

  /** Heap held by the index: the graph's links, its vector copy and the delta's, bytes. */
  public long heapBytes() {
    State s = state;
    LuceneHnswGraph g = s.graph;
    return s.delta.arrayBytes() + (g == null ? 0 : g.graphBytes() + g.table.arrayBytes());
  }

  /** Stops the builder thread (if the index owns it); a build in progress is abandoned. */
  @Override
  public void close() {
    if (ownBuilder != null) {
      ownBuilder.shutdownNow();
    }
  }

  /**
   * What searches read: the graph (or none), which of its entries are hidden (removed or changed
   * since it was built), and the entries it lacks, searched exactly.
   */
  private static final class State {
    static final State EMPTY = new State(null, null, 0, VectorTable.EMPTY, 0, 0);

    final @Nullable LuceneHnswGraph graph;

    /** Rows the graph may return (null: all). */
    final @Nullable Bits accept;

    final int hiddenEntries;
    final VectorTable delta;
    final int size;
    final int vectors;

    private State(
        @Nullable LuceneHnswGraph graph,
        @Nullable Bits accept,
        int hiddenEntries,
        VectorTable delta,
        int size,
        int vectors) {
      this.graph = graph;
      this.accept = accept;
      this.hiddenEntries = hiddenEntries;
      this.delta = delta;
      this.size = size;
      this.vectors = vectors;
    }

    static State compose(@Nullable LuceneHnswGraph graph, List<WatchlistEntry> entries) {
      int vectors = 0;
      for (WatchlistEntry e : entries) {
        vectors += e.embeddings().size();
      }
      if (graph == null) {
        return new State(null, null, 0, VectorTable.of(entries), entries.size(), vectors);
      }
      VectorTable t = graph.table;
      Map<String, Integer> index = new HashMap<>(t.entries.length * 2);
      for (int e = 0; e < t.entries.length; e++) {
        index.put(t.entries[e].id(), e);
      }
      boolean[] kept = new boolean[t.entries.length];
      List<WatchlistEntry> delta = new ArrayList<>();
      for (WatchlistEntry entry : entries) {
        Integer e = index.get(entry.id());
        if (e != null && t.entries[e].equals(entry)) {
          kept[e] = true;
        } else {
          delta.add(entry);
        }
      }
      int hidden = 0;
      for (boolean k : kept) {
        hidden += k ? 0 : 1;
      }
      Bits accept = hidden == 0 ? null : new KeptRows(t, kept);
      return new State(graph, accept, hidden, VectorTable.of(delta), entries.size(), vectors);
    }

    /** True when the graph is missing or stale enough that a new one pays off. */
    boolean wantsRebuild() {
      if (graph == null) {
        return delta.vectors > 0;
      }
      int graphVectors = graph.table.vectors;
      return delta.vectors > REBUILD_MIN_DELTA + graphVectors / 20
          || hiddenEntries > graph.table.entries.length / 10;
    }
  }

  /** The graph rows whose entry is still in the watchlist unchanged. */
  private static final class KeptRows implements Bits {
    private final VectorTable table;
    private final boolean[] keptEntries;

    KeptRows(VectorTable table, boolean[] keptEntries) {
      this.table = table;
      this.keptEntries = keptEntries;
    }

    @Override
    public boolean get(int row) {
      return keptEntries[table.entryOf[row]];
    }

    @Override
    public int length() {
      return table.vectors;
    }
  }
}
