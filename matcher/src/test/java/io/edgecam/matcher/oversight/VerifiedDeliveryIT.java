package io.edgecam.matcher.oversight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.edgecam.matcher.MatcherService;
import io.edgecam.matcher.auth.ApiToken;
import io.edgecam.matcher.auth.ApiTokens;
import io.edgecam.matcher.auth.Role;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.matcher.testing.TestMqtt;
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.Box;
import io.edgecam.protocol.Topics;
import io.edgecam.testing.MutableClock;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The action sinks of a real matcher (embedded broker, SQLite): a verified alert reaches {@code
 * edgecam/v1/alerts/verified} and the webhook; a pending or confirmed one reaches neither; when the
 * webhook fails, the housekeeping thread delivers the verified alert again until it succeeds.
 */
class VerifiedDeliveryIT {
  @TempDir Path dir;

  @Test
  void verifiedAlertsReachTheTopicAndTheWebhookWhichIsRetriedUntilItTakesThem() throws Exception {
    List<String> webhook = new CopyOnWriteArrayList<>();
    AtomicInteger failuresLeft = new AtomicInteger(1);
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    receiver.createContext(
        "/hook",
        ex -> {
          try (InputStream in = ex.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (failuresLeft.getAndDecrement() > 0) {
              ex.sendResponseHeaders(503, -1);
            } else {
              webhook.add(body);
              ex.sendResponseHeaders(204, -1);
            }
          }
          ex.close();
        });
    receiver.start();
    MutableClock clock = new MutableClock(Instant.now());
    MatcherConfig config =
        MatcherConfig.embeddedIn(dir)
            .withAlertWebhook(
                URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"));
    try (MatcherService matcher = MatcherService.start(config, clock);
        TestMqtt mqtt = new TestMqtt(matcher.brokerUrl())) {
      mqtt.subscribe(Topics.VERIFIED_ALERTS);
      ApiToken dana;
      ApiToken eli;
      try (MatcherStore store = new SqliteMatcherStore(config.store().sqlite())) {
        ApiTokens tokens = new ApiTokens(store, clock);
        dana = tokens.issue("laptop", "dana", Role.OPERATOR, "t", null).token();
        eli = tokens.issue("desk", "eli", Role.OPERATOR, "t", null).token();
        long t = clock.millis();
        store.insertAlertOnce(
            new Alert(
                1,
                "v-1",
                "hq",
                "cam-1",
                1,
                t,
                t,
                "p-1",
                "Jane",
                0.7,
                0.45,
                1,
                new Box(0, 0, 90, 90)));
      }

      matcher.oversight().confirm("v-1", dana, null);
      assertThat(matcher.oversight().reviews("v-1").state()).isEqualTo(ReviewState.CONFIRMED);
      matcher.oversight().confirm("v-1", eli, null);

      // The topic takes it at once; the webhook refused the first POST.
      await().atMost(Duration.ofSeconds(10)).until(() -> mqtt.messages().size() == 1);
      assertThat(mqtt.messages().get(0))
          .contains("\"id\":\"v-1\"")
          .contains("\"verifiedBy\":[\"dana\",\"eli\"]");
      await().atMost(Duration.ofSeconds(10)).until(() -> failuresLeft.get() <= 0);
      assertThat(webhook).isEmpty();
      // Half a minute later (the clock moves; housekeeping runs every 10 s) it is delivered again.
      clock.advance(Duration.ofMinutes(1));
      await().atMost(Duration.ofSeconds(30)).until(() -> webhook.size() == 1);
      assertThat(webhook.get(0)).contains("\"state\":\"verified\"").contains("\"id\":\"v-1\"");
      // Delivered everywhere now: no more repeats.
      clock.advance(Duration.ofMinutes(1));
      try (MatcherStore store = new SqliteMatcherStore(config.store().sqlite())) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> store.unsentVerified(10, clock.millis()).isEmpty());
      }
    } finally {
      receiver.stop(0);
    }
  }
}
