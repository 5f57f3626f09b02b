package io.edgecam.matcher.testing;

import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Int8Embedding;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Watchlist entries for tests. */
public final class Entries {
  private Entries() {}

  public static WatchlistEntry entry(String id, float[] embedding, Instant now) {
    return entry(id, embedding, now.plus(Duration.ofDays(30)), null, now);
  }

  public static WatchlistEntry entry(
      String id, float[] embedding, Instant expiresAt, @Nullable Double threshold, Instant now) {
    return new WatchlistEntry(
        id,
        "Label " + id,
        List.of(Int8Embedding.quantize(embedding)),
        Vectors.MODEL,
        "test warrant 42",
        expiresAt,
        "tester",
        now,
        threshold);
  }
}
