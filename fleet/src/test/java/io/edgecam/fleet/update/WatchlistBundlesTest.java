package io.edgecam.fleet.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.Vectors;
import io.edgecam.matcher.watchlist.Authorization;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.bundle.PseudonymousId;
import io.edgecam.protocol.bundle.WatchlistBundle;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Issue 17.3: a site's device bundle holds only the entries authorised for that site. */
class WatchlistBundlesTest {
  private final Instant now = Instant.parse("2026-03-01T10:00:00Z");
  private final Random random = new Random(5);
  private final byte[] aliasKey = new byte[32];

  private WatchlistEntry entry(String id, String... sites) {
    return Entries.entry(id, Vectors.unit(random), now)
        .withAuthorization(
            new Authorization("court", "ref", List.of(sites), List.of(), null, null));
  }

  private List<String> aliases(WatchlistBundle b) {
    return b.entries().stream().map(WatchlistBundle.Entry::alias).toList();
  }

  private String alias(String id) {
    return PseudonymousId.of(aliasKey, id);
  }

  @Test
  void aSitesBundleLeavesOutEntriesScopedToOtherSites() {
    List<WatchlistEntry> entries =
        List.of(
            entry("everywhere"), entry("a-only", "site-a"), entry("a-and-b", "site-a", "site-b"));
    WatchlistBundle forB =
        WatchlistBundles.build(entries, Vectors.MODEL, 1, now, 0.45, aliasKey, "site-b");
    assertThat(aliases(forB))
        .containsExactlyInAnyOrder(alias("everywhere"), alias("a-and-b"))
        .doesNotContain(alias("a-only"));
    WatchlistBundle forA =
        WatchlistBundles.build(entries, Vectors.MODEL, 1, now, 0.45, aliasKey, "site-a");
    assertThat(forA.entries()).hasSize(3);
    WatchlistBundle noSite =
        WatchlistBundles.build(entries, Vectors.MODEL, 1, now, 0.45, aliasKey, null);
    assertThat(aliases(noSite)).containsExactly(alias("everywhere"));
  }
}
