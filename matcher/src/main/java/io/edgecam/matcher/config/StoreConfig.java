package io.edgecam.matcher.config;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where matches, the watchlist and the dedup keys are kept: an SQLite file (default) or a
 * PostgreSQL database by JDBC URL.
 *
 * @param sqlite SQLite database file, used when {@code jdbcUrl} is null
 * @param jdbcUrl {@code jdbc:postgresql://...} URL, or null for SQLite
 */
public record StoreConfig(@Nullable Path sqlite, @Nullable String jdbcUrl) {
  public static final Path DEFAULT_SQLITE = Path.of("matcher.db");

  public StoreConfig {
    if (sqlite != null && jdbcUrl != null) {
      throw new IllegalArgumentException("store: set store.sqlite or store.jdbcUrl, not both");
    }
    if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "store.jdbcUrl must start with jdbc:postgresql:, was '" + jdbcUrl + "'");
    }
    if (jdbcUrl == null && sqlite == null) {
      sqlite = DEFAULT_SQLITE;
    }
  }

  public static StoreConfig sqlite(Path file) {
    return new StoreConfig(file, null);
  }

  public static StoreConfig postgres(String jdbcUrl) {
    return new StoreConfig(null, jdbcUrl);
  }
}
