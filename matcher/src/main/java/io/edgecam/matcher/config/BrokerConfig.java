package io.edgecam.matcher.config;

import org.jspecify.annotations.Nullable;

/**
 * Where the matcher's MQTT broker is: exactly one of an embedded broker started in-process or an
 * external broker reached by URL.
 *
 * @param embedded embedded broker settings, or null when {@code external} is set
 * @param external external broker settings, or null when {@code embedded} is set
 */
public record BrokerConfig(
    @Nullable EmbeddedBrokerConfig embedded, @Nullable ExternalBrokerConfig external) {
  public BrokerConfig {
    if ((embedded == null) == (external == null)) {
      throw new IllegalArgumentException(
          "broker: set exactly one of broker.embedded and broker.external");
    }
  }

  /** The default: an embedded broker on 127.0.0.1:1883 with its data under {@code ./broker}. */
  public static BrokerConfig defaults() {
    return new BrokerConfig(EmbeddedBrokerConfig.defaults(), null);
  }

  public static BrokerConfig embedded(EmbeddedBrokerConfig embedded) {
    return new BrokerConfig(embedded, null);
  }

  public static BrokerConfig external(String url) {
    return new BrokerConfig(null, new ExternalBrokerConfig(url, null, null));
  }
}
