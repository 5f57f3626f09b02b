package io.edgecam.agent.publish;

import io.edgecam.protocol.DeviceEvent;
import io.edgecam.protocol.JsonMessages;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link DeviceEvent}s (tamper, update results) on the device's events topic with QoS 1, in
 * order. Events wait in a small in-memory queue while the broker is unreachable and go out after
 * the next connect; when the queue is full the oldest is dropped and counted. They are not kept
 * across a restart (unlike candidates, which have the spool). Runs on its own thread, {@code
 * edgecam-events}; {@link #publish} may be called from any thread and never blocks.
 */
public final class EventPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);
  private static final Duration ACK_WAIT = Duration.ofSeconds(5);

  private final BrokerLink link;
  private final String topic;
  private final int capacity;
  private final Deque<DeviceEvent> queue = new ArrayDeque<>();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final ScheduledExecutorService thread = Threads.singleScheduled("edgecam-events");

  /**
   * @param topic the device's events topic
   * @param capacity most events held while the broker is unreachable
   */
  public EventPublisher(BrokerLink link, String topic, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity < 1: " + capacity);
    }
    this.link = link;
    this.topic = topic;
    this.capacity = capacity;
  }

  /** Sends what is queued after every connect. Call before the link starts. */
  public void start() {
    link.onConnected(this::wake);
  }

  /** Queues {@code event} and returns at once; it is sent as soon as the link is up. */
  public void publish(DeviceEvent event) {
    synchronized (queue) {
      if (queue.size() == capacity) {
        DeviceEvent old = queue.removeFirst();
        dropped.incrementAndGet();
        log.warn("event queue full: dropped the oldest event ({})", old.type());
      }
      queue.addLast(event);
    }
    wake();
  }

  private void wake() {
    try {
      thread.execute(this::drain);
    } catch (RejectedExecutionException e) {
      log.debug("event publisher already stopped");
    }
  }

  private void drain() {
    while (link.isConnected()) {
      DeviceEvent next;
      synchronized (queue) {
        next = queue.peekFirst();
      }
      if (next == null || !send(next)) {
        return; // empty, or the link dropped: the next connect wakes us again
      }
      synchronized (queue) {
        if (queue.peekFirst() == next) {
          queue.removeFirst();
        }
      }
      published.incrementAndGet();
    }
  }

  private boolean send(DeviceEvent event) {
    try {
      link.publish(topic, JsonMessages.encode(event), false, ACK_WAIT)
          .get(ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      log.debug("event {} sent", event.type());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (BrokerException | ExecutionException | TimeoutException e) {
      log.debug("event {} not sent yet: {}", event.type(), e.getMessage());
      if (link.isConnected()) {
        wakeLater(); // connected but refused or slow: try again shortly rather than never
      }
      return false;
    }
  }

  private void wakeLater() {
    try {
      thread.schedule(this::drain, 1, TimeUnit.SECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("event publisher already stopped");
    }
  }

  /** Events acknowledged by the broker. */
  public long published() {
    return published.get();
  }

  /** Events dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Events waiting for the broker. */
  public int pending() {
    synchronized (queue) {
      return queue.size();
    }
  }

  /**
   * Gives queued events a last chance while the link is up (waiting up to 5 s), then stops. Events
   * still queued after that are lost, and logged.
   */
  @Override
  public void close() {
    wake();
    thread.shutdown();
    try {
      if (!thread.awaitTermination(ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
    int left = pending();
    if (left > 0) {
      log.warn("{} device events were not sent before the agent stopped", left);
    }
  }
}
