package io.edgecam.agent.publish;

import io.edgecam.protocol.Health;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The agent's connection to its MQTT 5 broker: connects and reconnects by itself, keeps at most a
 * bounded number of QoS 1 publishes unacknowledged (below the broker's receive maximum), and leaves
 * an offline status as its last will. Thread-safe.
 */
public interface BrokerLink extends AutoCloseable {

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
   *     BrokerException} if the broker refused it or the link was closed
   * @throws BrokerException if the link is not connected or no room came free in time
   * @throws InterruptedException if interrupted while waiting for room
   */
  CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain, Duration timeout)
      throws InterruptedException;

  /** Runs {@code listener} on the link's own thread after every successful (re)connect. */
  void onConnected(Runnable listener);

  /** Health of the broker link: OK when connected, DEGRADED with the reason otherwise. */
  Health health();

  /** Publishes not yet acknowledged. */
  int inFlight();

  /** Disconnects cleanly (no last will) and stops reconnecting. */
  @Override
  void close();
}
