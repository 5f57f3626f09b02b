package io.edgecam.agent.config;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Store-and-forward spool settings ({@code spool} in agent.yaml).
 *
 * @param path SQLite file; null means {@code spool.db} in the state directory
 * @param maxCandidates most candidates kept; beyond it the oldest are dropped (counted)
 */
public record SpoolConfig(@Nullable Path path, int maxCandidates) {
  public SpoolConfig {
    if (maxCandidates < 1 || maxCandidates > 10_000_000) {
      throw new IllegalArgumentException(
          "maxCandidates must be in 1..10000000, was " + maxCandidates);
    }
  }
}
