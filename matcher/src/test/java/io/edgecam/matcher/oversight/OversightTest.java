package io.edgecam.matcher.oversight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.matcher.alert.VerifiedAlert;
import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.audit.AuditQuery;
import io.edgecam.matcher.audit.AuditRecord;
import io.edgecam.matcher.auth.ApiToken;
import io.edgecam.matcher.auth.ApiTokens;
import io.edgecam.matcher.auth.Role;
import io.edgecam.matcher.config.AuditConfig;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.Box;
import io.edgecam.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two-person verification on a real SQLite store and a real signed audit log. */
class OversightTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final List<VerifiedAlert> verified = new CopyOnWriteArrayList<>();
  private MatcherStore store;
  private AuditLog audit;
  private ApiTokens tokens;
  private Oversight oversight;

  @BeforeEach
  void open() {
    store = new SqliteMatcherStore(dir.resolve("m.db"));
    audit = AuditLog.open(store.audit(), AuditConfig.in(dir), clock);
    tokens = new ApiTokens(store, clock);
    oversight = new Oversight(store, audit, 2, clock, verified::add);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void twoDifferentPersonsVerifyAndOnlyThenIsTheAlertHandedOn() {
    store.insertAlertOnce(alert("a-1", 1));
    ApiToken dana = token("laptop", "dana");
    ApiToken eli = token("phone", "eli");

    AlertReviews first = oversight.confirm("a-1", dana, "looks like him");
    assertThat(first.state()).isEqualTo(ReviewState.CONFIRMED);
    assertThat(verified).isEmpty();

    clock.advance(Duration.ofMinutes(2));
    AlertReviews second = oversight.confirm("a-1", eli, null);
    assertThat(second.state()).isEqualTo(ReviewState.VERIFIED);
    assertThat(second.confirmedBy()).containsExactly("dana", "eli");
    assertThat(verified)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.alert().id()).isEqualTo("a-1");
              assertThat(v.verifiedBy()).containsExactly("dana", "eli");
              assertThat(v.verifiedAt()).isEqualTo(clock.instant());
              assertThat(new String(v.json()))
                  .contains("\"state\":\"verified\"")
                  .contains("\"verifiedBy\":[\"dana\",\"eli\"]");
            });
    // Stored: a second store on the same file sees both reviews, with who, token and note.
    try (MatcherStore again = new SqliteMatcherStore(dir.resolve("m.db"))) {
      AlertReviews stored = again.reviews("a-1");
      assertThat(stored.state()).isEqualTo(ReviewState.VERIFIED);
      assertThat(stored.reviews())
          .extracting(AlertReview::person, AlertReview::tokenId, AlertReview::note)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("dana", dana.id(), "looks like him"),
              org.assertj.core.groups.Tuple.tuple("eli", eli.id(), null));
      assertThat(again.openAlerts(10)).isEmpty();
    }
    List<AuditRecord> records =
        audit.read(AuditQuery.newest(Long.MAX_VALUE, 10).withAction(AuditAction.ALERT_CONFIRM));
    assertThat(records)
        .extracting(AuditRecord::actor)
        .containsExactly("person:eli/" + eli.id(), "person:dana/" + dana.id());
    assertThat(records.get(0).detail()).contains("\"state\":\"verified\"");
    assertThat(records.get(1).detail()).contains("\"note\":\"looks like him\"");
    // The audit log's actor filter finds a person's records whichever token they used.
    assertThat(audit.read(AuditQuery.newest(Long.MAX_VALUE, 10).withActor("person:dana")))
        .extracting(AuditRecord::subject)
        .containsExactly("a-1");
  }

  @Test
  void onePersonConfirmingTwiceEvenWithASecondTokenDoesNotVerify() {
    store.insertAlertOnce(alert("a-2", 2));
    ApiToken laptop = token("laptop", "dana");
    ApiToken phone = token("phone", "Dana"); // the same person, whatever the case

    assertThat(phone.person()).isEqualTo("dana");
    oversight.confirm("a-2", laptop, null);
    assertThatThrownBy(() -> oversight.confirm("a-2", laptop, null))
        .isInstanceOf(OversightException.class)
        .hasMessageContaining("dana has already confirmed alert a-2");
    assertThatThrownBy(() -> oversight.confirm("a-2", phone, null))
        .isInstanceOf(OversightException.class)
        .hasMessageContaining("2 different persons (1 so far)");
    assertThat(store.reviews("a-2").state()).isEqualTo(ReviewState.CONFIRMED);
    assertThat(store.openAlerts(10)).extracting(Alert::id).containsExactly("a-2");
    assertThat(verified).isEmpty();
  }

  @Test
  void oneRejectionClosesTheAlertWithItsReasonAndCountsAsFalseMatch() {
    store.insertAlertOnce(alert("a-3", 3));
    store.insertAlertOnce(alert("a-4", 4));
    ApiToken dana = token("laptop", "dana");
    ApiToken eli = token("phone", "eli");
    oversight.confirm("a-3", dana, null);

    AlertReviews rejected = oversight.reject("a-3", eli, RejectReason.FALSE_MATCH, "glasses");
    assertThat(rejected.state()).isEqualTo(ReviewState.REJECTED);
    assertThatThrownBy(() -> oversight.confirm("a-3", token("desk", "fay"), null))
        .isInstanceOf(OversightException.class)
        .hasMessage("alert a-3 is already rejected")
        .extracting(e -> ((OversightException) e).kind())
        .isEqualTo(OversightException.Kind.CONFLICT);
    assertThatThrownBy(() -> oversight.confirm("nope", dana, null))
        .extracting(e -> ((OversightException) e).kind())
        .isEqualTo(OversightException.Kind.NOT_FOUND);
    assertThat(verified).isEmpty();
    assertThat(store.reviews("a-3").reviews().get(1))
        .satisfies(
            r -> {
              assertThat(r.reason()).isEqualTo(RejectReason.FALSE_MATCH);
              assertThat(r.note()).isEqualTo("glasses");
            });
    assertThat(
            audit.read(AuditQuery.newest(Long.MAX_VALUE, 10).withAction(AuditAction.ALERT_REJECT)))
        .singleElement()
        .satisfies(r -> assertThat(r.detail()).contains("\"reason\":\"false-match\""));

    List<ReviewDay> days = store.reviewDays(Instant.parse("2026-03-01T00:00:00Z"));
    assertThat(days).containsExactly(new ReviewDay(LocalDate.parse("2026-03-01"), 2, 1, 0, 1, 0));
  }

  @Test
  void oneConfirmationSufficesWhenConfiguredSo() {
    Oversight single = new Oversight(store, audit, 1, clock, verified::add);
    store.insertAlertOnce(alert("a-5", 5));
    assertThat(single.confirm("a-5", token("laptop", "dana"), null).state())
        .isEqualTo(ReviewState.VERIFIED);
    assertThat(verified).hasSize(1);
  }

  @Test
  void retentionRemovesReviewsWithTheirAlerts() {
    store.insertAlertOnce(alert("a-6", 6));
    oversight.confirm("a-6", token("laptop", "dana"), null);
    assertThat(store.purgeAlertsBefore(clock.instant().plusSeconds(1))).isEqualTo(1);
    assertThat(store.reviews("a-6")).isNull();
    assertThat(store.reviews(List.of("a-6"))).isEmpty();
  }

  private ApiToken token(String name, String person) {
    return tokens.issue(name, person, Role.OPERATOR, "test", null).token();
  }

  private Alert alert(String id, long sequence) {
    long t = clock.millis();
    return new Alert(
        1,
        id,
        "hq",
        "cam-1",
        sequence,
        t - 500,
        t,
        "p-1",
        "Jane Doe",
        0.61,
        0.45,
        7,
        new Box(10, 20, 80, 96));
  }
}
