package io.edgecam.matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.matcher.config.IndexConfig;
import io.edgecam.matcher.config.WatchlistConfig;
import io.edgecam.matcher.index.ExactWatchlistIndex;
import io.edgecam.matcher.index.HnswWatchlistIndex;
import io.edgecam.matcher.index.SignBitWatchlistIndex;
import io.edgecam.matcher.index.WatchlistIndex;
import io.edgecam.matcher.ingest.CandidateProcessor;
import io.edgecam.matcher.ingest.IngestCounters;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.Vectors;
import io.edgecam.matcher.watchlist.Authorization;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 17.3: an entry authorised for some sites, devices or a time window never matches a
 * candidate from elsewhere or at another time, with every index kind, through the real candidate
 * path (store, watchlist, processor); a stranger at site B whose best match is an entry scoped to
 * site A matches the best in-scope entry instead, or nothing.
 */
class ScopedAuthorisationTest {
  @TempDir Path dir;
  private final Instant now = Instant.parse("2026-03-01T10:00:00Z");
  private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
  private final Random random = new Random(17);

  static Stream<Supplier<WatchlistIndex>> indexes() {
    return Stream.of(
        ExactWatchlistIndex::new,
        () -> new SignBitWatchlistIndex(2, 1), // shortlist of 2 rows: the re-rank path
        () -> new HnswWatchlistIndex(IndexConfig.defaults(), Runnable::run));
  }

  private WatchlistEntry scoped(String id, float[] v, Authorization a) {
    return Entries.entry(id, v, now).withAuthorization(a);
  }

  private static Authorization sites(String... sites) {
    return new Authorization("District court A", "AZ 1/26", List.of(sites), List.of(), null, null);
  }

