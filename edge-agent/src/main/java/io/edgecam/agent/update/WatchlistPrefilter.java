package io.edgecam.agent.update;

import io.edgecam.agent.config.PrefilterConfig;
import io.edgecam.agent.service.Prefilter;
import io.edgecam.agent.track.BestShot;
import java.time.Clock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The on-device prefilter (DESIGN.md section 2, step 7): with a watchlist, a best shot becomes a
 * candidate only if its cosine to some unexpired entry reaches {@code min(prefilter threshold,
 * entry threshold)}. Without a usable watchlist (none yet, or one for another embedder than the one
 * running) it follows {@code withoutWatchlist}; after a {@linkplain #wipe() wipe} (tamper) it
 * passes nothing until a newer watchlist is installed. Thread-safe: the pipeline thread calls
 * {@link #accept}, the update thread installs watchlists.
 */
public final class WatchlistPrefilter implements Prefilter {
  private final PrefilterConfig config;
  private final Supplier<String> runningModel;
  private final Clock clock;
  private volatile @Nullable LocalWatchlist watchlist;
  private volatile boolean wiped;

  /**
   * @param runningModel tag of the embedder currently producing embeddings
   */
  WatchlistPrefilter(PrefilterConfig config, Supplier<String> runningModel, Clock clock) {
    this.config = config;
    this.runningModel = runningModel;
    this.clock = clock;
  }

  @Override
  public boolean accept(BestShot shot) {
    if (wiped) {
      return false;
    }
    if (!config.enabled()) {
      return true;
    }
    LocalWatchlist w = watchlist;
    float[] embedding = shot.face().embedding();
    if (w == null
        || embedding == null
        || embedding.length != w.dimensions()
        || !w.model().equals(runningModel.get())) {
      return config.withoutWatchlist() == PrefilterConfig.WithoutWatchlist.PASS;
    }
    return w.passes(embedding, clock.millis());
  }

  /** Uses {@code w} from the next best shot on; ends a wipe. */
  void install(LocalWatchlist w) {
    watchlist = w;
    wiped = false;
  }

  /** Forgets the watchlist and passes nothing until {@link #install} (tamper). */
  void wipe() {
    wiped = true;
    watchlist = null;
  }

  /** Whether the watchlist was wiped and nothing is sent. */
  boolean isWiped() {
    return wiped;
  }

  /** The watchlist in use, or null. */
  @Nullable LocalWatchlist watchlist() {
    return watchlist;
  }
}
