package io.edgecam.fleet.update;

import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.bundle.PseudonymousId;
import io.edgecam.protocol.bundle.WatchlistBundle;
import io.edgecam.protocol.bundle.WatchlistBundleCodec;
import io.edgecam.protocol.tuf.EdgecamTarget;
import io.edgecam.protocol.tuf.TufRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Builds the device watchlist bundle from the matcher's entries and adds it to the {@code
 * watchlist} role. Only what a device needs leaves the matcher: the alias (an HMAC of the entry id
 * under the maintainer's alias key), the int8 embeddings, the effective threshold and the expiry.
 * Labels, legal bases, creators and entry ids never go into a bundle. A bundle is built for one
 * site: entries whose authorisation names other sites stay out of it (without a site, every entry
 * limited to sites stays out), so a device never holds the embeddings of a person it may not look
 * for.
 */
public final class WatchlistBundles {
  private WatchlistBundles() {}

  /** What {@link #add} put into the repository. */
  public record Added(
      String path, WatchlistBundle bundle, int bytes, int skippedExpired, int skippedOutOfScope) {}

  /**
   * The model tag to publish for: {@code requested}, or the one tag all active entries share.
   *
   * @throws EdgecamException if entries use several tags and none was requested, or there are none
   */
  public static String modelTag(List<WatchlistEntry> entries, @Nullable String requested) {
    if (requested != null) {
      return requested;
    }
    TreeSet<String> tags = new TreeSet<>();
    entries.forEach(e -> tags.add(e.model()));
    if (tags.size() == 1) {
      return tags.first();
    }
    throw new EdgecamException(
        tags.isEmpty()
            ? "the watchlist is empty: give --model TAG to publish an empty watchlist"
            : "the watchlist holds embeddings of several models "
                + tags
                + ": choose one with --model");
  }

  /**
   * The bundle of the entries of {@code model} active at {@code now} whose authorisation covers
   * {@code site}.
   *
   * @param site the site whose devices get the bundle, or null: only entries for every site
   * @param globalThreshold the operating point: the threshold of entries without their own, and the
   *     floor of those with one
   */
  public static WatchlistBundle build(
      List<WatchlistEntry> entries,
      String model,
      long version,
      Instant now,
      double globalThreshold,
      byte[] aliasKey,
      @Nullable String site) {
    List<WatchlistBundle.Entry> out = new ArrayList<>();
    for (WatchlistEntry e : entries) {
      if (!e.model().equals(model) || e.isExpiredAt(now) || !covers(e, site)) {
        continue;
      }
      // An entry's own threshold may only raise the operating point (as in the matcher).
      double threshold =
          e.threshold() != null ? Math.max(e.threshold(), globalThreshold) : globalThreshold;
      List<io.edgecam.protocol.Int8Embedding> embeddings = e.embeddings();
      if (embeddings.size() > WatchlistBundle.MAX_EMBEDDINGS_PER_ENTRY) {
        embeddings = embeddings.subList(0, WatchlistBundle.MAX_EMBEDDINGS_PER_ENTRY);
      }
      out.add(
          new WatchlistBundle.Entry(
              PseudonymousId.of(aliasKey, e.id()),
              embeddings,
              (float) threshold,
              e.expiresAt().toEpochMilli()));
    }
    out.sort(java.util.Comparator.comparing(WatchlistBundle.Entry::alias));
    return new WatchlistBundle(version, now.toEpochMilli(), model, out);
  }

  private static boolean covers(WatchlistEntry e, @Nullable String site) {
    return site == null ? e.authorization().sites().isEmpty() : e.authorization().coversSite(site);
  }

  /**
   * Builds the next bundle version for {@code model} and lists it in the watchlist role.
   *
   * @param site the site whose devices get the bundle (entries scoped elsewhere stay out), or null:
   *     only entries for every site
   * @param rollout who gets it (null: every device); when null, older versions of the same model
   *     are removed (they hold entries that may have been removed or expired since)
   */
  public static Added add(
      TufRepository repo,
      List<WatchlistEntry> entries,
      String model,
      Instant now,
      double globalThreshold,
      byte[] aliasKey,
      EdgecamTarget.@Nullable Rollout rollout,
      @Nullable String site) {
    long version = MaintainerRepository.nextVersion(repo, EdgecamTarget.Kind.WATCHLIST, model);
    WatchlistBundle bundle = build(entries, model, version, now, globalThreshold, aliasKey, site);
    byte[] bytes = WatchlistBundleCodec.encode(bundle);
    String path =
        MaintainerRepository.WATCHLIST
            + "/"
            + MaintainerRepository.pathSafe(model)
            + "-v"
            + version
            + ".cbor";
    EdgecamTarget target =
        new EdgecamTarget(EdgecamTarget.Kind.WATCHLIST, model, version, rollout, null);
    if (rollout == null) {
      for (EdgecamTarget.Listed old :
          MaintainerRepository.listed(repo, EdgecamTarget.Kind.WATCHLIST, model)) {
        repo.removeTarget(MaintainerRepository.WATCHLIST, old.path());
      }
    }
    repo.addTarget(MaintainerRepository.WATCHLIST, path, bytes, target.toCustom());
    int expired =
        (int) entries.stream().filter(e -> e.model().equals(model) && e.isExpiredAt(now)).count();
    int outOfScope =
        (int)
            entries.stream()
                .filter(e -> e.model().equals(model) && !e.isExpiredAt(now) && !covers(e, site))
                .count();
    return new Added(path, bundle, bytes.length, expired, outOfScope);
  }
}
