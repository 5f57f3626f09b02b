package io.edgecam.matcher.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.matcher.oversight.AlertReview;
import io.edgecam.matcher.oversight.ReviewState;
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

  private static Alert timed(String id, String site, String device, long seq, long time) {
    return new Alert(
        1,
        id,
        site,
        device,
        seq,
        time,
        time,
        "e" + seq % 2,
        "L",
        0.8,
        0.45,
        1,
        new Box(1, 2, 3, 4));
  }

  @Test
  void alertPagesFollowTheCursorThroughEqualTimesAndFilter() {
    try (MatcherStore s = open()) {
      for (int i = 0; i < 7; i++) {
        s.insertAlertOnce(timed("k" + i, i < 5 ? "s1" : "s2", "cam-" + i % 2, i, 100 + i / 3));
      }
      AlertQuery q = AlertQuery.newest(3);
      AlertPage p1 = s.alerts(q);
      assertThat(p1.total()).isEqualTo(7);
      assertThat(p1.more()).isTrue();
      assertThat(p1.alerts()).extracting(Alert::id).containsExactly("k6", "k5", "k4");
      Alert last = p1.alerts().get(2);
      AlertPage p2 = s.alerts(q.after(last.matchTimeMillis(), last.id()));
      assertThat(p2.alerts()).extracting(Alert::id).containsExactly("k3", "k2", "k1");
      Alert last2 = p2.alerts().get(2);
      AlertPage p3 = s.alerts(q.after(last2.matchTimeMillis(), last2.id()));
      assertThat(p3.alerts()).extracting(Alert::id).containsExactly("k0");
      assertThat(p3.more()).isFalse();

      AlertPage s1cam0 = s.alerts(new AlertQuery("s1", "cam-0", null, null, null, null, null, 10));
      assertThat(s1cam0.alerts()).extracting(Alert::id).containsExactly("k4", "k2", "k0");
      AlertPage e1 = s.alerts(new AlertQuery(null, null, "e1", 101L, 102L, null, null, 10));
      assertThat(e1.alerts()).extracting(Alert::id).containsExactly("k5", "k3");
      assertThat(e1.total()).isEqualTo(2);
      assertThat(s.alert("k3")).isEqualTo(timed("k3", "s1", "cam-1", 3, 101));
      assertThat(s.alert("nope")).isNull();
    }
  }

  @Test
  void aReviewBasedOnAStaleReadIsRefusedAndWritesNothing() {
    Instant t = Instant.parse("2025-06-01T00:00:00Z");
    try (MatcherStore s = open()) {
      Alert a =
          new Alert(
              1,
              "rv-1",
              "hq",
              "cam-1",
              1,
              t.toEpochMilli(),
              t.toEpochMilli(),
              "p",
              "P",
              0.6,
              0.45,
              1,
              new io.edgecam.protocol.Box(0, 0, 10, 10));
      assertThat(s.insertAlertOnce(a)).isTrue();
      assertThat(s.reviews("rv-1").state()).isEqualTo(ReviewState.PENDING);
      AlertReview first =
          new AlertReview("rv-1", 0, "dana", "tok_0123456789ab", true, null, null, t);
      AlertReview stale =
          new AlertReview("rv-1", 0, "eli", "tok_0123456789ac", true, null, null, t);
      io.edgecam.matcher.audit.AuditLog audit =
          new io.edgecam.matcher.audit.AuditLog(
              s.audit(),
              io.edgecam.protocol.tuf.SigningKey.generate(),
              java.time.Clock.systemUTC(),
              null);
      assertThat(
              audit.appendWith(
                  "person:dana/tok_0123456789ab",
                  io.edgecam.matcher.audit.AuditAction.ALERT_CONFIRM,
                  "rv-1",
                  java.util.Map.of(),
                  f -> s.addReview(first, ReviewState.CONFIRMED, f)))
          .isNotNull();
      assertThat(s.reviews("rv-1").state()).isEqualTo(ReviewState.CONFIRMED);
      // Two operators read 0 reviews at once; the second write finds 1 and is refused.
      assertThat(
              audit.appendWith(
                  "person:eli/tok_0123456789ac",
                  io.edgecam.matcher.audit.AuditAction.ALERT_CONFIRM,
                  "rv-1",
                  java.util.Map.of(),
                  f -> s.addReview(stale, ReviewState.VERIFIED, f)))
          .isNull();
      assertThat(audit.last().subject()).isEqualTo("rv-1");
      assertThat(audit.last().actor()).isEqualTo("person:dana/tok_0123456789ab");
      assertThat(s.reviews("rv-1").reviews())
          .extracting(AlertReview::person)
          .containsExactly("dana");
      assertThat(s.openAlerts(10)).extracting(Alert::id).containsExactly("rv-1");
      assertThat(s.reviews(java.util.List.of("rv-1", "none"))).containsOnlyKeys("rv-1");
    }
  }

  @Test
  void apiTokensAreFoundByTheirSecretHashAndRevokedOnce() {
    Instant t = Instant.parse("2025-06-01T00:00:00Z");
    io.edgecam.matcher.auth.ApiToken token =
        new io.edgecam.matcher.auth.ApiToken(
            "tok_0123456789ab",
            "alice",
            "Alice Liddell",
            io.edgecam.matcher.auth.Role.ADMIN,
            "cli:root",
            t,
            t.plus(Duration.ofDays(7)),
            null,
            null);
    try (MatcherStore s = open()) {
      s.insertToken(token, "ab".repeat(32));
      assertThat(s.tokenBySecretSha256("ab".repeat(32))).isEqualTo(token);
      assertThat(s.tokenBySecretSha256("cd".repeat(32))).isNull();
      s.tokenUsed(token.id(), t.plusSeconds(5));
      assertThat(s.revokeToken(token.id(), t.plusSeconds(9))).isTrue();
      assertThat(s.revokeToken(token.id(), t.plusSeconds(10))).isFalse();
    }
    try (MatcherStore s = open()) {
      assertThat(s.tokens())
          .singleElement()
          .satisfies(
              x -> {
                assertThat(x.lastUsedAt()).isEqualTo(t.plusSeconds(5));
                assertThat(x.revokedAt()).isEqualTo(t.plusSeconds(9));
                assertThat(x.isActiveAt(t)).isFalse();
              });
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
