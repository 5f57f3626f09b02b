package io.edgecam.matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.matcher.calibration.OperatingPoint;
import io.edgecam.matcher.cli.MatcherCommand;
import io.edgecam.matcher.config.ConfigException;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.config.StoreConfig;
import io.edgecam.matcher.config.ThresholdConfig;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.TestMqtt;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Topics;
import io.edgecam.testing.MutableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The operating point at start, on a stored 1,000-entry synthetic list: a too-low fixed threshold
 * is refused (in-process and as {@code edgecam matcher}, exit 2), allowed with a warning, and the
 * calibrated default keeps to the target.
 */
class OperatingPointIT {
  private static final int ENTRIES = 1_000;

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));

  /** Stores {@code ENTRIES} entries of random unit vectors (different people). */
  private void storeList() {
    storeList(clock.instant());
  }

  /** As {@link #storeList()}, enrolled at {@code now} (expiring 30 days later). */
  private void storeList(Instant now) {
    List<WatchlistEntry> entries = Entries.random(ENTRIES, new Random(11), new ArrayList<>(), now);
    try (MatcherStore s =
        MatcherStore.open(StoreConfig.sqlite(dir.resolve("matcher.db")), "test")) {
      entries.forEach(s::putEntry);
    }
  }

  @Test
  void tooLowFixedThresholdIsRefusedAtStartWithBothRates() {
    storeList();
    MatcherConfig config =
        MatcherConfig.embeddedIn(dir).withThresholds(ThresholdConfig.fixed(0.30, false));

    assertThatThrownBy(() -> MatcherService.start(config, clock))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("thresholds.global 0.30 gives an expected ")
        .hasMessageContaining("false alarms per stranger at 1000 entries")
        .hasMessageContaining("above thresholds.targetFalseAlarmRate 1.00%")
        .hasMessageContaining("thresholds.allowHighFalseAlarms: true")
        .hasMessageMatching("(?s).*expected \\d+\\.\\d\\d% false alarms per stranger.*");
  }

  @Test
  void matcherCommandExitsWithAConfigErrorNamingTheFile() throws Exception {
    storeList(Instant.now()); // the command runs on the system clock
    Path yaml = dir.resolve("matcher.yaml");
    Files.writeString(
        yaml,
        """
        broker: {embedded: {port: 0, dataDir: broker}}
        store: {sqlite: matcher.db}
        thresholds: {global: 0.3}
        """);
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new MatcherCommand()).setErr(new PrintWriter(err));

    // Were it not refused, the command would run until stopped.
    int code =
        assertTimeoutPreemptively(
            Duration.ofSeconds(120), () -> cl.execute("--config", yaml.toString()));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("matcher.yaml: thresholds.global 0.30")
        .contains("thresholds.targetFalseAlarmRate 1.00%");
  }

  @Test
  void allowedHighFalseAlarmsStartWithAWarningInTheStatus() throws Exception {
    storeList();
    MatcherConfig config =
        MatcherConfig.embeddedIn(dir).withThresholds(ThresholdConfig.fixed(0.30, true));
    try (MatcherService m = MatcherService.start(config, clock)) {
      OperatingPoint op = m.watchlist().operatingPoint();
      assertThat(op.mode()).isEqualTo("fixed");
      assertThat(op.supported()).isFalse();
      assertThat(op.expectedFpir()).isGreaterThan(0.01);
      List<String> status = new CopyOnWriteArrayList<>();
      TestMqtt client = new TestMqtt(m.brokerUrl()).subscribe(Topics.MATCHERS + "/+", status);
      try {
        await().atMost(Duration.ofSeconds(20)).until(() -> !status.isEmpty());
      } finally {
        client.close();
      }
      JsonNode published = new ObjectMapper().readTree(status.get(0)).get("operatingPoint");
      assertThat(published.get("supported").asBoolean()).isFalse();
      assertThat(published.get("warning").asText()).contains("thresholds.global 0.30");
      assertThat(published.get("listSize").asInt()).isEqualTo(ENTRIES);
      assertThat(m.metrics().scrape())
          .contains("edgecam_matcher_operating_point_supported 0.0")
          .contains("edgecam_matcher_threshold 0.3");
    }
  }

  @Test
  void calibratedDefaultKeepsToTheTargetWithTheListsOwnPairs() {
    storeList();
    try (MatcherService m = MatcherService.start(MatcherConfig.embeddedIn(dir), clock)) {
      OperatingPoint op = m.watchlist().operatingPoint();
      assertThat(op.mode()).isEqualTo("calibrated");
      assertThat(op.listSize()).isEqualTo(ENTRIES);
      assertThat(op.listPairs()).isEqualTo((long) ENTRIES * (ENTRIES - 1) / 2);
      assertThat(op.supported()).isTrue();
      assertThat(op.expectedFpir()).isLessThanOrEqualTo(0.01);
      assertThat(op.fnmr()).isNotNull();
      assertThat(op.modelTag()).isEqualTo("mfn-1.0.24");
      // Recomputed when the list changes.
      m.watchlist().remove("e7");
      assertThat(m.watchlist().operatingPoint().listSize()).isEqualTo(ENTRIES - 1);
      assertThat(m.watchlist().operatingPoint().listPairs())
          .isEqualTo((long) (ENTRIES - 1) * (ENTRIES - 2) / 2);
    }
  }
}
