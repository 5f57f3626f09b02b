package io.edgecam.matcher.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How the watchlist is searched: exactly below {@code approximateFrom} embeddings, approximately
 * from there on, by sign bits or through an HNSW graph ({@code kind}; candidates re-checked exactly
 * either way). docs/matcher.md ("Index") explains the parameters and the benchmark they were chosen
 * from.
 *
 * @param approximateFrom number of enrolled embeddings from which the approximate index is used;
 *     the exact index is used again below 90% of it (so that a list around the limit does not
 *     switch back and forth). Unset, 5,000 for sign bits (from 5,000 to 20,000 entries they made
 *     the same decisions as exact search on every candidate measured, at 1/5 to 1/15 of its CPU)
 *     and 20,000 for HNSW (a graph is built in the background and misses some genuine candidates)
 * @param maxConnections HNSW neighbours per node (Lucene's M); more = better recall, more memory
 *     and slower builds
 * @param beamWidth candidates considered while inserting a node (Lucene's beamWidth)
 * @param efSearch candidates kept while searching; the best of them that passes its entry's
 *     threshold and expiry wins; more = better recall, slower search
 * @param buildThreads threads that build a graph (in the background; matching goes on meanwhile)
 * @param kind the approximate index
 * @param shortlist sign bits: rows the scan of the bits keeps per search, to be scored by their
 *     2-bit codes; more = better recall, slower search
 * @param rerank sign bits: rows of the shortlist re-ranked by their exact cosine per search (the
 *     best by their codes); more = better recall, slower search. At or above {@code shortlist}, the
 *     whole shortlist is re-ranked and the codes are not used
 */
public record IndexConfig(
    int approximateFrom,
    int maxConnections,
    int beamWidth,
    int efSearch,
    int buildThreads,
    Kind kind,
    int shortlist,
    int rerank) {
  public static final int DEFAULT_APPROXIMATE_FROM = 5_000;
  public static final int DEFAULT_APPROXIMATE_FROM_HNSW = 20_000;
  public static final int DEFAULT_MAX_CONNECTIONS = 32;
  public static final int DEFAULT_BEAM_WIDTH = 200;
  public static final int DEFAULT_EF_SEARCH = 64;
  public static final int DEFAULT_BUILD_THREADS = 1;
  public static final Kind DEFAULT_KIND = Kind.SIGN_BITS;
  public static final int DEFAULT_SHORTLIST = 1_600;
  public static final int DEFAULT_RERANK = 96;

  /** The approximate index. */
  public enum Kind {
    /**
     * {@code SignBitWatchlistIndex}: a scan of every row's sign bits, the nearest scored by 2-bit
     * codes, the best of those re-ranked exactly.
     */
    SIGN_BITS("sign-bits"),
    /** {@code HnswWatchlistIndex}: a Lucene HNSW graph, built in the background. */
    HNSW("hnsw");

    private final String key;

    Kind(String key) {
      this.key = key;
    }

    /** The name in matcher.yaml. */
    public String key() {
      return key;
    }

    /**
     * The kind named {@code key}.
     *
     * @throws IllegalArgumentException naming {@code index.kind} and the accepted values
     */
    public static Kind parse(String key) {
      for (Kind k : values()) {
        if (k.key.equals(key.toLowerCase(Locale.ROOT))) {
          return k;
        }
      }
      throw new IllegalArgumentException("index.kind must be sign-bits or hnsw, was '" + key + "'");
    }
  }

  /** Binds the YAML form, filling defaults for missing keys. */
  @JsonCreator
  public static IndexConfig fromYaml(
      @JsonProperty("approximateFrom") @Nullable Integer approximateFrom,
      @JsonProperty("maxConnections") @Nullable Integer maxConnections,
      @JsonProperty("beamWidth") @Nullable Integer beamWidth,
      @JsonProperty("efSearch") @Nullable Integer efSearch,
      @JsonProperty("buildThreads") @Nullable Integer buildThreads,
      @JsonProperty("kind") @Nullable String kind,
      @JsonProperty("shortlist") @Nullable Integer shortlist,
      @JsonProperty("rerank") @Nullable Integer rerank) {
    Kind k = kind == null ? DEFAULT_KIND : Kind.parse(kind);
    return new IndexConfig(
        approximateFrom != null
            ? approximateFrom
            : k == Kind.HNSW ? DEFAULT_APPROXIMATE_FROM_HNSW : DEFAULT_APPROXIMATE_FROM,
        maxConnections == null ? DEFAULT_MAX_CONNECTIONS : maxConnections,
        beamWidth == null ? DEFAULT_BEAM_WIDTH : beamWidth,
        efSearch == null ? DEFAULT_EF_SEARCH : efSearch,
        buildThreads == null ? DEFAULT_BUILD_THREADS : buildThreads,
        k,
        shortlist == null ? DEFAULT_SHORTLIST : shortlist,
        rerank == null ? DEFAULT_RERANK : rerank);
  }

  public IndexConfig {
    require("index.approximateFrom", approximateFrom, 1, Integer.MAX_VALUE);
    // Lucene's limits: M <= 512, beamWidth <= 3200.
    require("index.maxConnections", maxConnections, 2, 512);
    require("index.beamWidth", beamWidth, 2, 3200);
    require("index.efSearch", efSearch, 1, 10_000);
    require("index.buildThreads", buildThreads, 1, 64);
    require("index.shortlist", shortlist, 1, 1_000_000);
    require("index.rerank", rerank, 1, 1_000_000);
    if (kind == null) {
      throw new IllegalArgumentException("index.kind must be sign-bits or hnsw, was null");
    }
  }

  private static void require(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          key + " must be in " + min + ".." + max + ", was " + value);
    }
  }

  public static IndexConfig defaults() {
    return new IndexConfig(
        DEFAULT_APPROXIMATE_FROM,
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_BEAM_WIDTH,
        DEFAULT_EF_SEARCH,
        DEFAULT_BUILD_THREADS,
        DEFAULT_KIND,
        DEFAULT_SHORTLIST,
        DEFAULT_RERANK);
  }

  /** Returns a copy that builds graphs on {@code n} threads. */
  public IndexConfig withBuildThreads(int n) {
    return new IndexConfig(
        approximateFrom, maxConnections, beamWidth, efSearch, n, kind, shortlist, rerank);
  }

  /** Returns a copy that switches to the approximate index from {@code n} embeddings on. */
  public IndexConfig withApproximateFrom(int n) {
    return new IndexConfig(
        n, maxConnections, beamWidth, efSearch, buildThreads, kind, shortlist, rerank);
  }

  /** Returns a copy whose approximate index is {@code k}. */
  public IndexConfig withKind(Kind k) {
    return new IndexConfig(
        approximateFrom, maxConnections, beamWidth, efSearch, buildThreads, k, shortlist, rerank);
  }
}
