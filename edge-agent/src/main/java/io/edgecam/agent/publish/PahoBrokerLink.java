package io.edgecam.agent.publish;

import io.edgecam.agent.config.MqttConfig;
import io.edgecam.mqtt.MqttLink;
import io.edgecam.mqtt.MqttLinkConfig;
import io.edgecam.mqtt.MqttLinkException;
import io.edgecam.mqtt.PahoMqttLink;
import io.edgecam.protocol.Health;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The agent's {@link BrokerLink}: its one MQTT connection, a {@link PahoMqttLink} of the {@code
 * mqtt} module configured from the agent's {@code mqtt} settings (PEM TLS files). The update
 * fetcher subscribes on the same connection ({@link #mqtt()}). Errors come as {@link
 * BrokerException}s.
 */
public final class PahoBrokerLink implements BrokerLink {
  private final PahoMqttLink link;

  /**
   * The message the broker publishes for us when the connection dies without a DISCONNECT.
   *
   * @param topic status topic
   * @param payload offline status payload (retained)
   */
  public record Will(String topic, byte[] payload) {}

  /**
   * Creates a link; nothing connects until {@link #start()}.
   *
   * @throws io.edgecam.runtime.config.ConfigException if TLS files are unusable
   */
  public PahoBrokerLink(MqttConfig config, String clientId, Will will) {
    this.link =
        new PahoMqttLink(
            new MqttLinkConfig(
                config.url(),
                clientId,
                config.username(),
                config.password(),
                config.isTls() ? PemTls.socketFactory(config.tls()) : null,
                config.keepAlive(),
                config.sessionExpirySeconds(),
                config.inFlightWindow(),
                new MqttLinkConfig.Will(will.topic(), will.payload())),
            "edgecam-mqtt");
  }

  /** The connection itself, for the other users of the agent's one connection. */
  public MqttLink mqtt() {
    return link;
  }

  @Override
  public void start() {
    link.start();
  }

  @Override
  public boolean isConnected() {
    return link.isConnected();
  }

  @Override
  public boolean awaitConnected(Duration timeout) throws InterruptedException {
    return link.awaitConnected(timeout);
  }

  @Override
  public CompletableFuture<Void> publish(
      String topic, byte[] payload, boolean retain, Duration timeout) throws InterruptedException {
    CompletableFuture<Void> acked;
    try {
      acked = link.publish(topic, payload, retain, timeout);
    } catch (MqttLinkException e) {
      throw new BrokerException(e.getMessage(), e);
    }
    CompletableFuture<Void> out = new CompletableFuture<>();
    acked.whenComplete(
        (v, failure) -> {
          if (failure == null) {
            out.complete(null);
          } else {
            out.completeExceptionally(
                failure instanceof MqttLinkException
                    ? new BrokerException(failure.getMessage(), failure)
                    : failure);
          }
        });
    return out;
  }

  @Override
  public void onConnected(Runnable listener) {
    link.onConnected(listener);
  }

  @Override
  public Health health() {
    return link.health();
  }

  @Override
  public int inFlight() {
    return link.inFlight();
  }

  /** Current in-flight limit (after the broker's receive maximum was applied). */
  int windowLimit() {
    return link.windowLimit();
  }

  /** Drops the connection without a DISCONNECT, as a crash would. For tests. */
  void dieForTest() {
    link.dieForTest();
  }

  @Override
  public void close() {
    link.close();
  }
}
