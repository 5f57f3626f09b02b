package io.edgecam.matcher.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.Vectors;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.Box;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What every {@link MatcherStore} must do; subclasses open SQLite and PostgreSQL. */
abstract class MatcherStoreContract {
  final Instant now = Instant.parse("2025-06-01T00:00:00Z");
  final Random random = new Random(5);

  /** Opens the store under test; a second call opens the same database again. */
  MatcherStore open() {
    return open("local");
  }

  /** Opens the store under test for the matcher {@code owner}. */
  abstract MatcherStore open(String owner);

  static Alert alert(String id, String device, long sequence) {
    return new Alert(
        1,
        id,
        "site",
        device,
        sequence,
        1000L,
        2000L,
        "alice",
        "Alice",
        0.8,
        0.45,
        3,
        new Box(1, 2, 3, 4));
  }

  @Test
  void migratesToTheLatestSchemaOnceAndReopens() {
    try (MatcherStore s = open()) {
      assertThat(s.schemaVersion())
          .isEqualTo(Migrations.ALL.get(Migrations.ALL.size() - 1).version());
    }
    try (MatcherStore s = open()) {
      assertThat(s.schemaVersion())
          .isEqualTo(Migrations.ALL.get(Migrations.ALL.size() - 1).version());
    }
  }

  @Test
  void watchlistEntriesRoundTripWithTheirEmbeddings() {
    WatchlistEntry a =
        Entries.entry("alice", Vectors.unit(random), now.plus(Duration.ofDays(3)), 0.6, now);
    WatchlistEntry b = Entries.entry("bob", Vectors.unit(random), now);
    try (MatcherStore s = open()) {
      long rev = s.watchlistRevision();
      s.putEntry(b);
      s.putEntry(a);
      assertThat(s.watchlistRevision()).isGreaterThan(rev);
    }
    try (MatcherStore s = open()) {
      List<WatchlistEntry> entries = s.entries();
      assertThat(entries).extracting(WatchlistEntry::id).containsExactly("alice", "bob");
      WatchlistEntry back = entries.get(0);
      assertThat(back.embeddings()).isEqualTo(a.embeddings());
      assertThat(back.threshold()).isEqualTo(0.6);
      assertThat(back.legalBasis()).isEqualTo(a.legalBasis());
      assertThat(back.model()).isEqualTo(Vectors.MODEL);
      assertThat(back.expiresAt()).isEqualTo(a.expiresAt());
      assertThat(entries.get(1).threshold()).isNull();
      assertThat(s.removeEntry("bob")).isTrue();
      assertThat(s.removeEntry("bob")).isFalse();
      assertThat(s.entries()).extracting(WatchlistEntry::id).containsExactly("alice");
    }
  }

  @Test
  void replacingAnEntryKeepsOnlyTheNewEmbeddings() {
    try (MatcherStore s = open()) {
      s.putEntry(Entries.entry("alice", Vectors.unit(random), now));
      WatchlistEntry second = Entries.entry("alice", Vectors.unit(random), now);
      s.putEntry(second);
      assertThat(s.entries())
          .singleElement()
          .extracting(WatchlistEntry::embeddings)
          .isEqualTo(second.embeddings());
    }
  }

  @Test
  void purgeDeletesExpiredEntriesOnly() {
    try (MatcherStore s = open()) {
      s.putEntry(Entries.entry("old", Vectors.unit(random), now.plusSeconds(60), null, now));
      s.putEntry(
          Entries.entry("new", Vectors.unit(random), now.plus(Duration.ofDays(1)), null, now));
      assertThat(s.purgeExpired(now)).isEmpty();
      assertThat(s.purgeExpired(now.plusSeconds(60))).containsExactly("old");
      assertThat(s.entries()).extracting(WatchlistEntry::id).containsExactly("new");
    }
  }

  @Test
  void alertIsStoredOncePerDeviceAndSequenceAcrossReopen() {
    try (MatcherStore s = open()) {
      assertThat(s.insertAlertOnce(alert("a1", "cam-1", 5))).isTrue();
      assertThat(s.insertAlertOnce(alert("a2", "cam-1", 5))).isFalse();
      assertThat(s.insertAlertOnce(alert("a3", "cam-2", 5))).isTrue();
    }
    try (MatcherStore s = open()) {
      assertThat(s.insertAlertOnce(alert("a4", "cam-1", 5))).isFalse();
      assertThat(s.alertCount()).isEqualTo(2);
      assertThat(s.alerts(10)).extracting(Alert::id).containsExactlyInAnyOrder("a1", "a3");
      assertThat(s.alerts(10)).contains(alert("a1", "cam-1", 5));
    }
  }

  @Test
  void newAlertsWaitInTheOutboxUntilMarkedPublished() {
    try (MatcherStore s = open()) {
      s.insertAlertOnce(alert("a1", "cam-1", 1));
      s.insertAlertOnce(alert("a2", "cam-1", 2));
      assertThat(s.unpublishedAlerts(10)).extracting(Alert::id).containsExactly("a1", "a2");
      assertThat(s.markPublished("a1")).isTrue();
      assertThat(s.markPublished("nope")).isFalse();
    }
    try (MatcherStore s = open()) {
      assertThat(s.unpublishedAlerts(10)).extracting(Alert::id).containsExactly("a2");
    }
  }

  @Test
  void outboxClaimsKeepTwoMatchersOffEachOthersAlertsUntilTheClaimExpires() {
    Alert x = alert("x1", "cam-1", 1); // matched at 2000 ms
    long t = x.matchTimeMillis();
    try (MatcherStore a = open("matcher-a");
        MatcherStore b = open("matcher-b")) {
      assertThat(a.insertAlertOnce(x)).isTrue();
      assertThat(b.claimUnpublished(10, t + 1_000, t + 1_000)).as("a's claim holds").isEmpty();
      assertThat(a.claimUnpublished(10, t + 1_000, t)).as("a's own, but too recent").isEmpty();
      assertThat(a.claimUnpublished(10, t + 1_000, t + 1)).containsExactly(x);
      // a renewed its claim until t + 61,000.
      assertThat(b.claimUnpublished(10, t + 60_999, t + 60_999)).isEmpty();
      assertThat(b.claimUnpublished(10, t + 61_000, t + 61_000))
          .as("a went quiet: b takes over")
          .containsExactly(x);
      assertThat(a.claimUnpublished(10, t + 61_001, t + 61_001)).isEmpty();
      assertThat(b.markPublished(x.id())).isTrue();
      assertThat(b.claimUnpublished(10, t + 999_999, t + 999_999)).isEmpty();
      assertThat(a.claimUnpublished(10, t + 999_999, t + 999_999)).isEmpty();
    }
  }
}
