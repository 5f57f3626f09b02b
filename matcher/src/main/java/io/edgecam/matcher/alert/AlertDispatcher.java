package io.edgecam.matcher.alert;

import io.edgecam.protocol.Alert;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each recorded alert to every sink (MQTT, in-process listeners), and each verified alert to
 * every action sink (webhook, the verified topic), on one thread of its own, {@code
 * matcher-alerts}, so that a slow sink never stalls ingest or the operator who verified. The queue
 * is bounded; when full, the alert is still stored but not delivered, and {@link #dropped()} counts
 * it. Sinks see alerts in order; a sink that throws is logged and the others still run.
 * Thread-safe.
 */
public final class AlertDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertDispatcher.class);
  public static final int DEFAULT_CAPACITY = 10_000;

  private final List<NamedSink> sinks = new CopyOnWriteArrayList<>();
  private final List<NamedAction> actionSinks = new CopyOnWriteArrayList<>();
  private volatile Consumer<VerifiedAlert> delivered = v -> {};
  private final AtomicLong dropped = new AtomicLong();
  private final ThreadPoolExecutor executor;

  /** A dispatcher whose queue holds up to {@code capacity} alerts. */
  public AlertDispatcher(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity < 1: " + capacity);
    }
    this.executor =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(capacity),
            r -> {
              Thread t = new Thread(r, "matcher-alerts");
              t.setDaemon(true);
              return t;
            });
  }

  /** Adds a sink; it receives the alerts dispatched from now on. */
  public void addSink(String name, Consumer<Alert> sink) {
    sinks.add(new NamedSink(name, sink));
  }

  /**
   * Adds an action sink: it receives only alerts that enough persons verified, from now on.
   * Failures are logged with {@code name}.
   */
  public void addActionSink(String name, Consumer<VerifiedAlert> sink) {
    actionSinks.add(new NamedAction(name, sink));
  }

  /** Called on the dispatcher's thread once every action sink took a verified alert. */
  public void onActionsDelivered(Consumer<VerifiedAlert> callback) {
    this.delivered = callback;
  }

  /**
   * Queues a verified alert for every action sink; never blocks. If one fails, the others still run
   * and {@link #onActionsDelivered} is not called (the caller retries later).
   */
  public void dispatchVerified(VerifiedAlert verified) {
    try {
      executor.execute(() -> deliverVerified(verified));
    } catch (RejectedExecutionException e) {
      long n = dropped.incrementAndGet();
      log.warn(
          "Verified alert {} not queued: dispatch queue full or closed ({} dropped so far);"
              + " it is retried",
          verified.alert().id(),
          n);
    }
  }

  private void deliverVerified(VerifiedAlert v) {
    boolean all = true;
    for (NamedAction s : actionSinks) {
      try {
        s.sink().accept(v);
      } catch (RuntimeException e) {
        all = false;
        log.warn(
            "Action sink {} failed for verified alert {}: {}; retried later",
            s.name(),
            v.alert().id(),
            e.getMessage());
      }
    }
    if (all) {
      try {
        delivered.accept(v);
      } catch (RuntimeException e) {
        log.warn(
            "Recording delivery of verified alert {} failed: {}", v.alert().id(), e.getMessage());
      }
    }
  }

  /** Queues {@code alert} for every sink; never blocks. */
  public void dispatch(Alert alert) {
    try {
      executor.execute(() -> deliver(alert));
    } catch (RejectedExecutionException e) {
      long n = dropped.incrementAndGet();
      log.warn(
          "Alert {} not delivered: dispatch queue full or closed ({} dropped so far); it is stored",
          alert.id(),
          n);
    }
  }

  /**
   * Queues {@code alert} for the sink named {@code sinkName} only (e.g. republishing a stored alert
   * on MQTT without notifying the listeners again); never blocks.
   */
  public void dispatchTo(String sinkName, Alert alert) {
    try {
      executor.execute(
          () -> {
            for (NamedSink s : sinks) {
              if (s.name().equals(sinkName)) {
                deliverTo(s, alert);
              }
            }
          });
    } catch (RejectedExecutionException e) {
      dropped.incrementAndGet();
      log.warn("Alert {} not queued for {}: dispatch queue full or closed", alert.id(), sinkName);
    }
  }

  private void deliver(Alert alert) {
    for (NamedSink s : sinks) {
      deliverTo(s, alert);
    }
  }

  private static void deliverTo(NamedSink s, Alert alert) {
    try {
      s.sink().accept(alert);
    } catch (RuntimeException e) {
      log.warn("Alert sink {} failed for alert {}: {}", s.name(), alert.id(), e.getMessage());
    }
  }

  /** True when no alert is queued or being delivered. */
  public boolean idle() {
    return executor.getQueue().isEmpty() && executor.getActiveCount() == 0;
  }

  /** Alerts that could not be queued for delivery. */
  public long dropped() {
    return dropped.get();
  }

  /** Delivers what is queued (waiting up to 5 s), then stops the thread. */
  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private record NamedSink(String name, Consumer<Alert> sink) {}

  private record NamedAction(String name, Consumer<VerifiedAlert> sink) {}
}
