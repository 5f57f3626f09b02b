package io.edgecam.agent.publish;

import io.edgecam.agent.spool.CandidateSpool;
import io.edgecam.agent.spool.SpooledCandidate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the spool to the broker in sequence order on its own thread ({@code edgecam-publisher}):
 * publishes each stored candidate with QoS 1 and deletes it from the spool only when the broker
 * acknowledged it. While the broker is unreachable it waits; unacknowledged publishes are resent by
 * the link after a reconnect, and anything refused is sent again from the spool (duplicates are
 * possible, as with any QoS 1 flow; the matcher dedups on device and sequence).
 */
public final class SpoolPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SpoolPublisher.class);
  private static final int BATCH = 256;
  private static final Duration WAIT = Duration.ofMillis(500);

  private final CandidateSpool spool;
  private final BrokerLink link;
  private final String topic;
  private final ExecutorService thread;
  private final Semaphore work = new Semaphore(0);
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean rewind = new AtomicBoolean();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final LongConsumer ackLatency;

  /**
   * @param topic the device's candidates topic
   */
  public SpoolPublisher(CandidateSpool spool, BrokerLink link, String topic) {
    this(spool, link, topic, nanos -> {});
  }

  /**
   * @param topic the device's candidates topic
   * @param ackLatency receives each acknowledged candidate's publish-to-PUBACK time in nanoseconds
   */
  public SpoolPublisher(
      CandidateSpool spool, BrokerLink link, String topic, LongConsumer ackLatency) {
    this.spool = spool;
    this.link = link;
    this.topic = topic;
    this.ackLatency = ackLatency;
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "edgecam-publisher");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts draining. */
  public void start() {
    if (running.compareAndSet(false, true)) {
      thread.execute(this::run);
    }
  }

  /** Tells the publisher that candidates were appended (it also polls). Thread-safe, cheap. */
  public void wake() {
    work.release();
  }

  /** Candidates acknowledged by the broker (and deleted from the spool). */
  public long published() {
    return published.get();
  }

  /** Payload bytes of acknowledged candidates. */
  public long bytesPublished() {
    return bytes.get();
  }

  /** Publishes the broker refused or that failed (they are sent again). */
  public long failures() {
    return refused.get();
  }

  /**
   * Waits until the spool is empty and nothing is in flight.
   *
   * @return whether that happened within {@code timeout}
   */
  public boolean awaitDrained(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (spool.size() > 0 || link.inFlight() > 0) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      wake();
      // Woken by acks: each ack releases a window slot; poll at a short, bounded interval.
      TimeUnit.MILLISECONDS.sleep(20);
    }
    return true;
  }

  private void run() {
    long cursor = 0;
    while (running.get()) {
      try {
        if (!link.awaitConnected(WAIT)) {
          continue;
        }
        if (rewind.getAndSet(false)) {
          cursor = 0; // something was refused: send everything still stored again
        }
        List<SpooledCandidate> batch = spool.after(cursor, BATCH);
        if (batch.isEmpty()) {
          work.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS);
          work.drainPermits();
          continue;
        }
        for (SpooledCandidate c : batch) {
          if (!running.get() || !send(c)) {
            break;
          }
          cursor = c.sequence();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // The spool or link failed unexpectedly; keep the agent alive and try again shortly.
        log.error("publisher: {}", e.getMessage(), e);
        try {
          work.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * @return false if the link is down and the loop should wait for it
   */
  private boolean send(SpooledCandidate c) throws InterruptedException {
    try {
      long sent = System.nanoTime();
      link.publish(topic, c.payload(), false, Duration.ofDays(1))
          .whenComplete(
              (ok, error) -> {
                if (error == null) {
                  ackLatency.accept(System.nanoTime() - sent);
                  spool.delete(c.sequence());
                  published.incrementAndGet();
                  bytes.addAndGet(c.payload().length);
                } else {
                  refused.incrementAndGet();
                  rewind.set(true);
                  log.warn(
                      "candidate {} not delivered, will be sent again: {}",
                      c.sequence(),
                      error.getMessage());
                }
              });
      return true;
    } catch (BrokerException e) {
      log.debug("candidate {} waits for the broker: {}", c.sequence(), e.getMessage());
      return false;
    }
  }

  /** Stops the publishing thread; candidates not yet acknowledged stay in the spool. */
  @Override
  public void close() {
    running.set(false);
    work.release();
    thread.shutdown();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
