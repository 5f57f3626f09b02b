package io.edgecam.matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.audit.AuditQuery;
import io.edgecam.matcher.audit.AuditRecord;
import io.edgecam.matcher.config.AuditConfig;
import io.edgecam.matcher.index.ExactWatchlistIndex;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.Vectors;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every watchlist change leaves its audit record, with who did it and why. */
class WatchlistAuditTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-10T08:00:00Z"));
  private SqliteMatcherStore store;
  private AuditLog audit;
  private Watchlist watchlist;

  @BeforeEach
  void open() {
    store = new SqliteMatcherStore(dir.resolve("m.db"));
    audit = AuditLog.open(store.audit(), AuditConfig.in(dir), clock);
    watchlist = new Watchlist(store, new ExactWatchlistIndex(), 0.45, clock, audit);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private List<AuditRecord> log() {
    return audit.read(AuditQuery.after(0, 100));
  }

  @Test
  void createExtendDeleteAndExpireAreRecorded() {
    float[] v = Vectors.unit(new Random(3));
    watchlist.enroll(Entries.entry("w1", v, clock.instant()));
    watchlist.enroll(
        Entries.entry("w2", v, clock.instant().plus(Duration.ofDays(2)), null, clock.instant()));
    Instant later = clock.instant().plus(Duration.ofDays(90));
    watchlist.extend("w1", later, "court order 9, district court", "user:carol");
    assertThat(watchlist.remove("w1", "user:dave")).isTrue();
    assertThat(watchlist.remove("w1", "user:dave"))
        .as("nothing to remove, nothing recorded")
        .isFalse();
    clock.advance(Duration.ofDays(3));
    assertThat(watchlist.purgeExpired()).isEqualTo(1);

    List<AuditRecord> log = log();
    assertThat(log)
        .extracting(AuditRecord::action)
        .containsExactly(
            "watchlist.create",
            "watchlist.create",
            "watchlist.extend",
            "watchlist.delete",
            "watchlist.expire");
    assertThat(log.get(0).actor()).isEqualTo("tester");
    assertThat(log.get(0).detail())
        .contains("\"legal_basis\":\"test warrant 42, district court\"", "\"replaced\":false")
        .doesNotContain("Label w1");
    assertThat(log.get(2).actor()).isEqualTo("user:carol");
    assertThat(log.get(2).detail())
        .contains(
            "\"legal_basis\":\"court order 9, district court\"",
            "\"expires\":\"" + later + "\"",
            "\"previous_legal_basis\":\"test warrant 42, district court\"");
    assertThat(log.get(3).actor()).isEqualTo("user:dave");
    assertThat(log.get(3).subject()).isEqualTo("w1");
    assertThat(log.get(4).detail()).isEqualTo("{\"count\":1,\"entries\":[\"w2\"]}");
    assertThat(log.get(4).time()).isEqualTo(clock.instant());
  }

  @Test
  void extendNeedsAnEntryAndAFutureExpiry() {
    watchlist.enroll(Entries.entry("w1", Vectors.unit(new Random(4)), clock.instant()));
    assertThatThrownBy(() -> watchlist.extend("nobody", clock.instant().plusSeconds(60), "x", "u"))
        .isInstanceOf(EdgecamException.class)
        .hasMessageContaining("no watchlist entry nobody");
    assertThatThrownBy(() -> watchlist.extend("w1", clock.instant(), "x", "u"))
        .isInstanceOf(EdgecamException.class)
        .hasMessageContaining("is not in the future");
    assertThat(log()).extracting(AuditRecord::action).containsExactly("watchlist.create");
    assertThat(watchlist.entries().get(0).legalBasis())
        .isEqualTo("test warrant 42, district court");
  }

  @Test
  void reEnrollingTheSameIdIsRecordedAsAReplacement() {
    float[] v = Vectors.unit(new Random(5));
    watchlist.enroll(Entries.entry("w1", v, clock.instant()));
    watchlist.enroll(Entries.entry("w1", v, clock.instant()));
    assertThat(log().get(1).detail()).contains("\"replaced\":true");
  }
}
