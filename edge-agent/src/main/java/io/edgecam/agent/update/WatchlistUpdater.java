package io.edgecam.agent.update;

import io.edgecam.protocol.MalformedMessageException;
import io.edgecam.protocol.bundle.WatchlistBundle;
import io.edgecam.protocol.bundle.WatchlistBundleCodec;
import io.edgecam.protocol.tuf.EdgecamTarget;
import io.edgecam.protocol.tuf.TufUpdater;
import java.io.IOException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a watchlist target verified by TUF: decodes the bundle, checks that its version is the
 * target's and its embedding space the running embedder's, persists it atomically ({@link
 * WatchlistStore}) and hands it to the prefilter. Also loads the persisted copy at start and wipes
 * it. The update thread applies; {@link #wipe} may come from any thread (both hold this object's
 * lock while they change the watchlist).
 */
final class WatchlistUpdater {
  private static final Logger log = LoggerFactory.getLogger(WatchlistUpdater.class);

  private final WatchlistStore store;
  private final RejectedTargets rejected;
  private final WatchlistPrefilter prefilter;
  private final double threshold;
  private final Consumer<UpdateResult> report;
  private long version; // guarded by this; 0 = none
  private String model = ""; // guarded by this: embedding space of the watchlist in use
  private long wipes; // guarded by this

  WatchlistUpdater(
      WatchlistStore store,
      RejectedTargets rejected,
      WatchlistPrefilter prefilter,
      double threshold,
      Consumer<UpdateResult> report) {
    this.store = store;
    this.rejected = rejected;
    this.prefilter = prefilter;
    this.threshold = threshold;
    this.report = report;
  }

  /**
   * Loads the persisted watchlist (or the wiped state) into the prefilter, before any network.
   *
   * @return why the copy could not be used, or null
   */
  synchronized @Nullable String load() {
    try {
      if (store.wipedVersion() >= 0) {
        prefilter.wipe();
        log.warn(
            "watchlist was wiped (version {}); nothing is sent until a newer one arrives",
            store.wipedVersion());
        return null;
      }
      WatchlistBundle b = store.load();
      if (b != null) {
        prefilter.install(LocalWatchlist.of(b, threshold));
        version = b.version();
        model = b.model();
        log.info(
            "watchlist v{} loaded ({} entries, {})", b.version(), b.entries().size(), b.model());
      }
      return null;
    } catch (IOException | MalformedMessageException e) {
      log.warn("stored watchlist not used: {}", e.getMessage());
      return "stored watchlist not used: " + e.getMessage();
    }
  }

  /** The version in use, 0 if none. */
  synchronized long version() {
    return version;
  }

  /**
   * Applies {@code listed} if it is newer than the watchlist in use (and than a wiped one) and not
   * refused before. Versions count per embedding space: when the running embedder is not the one
   * the watchlist in use was made for (a model update changed it), any version of the new space
   * replaces it.
   *
   * @param runningModel tag of the running embedder
   * @throws io.edgecam.protocol.tuf.TufException if a TUF check of the download fails
   */
  void apply(TufUpdater tuf, EdgecamTarget.Listed listed, String runningModel) throws IOException {
    long v = listed.target().version();
    String sha = listed.file().sha256();
    long wipesBefore;
    synchronized (this) {
      boolean sameSpace = runningModel.equals(model);
      if ((sameSpace && v == version)
          || v <= store.wipedVersion()
          || rejected.reason(sha) != null) {
        return;
      }
      if (sameSpace && v < version) {
        report(listed, "rollback: v" + v + " is older than the active v" + version);
        return;
      }
      wipesBefore = wipes;
    }
    byte[] bytes = tuf.download(tuf.targetInfo(listed.path()));
    WatchlistBundle bundle;
    try {
      bundle = WatchlistBundleCodec.decode(bytes);
    } catch (MalformedMessageException e) {
      reject(listed, sha, "bundle: " + e.getMessage());
      return;
    }
    if (bundle.version() != v) {
      reject(listed, sha, "bundle: version " + bundle.version() + ", its target says " + v);
      return;
    }
    if (!bundle.model().equals(runningModel)) {
      reject(
          listed,
          sha,
          "model: bundle is for embedder " + bundle.model() + ", this device runs " + runningModel);
      return;
    }
    LocalWatchlist local = LocalWatchlist.of(bundle, threshold);
    synchronized (this) {
      if (wipes != wipesBefore) {
        log.info("watchlist v{} not applied: wiped meanwhile", v);
        return;
      }
      store.save(bytes);
      prefilter.install(local);
      version = v;
      model = bundle.model();
    }
    log.info("watchlist v{} applied: {} entries, {}", v, bundle.entries().size(), bundle.model());
    report.accept(
        new UpdateResult(
            UpdateResult.WATCHLIST,
            listed.target().name(),
            listed.path(),
            v,
            UpdateResult.Result.APPLIED,
            null));
  }

  private void reject(EdgecamTarget.Listed listed, String sha, String reason) throws IOException {
    rejected.add(sha, reason);
    report(listed, reason);
  }

  private void report(EdgecamTarget.Listed listed, String reason) {
    log.warn("watchlist v{} ({}) rejected: {}", listed.target().version(), listed.path(), reason);
    report.accept(
        new UpdateResult(
            UpdateResult.WATCHLIST,
            listed.target().name(),
            listed.path(),
            listed.target().version(),
            UpdateResult.Result.REJECTED,
            reason));
  }

  /** Deletes the copy and makes the prefilter pass nothing until a newer watchlist arrives. */
  synchronized void wipe() throws IOException {
    prefilter.wipe();
    wipes++;
    store.wipe(Math.max(version, Math.max(0, store.wipedVersion())));
    log.warn("watchlist v{} wiped; no candidates are sent until a newer one arrives", version);
    version = 0;
    model = "";
  }
}
