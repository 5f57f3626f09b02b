package io.edgecam.runtime.metrics;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/**
 * The Prometheus {@code /metrics} and {@code /health} endpoint ({@code metrics} in agent.yaml and
 * matcher.yaml). Off by default; when on, it listens on localhost unless {@code bind} says
 * otherwise, since the endpoint has no authentication.
 *
 * @param enabled serve the endpoint
 * @param bind address to listen on (an IP literal or host name)
 * @param port TCP port; 0 picks a free one (tests)
 */
public record MetricsConfig(boolean enabled, String bind, int port) {
  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_PORT = 9464;

  /** Binds the YAML form, filling defaults for missing keys. */
  @JsonCreator
  public static MetricsConfig fromYaml(
      @JsonProperty("enabled") @Nullable Boolean enabled,
      @JsonProperty("bind") @Nullable String bind,
      @JsonProperty("port") @Nullable Integer port) {
    return new MetricsConfig(
        enabled != null && enabled,
        bind == null ? DEFAULT_BIND : bind,
        port == null ? DEFAULT_PORT : port);
  }

  public MetricsConfig {
    if (bind == null || bind.isBlank()) {
      throw new IllegalArgumentException("metrics.bind must be an address, was '" + bind + "'");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("metrics.port must be in 0..65535, was " + port);
    }
  }

  /** Disabled. */
  public static MetricsConfig off() {
    return new MetricsConfig(false, DEFAULT_BIND, DEFAULT_PORT);
  }

  /** Enabled on localhost, on a free port. */
  public static MetricsConfig localhostAnyPort() {
    return new MetricsConfig(true, DEFAULT_BIND, 0);
  }

  /** The bind address. */
  public InetAddress address() {
    try {
      return InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("metrics.bind: unknown host '" + bind + "'", e);
    }
  }
}
