package io.edgecam.agent.publish;

import io.edgecam.protocol.DeviceEvent;
import io.edgecam.protocol.JsonMessages;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link DeviceEvent}s (update results, tamper...) to the device's events topic, QoS 1, not
 * retained, in order. Events wait in a bounded in-memory queue while the link is down and go out
 * after the next connect; beyond {@value #MAX_QUEUED} the oldest are dropped (counted). They are
 * not persisted: the retained status carries the resulting state. {@link #publish} never blocks;
 * sending runs on the thread {@code edgecam-events}.
 */
public final class EventPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);
  static final int MAX_QUEUED = 256;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final BrokerLink link;
  private final String topic;
  private final ScheduledExecutorService thread = Threads.singleScheduled("edgecam-events");
  private final ArrayDeque<DeviceEvent> queue = new ArrayDeque<>(); // guarded by itself
  private long dropped; // guarded by queue
  private long sent; // guarded by queue

  /** Sends to {@code topic} through {@code link}; call {@link #start()} before the link starts. */
  public EventPublisher(BrokerLink link, String topic) {
    this.link = link;
    this.topic = topic;
  }

  /** Sends what is queued after every (re)connect. */
  public void start() {
    link.onConnected(this::wake);
  }

  /** Queues {@code event}; any thread, never blocks. */
  public void publish(DeviceEvent event) {
    synchronized (queue) {
      if (queue.size() == MAX_QUEUED) {
        queue.poll();
        if (dropped++ == 0) {
          log.warn("event queue full ({}): dropping the oldest events", MAX_QUEUED);
        }
      }
      queue.add(event);
    }
    wake();
  }

  private void wake() {
    try {
      thread.execute(this::drain);
    } catch (RejectedExecutionException e) {
      log.debug("event publisher stopped");
    }
  }

  private void drain() {
    while (link.isConnected()) {
      DeviceEvent next;
      synchronized (queue) {
        next = queue.peek();
      }
      if (next == null) {
        return;
      }
      try {
        link.publish(topic, JsonMessages.encode(next), false, WAIT)
            .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        synchronized (queue) {
          if (queue.peek() == next) {
            queue.poll();
          }
          sent++;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (BrokerException | ExecutionException | TimeoutException e) {
        log.debug("event not sent yet ({}); retried after the next connect", e.getMessage());
        return;
      }
    }
  }

  /** Events acknowledged by the broker. */
  public long sent() {
    synchronized (queue) {
      return sent;
    }
  }

  /** Events dropped because the queue was full. */
  public long dropped() {
    synchronized (queue) {
      return dropped;
    }
  }

  /** Stops sending; queued events are lost. */
  @Override
  public void close() {
    thread.shutdownNow();
  }
}
