package io.edgecam.matcher.testing;

import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Int8Embedding;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/** Watchlist entries for tests. */
public final class Entries {
  private Entries() {}

  /**
   * Entries {@code e0} .. {@code e(n-1)} of random unit vectors, each vector also appended to
   * {@code vectors}.
   */
  public static List<WatchlistEntry> random(
      int n, Random random, List<float[]> vectors, Instant now) {
    List<WatchlistEntry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = Vectors.unit(random);
      vectors.add(v);
      out.add(entry("e" + i, v, now));
    }
    return out;
  }

  /**
   * Three entries of {@code person}: "strict" (its own threshold 0.99), "expired" (expires a minute
   * after {@code now}) and "ok" (another capture at cosine 0.95, may match for a day).
   */
  public static List<WatchlistEntry> strictExpiredOk(float[] person, Random random, Instant now) {
    return List.of(
        entry("strict", person, now.plus(Duration.ofDays(1)), 0.99, now),
        entry("expired", person, now.plusSeconds(60), null, now),
        entry("ok", Vectors.near(person, 0.95, random), now.plus(Duration.ofDays(1)), null, now));
  }

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
        "test warrant 42, district court",
        expiresAt,
        "tester",
        now,
        threshold);
  }
}
