package io.edgecam.ctl.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.agent.config.MqttConfig;
import io.edgecam.agent.config.TlsConfig;
import io.edgecam.matcher.broker.EmbeddedBroker;
import io.edgecam.matcher.config.EmbeddedBrokerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security review, issue 17: the matcher's embedded HiveMQ broker, when it serves devices beyond
 * loopback, does so only over TLS with client certificates of the fleet CA (made by the real {@code
 * ca init}, {@code ca broker} and {@code provision} commands). The test binds the TLS listener to
 * 127.0.0.1 too: tests use loopback only.
 */
class EmbeddedBrokerTlsIT {
  @TempDir static Path tmp;
  private static Fleet fleet;
  private static EmbeddedBroker broker;
  private static String tlsUrl;

  @BeforeAll
  static void start() {
    Path etc = tmp.resolve("etc");
    fleet = new Fleet(tmp.resolve("fleet")).init("p256").broker(etc, "127.0.0.1,localhost");
    broker =
        EmbeddedBroker.start(
            new EmbeddedBrokerConfig(
                0,
                "127.0.0.1",
                tmp.resolve("broker"),
                new EmbeddedBrokerConfig.Tls(
                    0,
                    fleet.ca.resolve("ca.pem"),
                    etc.resolve("broker.pem"),
                    etc.resolve("broker.key"))));
    tlsUrl = "ssl://127.0.0.1:" + broker.tlsPort();
    fleet.provisionDevice("cam-a", "site-1", tlsUrl).ok();
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  private static MqttConfig mqtt(TlsConfig tls) {
    return new MqttConfig(tlsUrl, null, null, null, tls, 0, 8, 30, 60);
  }

  @Test
  void aDeviceWithAFleetCertificateConnectsAndPublishes() throws Exception {
    try (TlsClient cam = new TlsClient(fleet.agentConfig("cam-a").mqtt(), tlsUrl, "cam-a")) {
      assertThat(cam.isConnected()).isTrue();
      assertThat(cam.publish("edgecam/v1/site-1/cam-a/status", "{}")).isLessThan(0x80);
    }
  }

  @Test
  void aClientWithoutCertificateCannotConnect() {
    TlsConfig noCert = new TlsConfig(fleet.bundle("cam-a").resolve("ca.pem"), null, null);
    assertThatThrownBy(() -> new TlsClient(mqtt(noCert), tlsUrl, "anonymous").close())
        .isInstanceOf(MqttException.class);
  }

  @Test
  void aClientWithACertificateOfAnotherCaCannotConnect() throws Exception {
    Fleet other = new Fleet(tmp.resolve("other")).init("p256");
    other.provisionDevice("cam-a", "site-1", tlsUrl).ok();
    TlsConfig forged =
        new TlsConfig(
            fleet.bundle("cam-a").resolve("ca.pem"),
            other.bundle("cam-a").resolve("device.pem"),
            other.bundle("cam-a").resolve("device.key"));
    assertThatThrownBy(() -> new TlsClient(mqtt(forged), tlsUrl, "forged").close())
        .isInstanceOf(MqttException.class);
  }

  @Test
  void theStoresAndConfigHoldingTheirPasswordArePrivate() throws Exception {
    Path conf = tmp.resolve("broker/conf");
    for (String f : new String[] {"config.xml", "broker-keystore.p12", "broker-truststore.p12"}) {
      assertThat(Files.getPosixFilePermissions(conf.resolve(f)))
          .as(f)
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }
  }
}
