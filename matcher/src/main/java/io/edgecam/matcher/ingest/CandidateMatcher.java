package io.edgecam.matcher.ingest;

import io.edgecam.matcher.index.Match;
import io.edgecam.matcher.watchlist.Origin;
import io.edgecam.protocol.Int8Embedding;
import org.jspecify.annotations.Nullable;

/** The watchlist as the ingest sees it: a search and the dimension it expects. */
public interface CandidateMatcher {
  /**
   * The best match at or above its threshold among the entries whose authorisation covers a
   * candidate from {@code origin} now, or null.
   */
  @Nullable Match match(Int8Embedding embedding, Origin origin);

  /** Dimension of the enrolled embeddings, or 0 when the watchlist is empty. */
  int dimensions();

  /** Tag of the embedding space of the entries, or null when there are none. */
  @Nullable String model();
}
