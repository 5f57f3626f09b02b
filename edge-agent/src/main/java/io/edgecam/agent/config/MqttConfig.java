package io.edgecam.agent.config;

import java.net.URI;
import java.net.URISyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Broker link settings ({@code mqtt} in agent.yaml).
 *
 * @param url broker URL: {@code tcp://host:port} or {@code ssl://host:port}
 * @param clientId MQTT client id; null means {@code edgecam-agent-{device}}
 * @param username user name, optional
 * @param password password, optional; never logged
 * @param tls TLS material; when configured the URL must be {@code ssl://}
 * @param sessionExpirySeconds how long the broker keeps the session (and queued acks) after a
 *     disconnect
 * @param inFlightWindow most unacknowledged QoS 1 publishes; always kept below the broker's receive
 *     maximum
 * @param keepAlive MQTT keep-alive in seconds
 * @param heartbeatSeconds how often the retained online status is refreshed
 */
public record MqttConfig(
    String url,
    @Nullable String clientId,
    @Nullable String username,
    @Nullable String password,
    TlsConfig tls,
    long sessionExpirySeconds,
    int inFlightWindow,
    int keepAlive,
    int heartbeatSeconds) {

  public MqttConfig {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("url is required");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("url is not a valid URI: " + url, e);
    }
    String scheme = uri.getScheme();
    if (!"tcp".equals(scheme) && !"ssl".equals(scheme)) {
      throw new IllegalArgumentException("url must start with tcp:// or ssl://, was " + url);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("url has no host: " + url);
    }
    if (tls == null) {
      tls = new TlsConfig(null, null, null);
    }
    if (tls.isConfigured() && !"ssl".equals(scheme)) {
      throw new IllegalArgumentException("url must start with ssl:// when tls is set, was " + url);
    }
    if (clientId != null && (clientId.isEmpty() || clientId.length() > 64)) {
      throw new IllegalArgumentException("clientId must be 1..64 characters");
    }
    if (sessionExpirySeconds < 0 || sessionExpirySeconds > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(
          "sessionExpirySeconds must be in 0..4294967295, was " + sessionExpirySeconds);
    }
    if (inFlightWindow < 1 || inFlightWindow > 1000) {
      throw new IllegalArgumentException(
          "inFlightWindow must be in 1..1000, was " + inFlightWindow);
    }
    if (keepAlive < 0 || keepAlive > 65_535) {
      throw new IllegalArgumentException("keepAlive must be in 0..65535, was " + keepAlive);
    }
    if (heartbeatSeconds < 1 || heartbeatSeconds > 86_400) {
      throw new IllegalArgumentException(
          "heartbeatSeconds must be in 1..86400, was " + heartbeatSeconds);
    }
  }

  /** Whether the link uses TLS. */
  public boolean isTls() {
    return url.startsWith("ssl://");
  }

  @Override
  public String toString() {
    // The password stays out of logs.
    return "MqttConfig[url="
        + url
        + ", clientId="
        + clientId
        + ", username="
        + username
        + ", password="
        + (password == null ? "none" : "***")
        + ", tls="
        + tls
        + ", sessionExpirySeconds="
        + sessionExpirySeconds
        + ", inFlightWindow="
        + inFlightWindow
        + ", keepAlive="
        + keepAlive
        + ", heartbeatSeconds="
        + heartbeatSeconds
        + "]";
  }
}
