package io.edgecam.protocol.tuf;

import static io.edgecam.protocol.tuf.TufException.Kind.EXPIRED;
import static io.edgecam.protocol.tuf.TufException.Kind.ROLLBACK;
import static io.edgecam.protocol.tuf.TufFixture.BUNDLE;
import static io.edgecam.protocol.tuf.TufFixture.BUNDLE_PATH;
import static io.edgecam.protocol.tuf.TufFixture.rejects;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The device's clock jumps (a Pi without an RTC boots in 1970 or with yesterday's time until NTP
 * answers; a bad NTP answer sends it years ahead). Expiry is judged by the device clock, so: a jump
 * forward freezes updates (refused as expired, the trusted state kept intact, updates resume when
 * the clock is right again); a jump backward cannot reopen old metadata, because anti-rollback is
 * by version, not time.
 */
class ClockJumpTest {
  private final TufFixture given = new TufFixture();

  @Test
  void forwardJumpFreezesUpdatesKeepsTheTrustedStateAndRecoversWhenTheClockIsRight() {
    TufUpdater updater = given.updater();
    updater.refresh();
    Map<String, Long> before = updater.trustedVersions();
    Map<String, String> stored = storedHashes();

    given.clock.advance(Duration.ofDays(30)); // bad NTP answer
    rejects(EXPIRED, updater::refresh).contains("expired");
    rejects(EXPIRED, () -> given.updater().refresh()).contains("expired");
    assertThat(storedHashes())
        .as("what was trusted before the jump is still what the device holds")
        .isEqualTo(stored);

    given.clock.advance(Duration.ofDays(-30)); // NTP corrects it
    TufUpdater again = given.updater();
    again.refresh();
    assertThat(again.trustedVersions()).isEqualTo(before);
    assertThat(again.download(again.targetInfo(BUNDLE_PATH))).isEqualTo(BUNDLE);
  }

  private Map<String, String> storedHashes() {
    Map<String, String> out = new TreeMap<>();
    given.store.forEach((role, bytes) -> out.put(role, Hashes.sha256Hex(bytes)));
    return out;
  }

  @Test
  void backwardJumpDoesNotMakeOlderMetadataAcceptableAgain() {
    byte[] oldTimestamp = given.meta("timestamp.json");
    byte[] oldSnapshot = given.meta("1.snapshot.json");
    given.updater().refresh();

    given.clock.advance(Duration.ofHours(2));
    given.repo.addTarget(
        "watchlist", BUNDLE_PATH, "v2".getBytes(StandardCharsets.UTF_8), MissingNode.getInstance());
    given.repo.publish();
    given.serve();
    TufUpdater updater = given.updater();
    updater.refresh();
    long trustedTimestamp = updater.trustedVersions().get(TopLevel.TIMESTAMP);
    assertThat(trustedTimestamp).isEqualTo(2);

    // The clock falls back a day: the old timestamp and snapshot look fresh again by time...
    given.clock.advance(Duration.ofDays(-1));
    given.serveMeta("timestamp.json", oldTimestamp);
    given.serveMeta("1.snapshot.json", oldSnapshot);
    // ...but the device compares versions, not times.
    rejects(ROLLBACK, () -> given.updater().refresh()).contains("timestamp v1");
    assertThat(given.updater().trustedVersions().get(TopLevel.TIMESTAMP))
        .isEqualTo(trustedTimestamp);
  }
}
