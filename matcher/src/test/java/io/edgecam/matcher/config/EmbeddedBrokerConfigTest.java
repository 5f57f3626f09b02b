package io.edgecam.matcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Security review, issue 17: the embedded broker authenticates no one. */
class EmbeddedBrokerConfigTest {
  @TempDir Path dir;

  @Test
  void listensOnLoopbackByDefault() {
    assertThat(EmbeddedBrokerConfig.defaults().bindAddress()).isEqualTo("127.0.0.1");
    assertThat(EmbeddedBrokerConfig.defaults().tls()).isNull();
  }

  @Test
  void refusesANonLoopbackBindWithoutTls() {
    for (String any : new String[] {"0.0.0.0", "::", "192.168.1.10", "matcher.local"}) {
      assertThatThrownBy(() -> new EmbeddedBrokerConfig(1883, any, Path.of("broker")))
          .as(any)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("broker.embedded.bindAddress is " + any + ", not a loopback")
          .hasMessageContaining("broker.embedded.tls");
    }
    for (String loopback : new String[] {"127.0.0.1", "127.0.1.1", "::1", "localhost"}) {
      assertThat(new EmbeddedBrokerConfig(1883, loopback, Path.of("broker")).plainBindAddress())
          .isEqualTo(loopback);
    }
  }

  @Test
  void refusesItInTheShippedYamlShapeNamingTheKey() throws Exception {
    Path yaml =
        Files.writeString(
            dir.resolve("matcher.yaml"),
            "broker:\n  embedded:\n    bindAddress: 0.0.0.0\nstore:\n  sqlite: m.db\n");
    assertThatThrownBy(() -> MatcherConfig.load(yaml))
        .hasMessageContaining("broker.embedded.bindAddress is 0.0.0.0");
  }

  @Test
  void withTlsTheNetworkGetsTlsAndThePlainListenerStaysOnLoopback() throws Exception {
    Path yaml =
        Files.writeString(
            dir.resolve("matcher.yaml"),
            "broker:\n  embedded:\n    bindAddress: 0.0.0.0\n    tls:\n      ca: ca.pem\n"
                + "      certificate: b.pem\n      key: b.key\nstore:\n  sqlite: m.db\n");
    EmbeddedBrokerConfig e = MatcherConfig.load(yaml).broker().embedded();
    assertThat(e.plainBindAddress()).isEqualTo("127.0.0.1");
    assertThat(e.tls().port()).isEqualTo(8883);
    assertThat(e.tls().ca()).isEqualTo(dir.resolve("ca.pem"));
  }
}
