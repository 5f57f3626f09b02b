package io.edgecam.ctl.testing;

import io.edgecam.agent.service.OneFaceAnalyzer;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Int8Embedding;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The watchlist entry that every candidate of {@link OneFaceAnalyzer} matches (transport tests).
 */
public final class OneFaceEntry {
  private OneFaceEntry() {}

  /** Entry {@code p1}, valid for a day from now. */
  public static WatchlistEntry create() {
    Instant now = Instant.now();
    return new WatchlistEntry(
        "p1",
        "Person 1",
        List.of(Int8Embedding.quantize(OneFaceAnalyzer.embedding())),
        OneFaceAnalyzer.MODEL,
        "test: no real person",
        now.plus(Duration.ofDays(1)),
        "test",
        now,
        null);
  }
}
