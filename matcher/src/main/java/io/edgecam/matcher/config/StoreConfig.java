package io.edgecam.matcher.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where matches, the watchlist and the dedup keys are kept: an SQLite file (default, one matcher)
 * or a PostgreSQL database by JDBC URL (production, and what N matchers share).
 *
 * @param sqlite SQLite database file, used when {@code jdbcUrl} is null
 * @param jdbcUrl {@code jdbc:postgresql://...} URL, or null for SQLite
 * @param poolSize most PostgreSQL connections this matcher opens (HikariCP pool); 1..64, default 4
 */
public record StoreConfig(@Nullable Path sqlite, @Nullable String jdbcUrl, int poolSize) {
  public static final Path DEFAULT_SQLITE = Path.of("matcher.db");
  public static final int DEFAULT_POOL_SIZE = 4;

  /** Binds the YAML form, filling defaults for missing keys. */
  @JsonCreator
  public static StoreConfig fromYaml(
      @JsonProperty("sqlite") @Nullable Path sqlite,
      @JsonProperty("jdbcUrl") @Nullable String jdbcUrl,
      @JsonProperty("poolSize") @Nullable Integer poolSize) {
    return new StoreConfig(sqlite, jdbcUrl, poolSize == null ? DEFAULT_POOL_SIZE : poolSize);
  }

  public StoreConfig {
    if (sqlite != null && jdbcUrl != null) {
      throw new IllegalArgumentException("store: set store.sqlite or store.jdbcUrl, not both");
    }
    if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "store.jdbcUrl must start with jdbc:postgresql:, was '" + jdbcUrl + "'");
    }
    if (poolSize < 1 || poolSize > 64) {
      throw new IllegalArgumentException("store.poolSize must be in 1..64, was " + poolSize);
    }
    if (jdbcUrl == null && sqlite == null) {
      sqlite = DEFAULT_SQLITE;
    }
  }

  public static StoreConfig sqlite(Path file) {
    return new StoreConfig(file, null, DEFAULT_POOL_SIZE);
  }

  public static StoreConfig postgres(String jdbcUrl) {
    return new StoreConfig(null, jdbcUrl, DEFAULT_POOL_SIZE);
  }
}
