package io.edgecam.agent.publish;

import io.edgecam.agent.spool.SqliteEventSpool;
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
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link DeviceEvent}s (tamper, update results) on the device's events topic with QoS 1, in
 * order. Events wait while the broker is unreachable and go out after the next connect; when the
 * store is full the oldest is dropped and counted. With a {@link SqliteEventSpool} (the agent's)
 * they wait on disk and survive a restart, like candidates; without one, in memory. An event is
 * deleted only after the broker's PUBACK, so one sent just before a crash may arrive twice. Runs on
 * its own thread, {@code edgecam-events}; {@link #publish} may be called from any thread and never
 * blocks on the network (it writes the event to the spool first).
 */
public final class EventPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);
  private static final Duration ACK_WAIT = Duration.ofSeconds(5);

  private final BrokerLink link;
  private final String topic;
  private final Store queue;
  private final AtomicLong published = new AtomicLong();
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
    this.queue = new MemoryStore(capacity);
  }

  /**
   * Events kept in {@code spool} until acknowledged; the caller closes the spool after this.
   *
   * @param topic the device's events topic
   */
  public EventPublisher(BrokerLink link, String topic, SqliteEventSpool spool) {
    this.link = link;
    this.topic = topic;
    this.queue = new SpoolStore(spool);
  }

  /** Sends what is queued after every connect. Call before the link starts. */
  public void start() {
    link.onConnected(this::wake);
  }

  /** Queues {@code event} and returns at once; it is sent as soon as the link is up. */
  public void publish(DeviceEvent event) {
    String old;
    synchronized (queue) {
      old = queue.add(event.type(), JsonMessages.encode(event));
    }
    if (old != null) {
      log.warn("event store full: dropped the oldest event ({})", old);
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
      Entry next;
      synchronized (queue) {
        next = queue.oldest();
      }
      if (next == null || !send(next)) {
        return; // empty, or the link dropped: the next connect wakes us again
      }
      synchronized (queue) {
        queue.remove(next.id());
      }
      published.incrementAndGet();
    }
  }

  private boolean send(Entry event) {
    try {
      link.publish(topic, event.payload(), false, ACK_WAIT)
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

  /** Events dropped because the store was full (with a spool: over the file's life). */
  public long dropped() {
    synchronized (queue) {
      return queue.dropped();
    }
  }

  /** Events waiting for the broker. */
  public int pending() {
    synchronized (queue) {
      return (int) queue.size();
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
      log.warn(
          "{} device events were not sent before the agent stopped{}",
          left,
          queue instanceof SpoolStore ? "; they stay in the events spool" : " and are lost");
    }
  }

  /** An event as stored: id (order), type (for logs), the encoded event. */
  private record Entry(long id, String type, byte[] payload) {}

  /** Where events wait; callers hold its monitor. */
  private interface Store {
    /** Adds an event; returns the type of the oldest one if it had to be dropped, else null. */
    @Nullable String add(String type, byte[] payload);

    @Nullable Entry oldest();

    void remove(long id);

    long size();

    long dropped();
  }

  private static final class MemoryStore implements Store {
    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private long nextId;
    private long dropped;

    MemoryStore(int capacity) {
      this.capacity = capacity;
    }

    @Override
    public @Nullable String add(String type, byte[] payload) {
      String old = null;
      if (entries.size() == capacity) {
        old = entries.removeFirst().type();
        dropped++;
      }
      entries.addLast(new Entry(nextId++, type, payload));
      return old;
    }

    @Override
    public @Nullable Entry oldest() {
      return entries.peekFirst();
    }

    @Override
    public void remove(long id) {
      entries.removeIf(e -> e.id() == id);
    }

    @Override
    public long size() {
      return entries.size();
    }

    @Override
    public long dropped() {
      return dropped;
    }
  }

  private static final class SpoolStore implements Store {
    private final SqliteEventSpool spool;

    SpoolStore(SqliteEventSpool spool) {
      this.spool = spool;
    }

    @Override
    public @Nullable String add(String type, byte[] payload) {
      return spool.append(type, payload);
    }

    @Override
    public @Nullable Entry oldest() {
      SqliteEventSpool.Stored s = spool.oldest();
      return s == null ? null : new Entry(s.id(), s.type(), s.payload());
    }

    @Override
    public void remove(long id) {
      spool.remove(id);
    }

    @Override
    public long size() {
      return spool.size();
    }

    @Override
    public long dropped() {
      return spool.dropped();
    }
  }
}