  @ParameterizedTest
  @MethodSource("indexes")
  void anOutOfScopeEntryNeverMatchesAndTheBestInScopeOneDoes(Supplier<WatchlistIndex> kind) {
    float[] face = Vectors.unit(random);
    float[] filler = Vectors.unit(random);
    List<WatchlistEntry> entries = new ArrayList<>();
    entries.add(scoped("only-a", Vectors.near(face, 0.95, random), sites("site-a")));
    entries.add(Entries.entry("anywhere", Vectors.near(face, 0.7, random), now));
    for (int i = 0; i < 20; i++) {
      entries.add(Entries.entry("other-" + i, Vectors.near(filler, 0.5, random), now));
    }
    try (SqliteMatcherStore store = new SqliteMatcherStore(dir.resolve("m.db"));
        WatchlistIndex index = kind.get()) {
      Watchlist watchlist = new Watchlist(store, index, 0.45, clock);
      entries.forEach(watchlist::enroll);
      List<Alert> alerts = new ArrayList<>();
      CandidateProcessor processor =
          new CandidateProcessor(watchlist, a -> true, alerts::add, new IngestCounters(), clock);

      processor.process(Topics.candidates("site-a", "cam-1"), Vectors.encoded("cam-1", 1, face));
      processor.process(Topics.candidates("site-b", "cam-9"), Vectors.encoded("cam-9", 1, face));

      assertThat(alerts)
          .extracting(Alert::site, Alert::entryId)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("site-a", "only-a"),
              org.assertj.core.groups.Tuple.tuple("site-b", "anywhere"));
    }
  }

  @ParameterizedTest
  @MethodSource("indexes")
  void aStrangerAtAnotherSiteWhoseBestMatchIsOutOfScopeDoesNotAlert(Supplier<WatchlistIndex> kind) {
    float[] face = Vectors.unit(random);
    try (SqliteMatcherStore store = new SqliteMatcherStore(dir.resolve("m.db"));
        WatchlistIndex index = kind.get()) {
      Watchlist watchlist = new Watchlist(store, index, 0.45, clock);
      watchlist.enroll(scoped("only-a", Vectors.near(face, 0.9, random), sites("site-a")));
      for (int i = 0; i < 10; i++) {
        watchlist.enroll(Entries.entry("x-" + i, Vectors.unit(random), now));
      }
      List<Alert> alerts = new ArrayList<>();
      CandidateProcessor processor =
          new CandidateProcessor(watchlist, a -> true, alerts::add, new IngestCounters(), clock);
      assertThat(
              processor.process(
                  Topics.candidates("site-b", "cam-9"), Vectors.encoded("cam-9", 1, face)))
          .isEqualTo(CandidateProcessor.Outcome.DISCARDED);
      assertThat(alerts).isEmpty();
    }
  }

  @Test
  void devicesAndTheTimeWindowLimitWhereAndWhenAnEntryMatches() {
    float[] face = Vectors.unit(random);
    Authorization camera2 =
        new Authorization(null, null, List.of("site-a"), List.of("cam-2"), null, null);
    Authorization later =
        new Authorization(null, null, List.of(), List.of(), now.plusSeconds(3600), null);
    Authorization over =
        new Authorization(null, null, List.of(), List.of(), null, now.minusSeconds(1));
    try (SqliteMatcherStore store = new SqliteMatcherStore(dir.resolve("m.db"))) {
      Watchlist watchlist = new Watchlist(store, new ExactWatchlistIndex(), 0.45, clock);
      watchlist.enroll(scoped("cam2", Vectors.near(face, 0.9, random), camera2));
      assertThat(
              watchlist.match(q(face), new io.edgecam.matcher.watchlist.Origin("site-a", "cam-1")))
          .isNull();
      assertThat(
              watchlist.match(q(face), new io.edgecam.matcher.watchlist.Origin("site-a", "cam-2")))
          .isNotNull();
      assertThat(watchlist.match(q(face))).as("unknown origin").isNull();
      watchlist.enroll(scoped("cam2", Vectors.near(face, 0.9, random), later));
      assertThat(watchlist.match(q(face), new io.edgecam.matcher.watchlist.Origin("s", "d")))
          .isNull();
      watchlist.enroll(scoped("cam2", Vectors.near(face, 0.9, random), over));
      assertThat(watchlist.match(q(face), new io.edgecam.matcher.watchlist.Origin("s", "d")))
          .isNull();
    }
  }

  private static io.edgecam.protocol.Int8Embedding q(float[] v) {
    return io.edgecam.protocol.Int8Embedding.quantize(v);
  }

  @Test
  void theAuthorisationSurvivesTheStore() {
    Authorization a =
        new Authorization(
            "District court A",
            "AZ 1/26",
            List.of("site-a", "site-c"),
            List.of("cam-1"),
            now,
            now.plus(Duration.ofDays(7)));
    try (SqliteMatcherStore store = new SqliteMatcherStore(dir.resolve("m.db"))) {
      new Watchlist(store, new ExactWatchlistIndex(), 0.45, clock)
          .enroll(scoped("e1", Vectors.unit(random), a));
    }
    try (SqliteMatcherStore store = new SqliteMatcherStore(dir.resolve("m.db"))) {
      assertThat(store.entries())
          .singleElement()
          .satisfies(e -> assertThat(e.authorization()).isEqualTo(a));
    }
  }

  @Test
  void enrollmentRefusesAShortLegalBasisAndAnExpiryBeyondTheMaximumRetention() {
    try (SqliteMatcherStore store = new SqliteMatcherStore(dir.resolve("m.db"))) {
      Watchlist watchlist =
          new Watchlist(
              store, new ExactWatchlistIndex(), 0.45, clock, null, new WatchlistConfig(30, 20));
      WatchlistEntry ok = Entries.entry("e1", Vectors.unit(random), now);
      WatchlistEntry x =
          new WatchlistEntry(
              "e2", "L", ok.embeddings(), ok.model(), "x", ok.expiresAt(), "t", now, null);
      assertThatThrownBy(() -> watchlist.enroll(x))
          .isInstanceOf(EdgecamException.class)
          .hasMessageContaining("legal basis must be at least 20 characters")
          .hasMessageContaining("watchlist.minLegalBasisLength");
      WatchlistEntry far =
          Entries.entry("e3", Vectors.unit(random), now.plus(Duration.ofDays(40)), null, now);
      assertThatThrownBy(() -> watchlist.enroll(far))
          .hasMessageContaining("beyond the maximum retention of 30 days")
          .hasMessageContaining("watchlist.maxRetentionDays");
      watchlist.enroll(ok);
      assertThatThrownBy(
              () ->
                  watchlist.extend("e1", now.plus(Duration.ofDays(60)), ok.legalBasis(), "user:x"))
          .hasMessageContaining("beyond the maximum retention of 30 days");
      assertThatThrownBy(
              () -> watchlist.extend("e1", now.plus(Duration.ofDays(20)), "renewed", "user:x"))
          .hasMessageContaining("legal basis must be at least 20");
    }
  }
}
