package io.edgecam.agent.config;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Store-and-forward spool settings ({@code spool} in agent.yaml).
 *
 * @param path SQLite file; null means {@code spool.db} in the state directory
 * @param maxCandidates most candidates kept; beyond it the oldest are dropped (counted)
 * @param minFreeBytes free space the spool leaves on its file system: below it, each new candidate
 *     replaces the oldest one (counted as a drop) instead of growing the file
 */
public record SpoolConfig(@Nullable Path path, int maxCandidates, long minFreeBytes) {
  /** Default {@link #minFreeBytes}: room for the WAL and the rest of the device. */
  public static final long DEFAULT_MIN_FREE_BYTES = 16L << 20;

  public SpoolConfig {
    if (maxCandidates < 1 || maxCandidates > 10_000_000) {
      throw new IllegalArgumentException(
          "maxCandidates must be in 1..10000000, was " + maxCandidates);
    }
    if (minFreeBytes < 0) {
      throw new IllegalArgumentException("minFreeBytes must be >= 0, was " + minFreeBytes);
    }
  }
}
