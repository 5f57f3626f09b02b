package io.edgecam.mqtt;

import javax.net.SocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * How a link connects. TLS comes as a ready socket factory, so that each caller keeps its own
 * config shape (the agent's PEM files, the matcher's key store) until those become one.
 *
 * @param url {@code tcp://host:port} or {@code ssl://host:port}
 * @param clientId MQTT client id
 * @param username user name, or null
 * @param password password, or null
 * @param socketFactory for {@code ssl://}: the TLS socket factory (client certificate, trusted CA);
 *     null for the JVM's default
 * @param keepAliveSeconds MQTT keep-alive
 * @param sessionExpirySeconds how long the broker keeps the session after a drop (clean start is
 *     off, so a reconnect finds its session); 0 for a session that ends with the connection
 * @param inFlightWindow most QoS 1 publishes unacknowledged at once (also kept below the broker's
 *     receive maximum)
 * @param will what the broker publishes (retained, QoS 1) if the connection dies without a
 *     DISCONNECT, or null
 */
public record MqttLinkConfig(
    String url,
    String clientId,
    @Nullable String username,
    @Nullable String password,
    @Nullable SocketFactory socketFactory,
    int keepAliveSeconds,
    long sessionExpirySeconds,
    int inFlightWindow,
    @Nullable Will will) {

  public MqttLinkConfig {
    if (url == null || !(url.startsWith("tcp://") || url.startsWith("ssl://"))) {
      throw new IllegalArgumentException("url must start with tcp:// or ssl://, was " + url);
    }
    if (clientId == null || clientId.isBlank()) {
      throw new IllegalArgumentException("clientId must not be blank");
    }
    if (keepAliveSeconds < 0) {
      throw new IllegalArgumentException("keepAliveSeconds < 0: " + keepAliveSeconds);
    }
    if (sessionExpirySeconds < 0) {
      throw new IllegalArgumentException("sessionExpirySeconds < 0: " + sessionExpirySeconds);
    }
    if (inFlightWindow < 1) {
      throw new IllegalArgumentException("inFlightWindow < 1: " + inFlightWindow);
    }
  }

  /**
   * The message the broker publishes for us when the connection dies without a DISCONNECT.
   *
   * @param topic e.g. the status topic
   * @param payload e.g. an offline status (retained)
   */
  public record Will(String topic, byte[] payload) {}
}
