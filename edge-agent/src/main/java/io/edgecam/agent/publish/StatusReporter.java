package io.edgecam.agent.publish;

import io.edgecam.protocol.JsonMessages;
import io.edgecam.protocol.Status;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the device's retained status current: online status (versions, health, counters) right
 * after every connect and every heartbeat; an explicit offline status on a clean stop (the broker
 * publishes the same offline status as the last will when the agent dies). Runs on its own thread
 * ({@code edgecam-status}) so a full in-flight window never blocks the link's reconnects.
 */
public final class StatusReporter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);
  private static final Duration PUBLISH_WAIT = Duration.ofSeconds(5);

  private final BrokerLink link;
  private final String topic;
  private final Supplier<Status> online;
  private final Supplier<Status> offline;
  private final ScheduledExecutorService thread = Threads.singleScheduled("edgecam-status");

  /**
   * @param topic the device's status topic
   * @param online makes the current online status (called on the reporter's thread)
   * @param offline makes the offline status
   */
  public StatusReporter(
      BrokerLink link, String topic, Supplier<Status> online, Supplier<Status> offline) {
    this.link = link;
    this.topic = topic;
    this.online = online;
    this.offline = offline;
  }

  /** Publishes on every connect and every {@code heartbeat}. Call before the link starts. */
  public void start(Duration heartbeat) {
    link.onConnected(
        () -> {
          try {
            thread.execute(this::publishOnline);
          } catch (RejectedExecutionException e) {
            log.debug("status reporter already stopped");
          }
        });
    long ms = heartbeat.toMillis();
    thread.scheduleAtFixedRate(this::publishOnline, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void publishOnline() {
    if (!link.isConnected()) {
      return; // the next connect publishes it
    }
    try {
      link.publish(topic, JsonMessages.encode(online.get()), true, PUBLISH_WAIT);
    } catch (BrokerException e) {
      log.debug("status not published: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("status not published: {}", e.getMessage(), e);
    }
  }

  /** Stops the heartbeat and publishes the retained offline status, waiting briefly for its ack. */
  @Override
  public void close() {
    thread.shutdownNow();
    if (!link.isConnected()) {
      return;
    }
    try {
      link.publish(topic, JsonMessages.encode(offline.get()), true, PUBLISH_WAIT)
          .get(PUBLISH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Not fatal: the will covers a missing offline status only on a crash, so say so.
      log.warn("offline status not confirmed by the broker: {}", e.getMessage());
    }
  }
}
