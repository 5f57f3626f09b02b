package io.edgecam.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgecam.testing.MosquittoProcess;
import io.edgecam.testing.WireTap;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PahoMqttLink} against a Mosquitto of the test's own. */
class PahoMqttLinkIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  private static PahoMqttLink link(String url, String clientId, long sessionExpiry) {
    return new PahoMqttLink(
        new MqttLinkConfig(url, clientId, null, null, null, 30, sessionExpiry, 16, null),
        "test-mqtt");
  }

  @Test
  void subscriptionIsRenewedOnEveryNewConnection() throws Exception {
    try (MosquittoProcess broker = MosquittoProcess.start(dir.resolve("broker"));
        // Session expiry 0: the broker forgets the subscription with the connection, so a message
        // after the restart arrives only if the link subscribed again.
        PahoMqttLink link = link(broker.url(), "renew", 0)) {
      List<String> got = new CopyOnWriteArrayList<>();
      MqttLink.Subscription sub = link.subscribe(1, (t, p) -> got.add(t), "t/#");
      link.start();
      sub.acknowledged().get(20, TimeUnit.SECONDS);
      try (WireTap publisher = new WireTap(broker.url(), "unused/none")) {
        publisher.publish("t/1", "one".getBytes(UTF_8));
      }
      await().atMost(WAIT).until(() -> got.contains("t/1"));

      broker.stop();
      await().atMost(WAIT).until(() -> !link.isConnected());
      broker.restart();
      assertThat(link.awaitConnected(WAIT)).isTrue();
      sub.acknowledged().get(20, TimeUnit.SECONDS);
      try (WireTap publisher = new WireTap(broker.url(), "unused/none")) {
        publisher.publish("t/2", "two".getBytes(UTF_8));
      }
      await().atMost(WAIT).until(() -> got.contains("t/2"));
    }
  }

  @Test
  void retainedMessageArrivesOnSubscribeAndAClosedSubscriptionGetsNothingMore() throws Exception {
    try (MosquittoProcess broker = MosquittoProcess.start(dir.resolve("broker"));
        PahoMqttLink link = link(broker.url(), "retained", 0)) {
      link.start();
      assertThat(link.awaitConnected(WAIT)).isTrue();
      link.publish("r/a", "kept".getBytes(UTF_8), true, WAIT).get(20, TimeUnit.SECONDS);

      List<String> retained = new CopyOnWriteArrayList<>();
      MqttLink.Subscription sub =
          link.subscribe(1, (t, p) -> retained.add(t + "=" + new String(p, UTF_8)), "r/+");
      sub.acknowledged().get(20, TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> retained.contains("r/a=kept"));

      sub.close();
      List<String> marker = new CopyOnWriteArrayList<>();
      link.subscribe(1, (t, p) -> marker.add(t), "m/x").acknowledged().get(20, TimeUnit.SECONDS);
      link.publish("r/b", "late".getBytes(UTF_8), false, WAIT).get(20, TimeUnit.SECONDS);
      link.publish("m/x", "after".getBytes(UTF_8), false, WAIT).get(20, TimeUnit.SECONDS);
      // Messages of one connection arrive in order: once the marker is here, r/b would be too.
      await().atMost(WAIT).until(() -> marker.contains("m/x"));
      assertThat(retained).containsExactly("r/a=kept");
    }
  }

  @Test
  void lostConnectionIsReportedWithItsReason() throws Exception {
    try (MosquittoProcess broker = MosquittoProcess.start(dir.resolve("broker"));
        PahoMqttLink link = link(broker.url(), "lost", 0)) {
      List<String> reasons = new CopyOnWriteArrayList<>();
      link.onConnectionLost(reasons::add);
      link.start();
      assertThat(link.awaitConnected(WAIT)).isTrue();
      assertThat(link.health().state()).isEqualTo(io.edgecam.protocol.Health.State.OK);

      broker.stop();
      await().atMost(WAIT).until(() -> !reasons.isEmpty());
      assertThat(reasons.get(0)).isNotBlank();
      // By now it may be "connection lost: ..." or the failed reconnect's "cannot connect ...".
      assertThat(link.health().state()).isEqualTo(io.edgecam.protocol.Health.State.DEGRADED);
      assertThat(link.isConnected()).isFalse();
    }
  }

  @Test
  void badSettingsAreRefusedNamingTheSetting() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new MqttLinkConfig("http://b:1", "c", null, null, null, 30, 0, 16, null))
        .hasMessage("url must start with tcp:// or ssl://, was http://b:1");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new MqttLinkConfig("tcp://b:1", "c", null, null, null, 30, 0, 0, null))
        .hasMessage("inFlightWindow < 1: 0");
  }
}
