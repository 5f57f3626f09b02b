package io.edgecam.matcher.config;

import org.jspecify.annotations.Nullable;

/**
 * An MQTT 5 broker run elsewhere (Mosquitto, EMQX, HiveMQ).
 *
 * @param url {@code tcp://host:port} or {@code ssl://host:port}
 * @param tls trust and client key material for {@code ssl://} URLs, or null for the JVM defaults
 * @param revocation the fleet's signed list of revoked ids, or null: no id is refused
 */
public record ExternalBrokerConfig(
    String url, @Nullable TlsConfig tls, @Nullable RevocationConfig revocation) {
  public ExternalBrokerConfig {
    if (url == null || !(url.startsWith("tcp://") || url.startsWith("ssl://"))) {
      throw new IllegalArgumentException(
          "broker.external.url must start with tcp:// or ssl://, was "
              + (url == null ? "nothing" : "'" + url + "'"));
    }
    if (tls != null && !url.startsWith("ssl://")) {
      throw new IllegalArgumentException(
          "broker.external.tls needs an ssl:// url, was '" + url + "'");
    }
  }
}
