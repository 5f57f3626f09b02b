package io.edgecam.mqtt;

import io.edgecam.protocol.Health;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One MQTT 5 connection that keeps itself up: connects and reconnects with backoff (a fresh client
 * each time), keeps at most a bounded number of QoS 1 publishes unacknowledged (below the broker's
 * receive maximum), subscribes again after every reconnect, leaves its last will when it dies and
 * disconnects cleanly when closed. A device holds one for everything it sends and receives.
 * Thread-safe. {@link PahoMqttLink} is the implementation.
 */
public interface MqttLink extends AutoCloseable {

  /** Starts connecting in the background; reconnects with backoff whenever the link drops. */
  void start();

  /** Whether the link is connected now. */
  boolean isConnected();

  /**
   * Waits until the link is connected.
   *
   * @return whether it is connected
   */
  boolean awaitConnected(Duration timeout) throws InterruptedException;

  /**
   * Publishes with QoS 1, first waiting for room in the in-flight window (back-pressure instead of
   * failing when the window is full).
   *
   * @param timeout how long to wait for room in the window
   * @return completes when the broker acknowledged (PUBACK), or exceptionally with a {@link
   *     MqttLinkException} if the broker refused it or the connection was lost or closed
   * @throws MqttLinkException if the link is not connected or no room came free in time
   * @throws InterruptedException if interrupted while waiting for room
   */
  CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain, Duration timeout)
      throws InterruptedException;

  /**
   * Subscribes to {@code filters} now if connected, and again after every reconnect, until the
   * returned subscription is closed. {@code handler} gets (topic, payload) on a Paho thread: it
   * must not block, and an exception it throws is logged, not passed on.
   *
   * @param qos 0 or 1
   */
  Subscription subscribe(int qos, BiConsumer<String, byte[]> handler, String... filters);

  /** Runs {@code listener} on the link's own thread after every successful (re)connect. */
  void onConnected(Runnable listener);

  /** Runs {@code listener} with the reason whenever an established connection is lost. */
  void onConnectionLost(Consumer<String> listener);

  /** Health of the link: OK when connected, DEGRADED with the reason otherwise. */
  Health health();

  /** Publishes not yet acknowledged. */
  int inFlight();

  /** Disconnects cleanly (no last will) and stops reconnecting. */
  @Override
  void close();

  /** A subscription of {@link #subscribe}; closing it unsubscribes. */
  interface Subscription extends AutoCloseable {
    /**
     * Completes when the broker acknowledged the subscription on the current connection (at once if
     * it already has), exceptionally if it refused it.
     */
    CompletableFuture<Void> acknowledged();

    /** Unsubscribes (if connected) and stops subscribing after reconnects. */
    @Override
    void close();
  }
}
