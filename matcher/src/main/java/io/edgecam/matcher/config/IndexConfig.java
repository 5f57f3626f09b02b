package io.edgecam.matcher.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * How the watchlist is searched: exactly below {@code approximateFrom} embeddings, through an HNSW
 * graph (approximate, candidates re-checked exactly) from there on. docs/matcher.md ("Index")
 * explains the parameters and the benchmark they were chosen from.
 *
 * @param approximateFrom number of enrolled embeddings from which the HNSW index is used; the exact
 *     index is used again below 90% of it (so that a list around the limit does not rebuild graphs
 *     back and forth)
 * @param maxConnections HNSW neighbours per node (Lucene's M); more = better recall, more memory
 *     and slower builds
 * @param beamWidth candidates considered while inserting a node (Lucene's beamWidth)
 * @param efSearch candidates kept while searching; the best of them that passes its entry's
 *     threshold and expiry wins; more = better recall, slower search
 * @param buildThreads threads that build a graph (in the background; matching goes on meanwhile)
 */
public record IndexConfig(
    int approximateFrom, int maxConnections, int beamWidth, int efSearch, int buildThreads) {
  public static final int DEFAULT_APPROXIMATE_FROM = 20_000;
  public static final int DEFAULT_MAX_CONNECTIONS = 32;
  public static final int DEFAULT_BEAM_WIDTH = 200;
  public static final int DEFAULT_EF_SEARCH = 64;
  public static final int DEFAULT_BUILD_THREADS = 1;

  /** Binds the YAML form, filling defaults for missing keys. */
  @JsonCreator
  public static IndexConfig fromYaml(
      @JsonProperty("approximateFrom") @Nullable Integer approximateFrom,
      @JsonProperty("maxConnections") @Nullable Integer maxConnections,
      @JsonProperty("beamWidth") @Nullable Integer beamWidth,
      @JsonProperty("efSearch") @Nullable Integer efSearch,
      @JsonProperty("buildThreads") @Nullable Integer buildThreads) {
    return new IndexConfig(
        approximateFrom == null ? DEFAULT_APPROXIMATE_FROM : approximateFrom,
        maxConnections == null ? DEFAULT_MAX_CONNECTIONS : maxConnections,
        beamWidth == null ? DEFAULT_BEAM_WIDTH : beamWidth,
        efSearch == null ? DEFAULT_EF_SEARCH : efSearch,
        buildThreads == null ? DEFAULT_BUILD_THREADS : buildThreads);
  }

  public IndexConfig {
    require("index.approximateFrom", approximateFrom, 1, Integer.MAX_VALUE);
    // Lucene's limits: M <= 512, beamWidth <= 3200.
    require("index.maxConnections", maxConnections, 2, 512);
    require("index.beamWidth", beamWidth, 2, 3200);
    require("index.efSearch", efSearch, 1, 10_000);
    require("index.buildThreads", buildThreads, 1, 64);
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
        DEFAULT_BUILD_THREADS);
  }

  /** Returns a copy that builds graphs on {@code n} threads. */
  public IndexConfig withBuildThreads(int n) {
    return new IndexConfig(approximateFrom, maxConnections, beamWidth, efSearch, n);
  }

  /** Returns a copy that switches to HNSW from {@code n} embeddings on. */
  public IndexConfig withApproximateFrom(int n) {
    return new IndexConfig(n, maxConnections, beamWidth, efSearch, buildThreads);
  }
}
