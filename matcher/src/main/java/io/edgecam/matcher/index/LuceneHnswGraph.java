package io.edgecam.matcher.index;

import io.edgecam.matcher.config.IndexConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.HnswBuilder;
import org.apache.lucene.util.hnsw.HnswConcurrentMergeBuilder;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.jspecify.annotations.Nullable;

/**
 * An HNSW graph over the rows of one {@link VectorTable}, built and searched with Lucene's {@code
 * util.hnsw} classes (the only Lucene user). No Lucene index, codec or directory is involved: the
 * graph lives on the heap and scores are our exact int8 cosines, {@code (1 + cos) / 2} as Lucene
 * wants scores that grow with similarity. Immutable once built; concurrent searches are safe (the
 * on-heap searcher only reads neighbour arrays).
 */
final class LuceneHnswGraph {
  /** Fixed so that a given list always gives the same graph (repeatable benchmarks and tests). */
  private static final long SEED = 42;

  final VectorTable table;
  private final OnHeapHnswGraph graph;

  private LuceneHnswGraph(VectorTable table, OnHeapHnswGraph graph) {
    this.table = table;
    this.graph = graph;
  }

  /** Builds the graph of every row of {@code table} on {@code config.buildThreads()} threads. */
  static LuceneHnswGraph build(VectorTable table, IndexConfig config) {
    RandomVectorScorerSupplier supplier = new RowScorers(table);
    try {
      if (config.buildThreads() <= 1 || table.vectors < 1_000) {
        HnswGraphBuilder b =
            HnswGraphBuilder.create(
                supplier, config.maxConnections(), config.beamWidth(), SEED, table.vectors);
        return new LuceneHnswGraph(table, b.build(table.vectors));
      }
      // An empty graph of the right size comes only from a builder in Lucene's public API.
      OnHeapHnswGraph empty =
          HnswGraphBuilder.create(
                  supplier, config.maxConnections(), config.beamWidth(), SEED, table.vectors)
              .getGraph();
      AtomicInteger n = new AtomicInteger();
      ExecutorService pool =
          Executors.newFixedThreadPool(
              config.buildThreads(),
              r -> {
                Thread t = new Thread(r, "matcher-index-build-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      try {
        HnswBuilder b =
            new HnswConcurrentMergeBuilder(
                new TaskExecutor(pool),
                config.buildThreads(),
                supplier,
                config.maxConnections(),
                config.beamWidth(),
                empty,
                null);
        return new LuceneHnswGraph(table, b.build(table.vectors));
      } finally {
        pool.shutdownNow();
      }
    } catch (IOException e) {
      // Our scorers do no I/O; Lucene's signatures declare it.
      throw new UncheckedIOException("building the HNSW graph failed", e);
    }
  }

  /**
   * The up to {@code ef} rows closest to {@code q} that {@code accept} accepts (null: all), best
   * first; adds the number of rows scored to {@code visited}.
   */
  int[] nearest(byte[] q, double qNorm, int ef, @Nullable Bits accept, LongAdder visited) {
    try {
      KnnCollector c =
          HnswGraphSearcher.search(
              new QueryScorer(table, q, qNorm), ef, graph, accept, Integer.MAX_VALUE);
      visited.add(c.visitedCount());
      ScoreDoc[] docs = c.topDocs().scoreDocs;
      int[] rows = new int[docs.length];
      for (int i = 0; i < docs.length; i++) {
        rows[i] = docs[i].doc;
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("HNSW search failed", e);
    }
  }

  /** Heap used by the graph's neighbour lists (not the vectors), bytes. */
  long graphBytes() {
    return graph.ramBytesUsed();
  }

  private static float score(double cosine) {
    return (float) ((1 + cosine) / 2);
  }

  /** Scores rows against an outside query. */
  private static final class QueryScorer implements RandomVectorScorer {
    private final VectorTable table;
    private final byte[] q;
    private final double qNorm;

    QueryScorer(VectorTable table, byte[] q, double qNorm) {
      this.table = table;
      this.q = q;
      this.qNorm = qNorm;
    }

    @Override
    public float score(int row) {
      return LuceneHnswGraph.score(table.cosine(q, qNorm, row));
    }

    @Override
    public int maxOrd() {
      return table.vectors;
    }
  }

  /** Scores rows against another row (graph construction). Stateless, so copies are itself. */
  private static final class RowScorers implements RandomVectorScorerSupplier {
    private final VectorTable table;

    RowScorers(VectorTable table) {
      this.table = table;
    }

    @Override
    public RandomVectorScorer scorer(int row) {
      byte[] q = new byte[table.dims];
      System.arraycopy(table.data, row * table.dims, q, 0, table.dims);
      return new QueryScorer(table, q, table.norms[row]);
    }

    @Override
    public RandomVectorScorerSupplier copy() {
      return this;
    }
  }
}
