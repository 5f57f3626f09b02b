package io.edgecam.agent.gpio;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debounces the tamper switch and reports each settled change once: after an edge the line must
 * read the same level {@code debounceMs} later, or the edge is ignored (contact bounce, a passing
 * spike). Runs {@link Listener} on its own thread, {@code edgecam-tamper}, so a slow watchlist wipe
 * never holds up Pi4J's event thread.
 */
final class TamperSwitch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TamperSwitch.class);

  /** Told about settled changes, on the {@code edgecam-tamper} thread. */
  interface Listener {
    /**
     * @param open whether the enclosure is open now
     * @param atStart whether this is the state found when the agent started
     */
    void changed(boolean open, boolean atStart);
  }

  private final long debounceMillis;
  private final Listener listener;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "edgecam-tamper");
            t.setDaemon(true);
            return t;
          });
  private volatile @Nullable BooleanSupplier line;
  // Confined to the tamper thread.
  private @Nullable Boolean reported;

  TamperSwitch(int debounceMs, Listener listener) {
    this.debounceMillis = debounceMs;
    this.listener = listener;
  }

  /**
   * Starts watching {@code line}. Reads it first and waits (up to 5 s) until an enclosure that is
   * already open has been reported, so the agent never starts unaware of it.
   */
  void start(BooleanSupplier line) {
    this.line = line;
    try {
      thread.submit(() -> settle(true)).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      log.warn("tamper switch: initial state not handled yet: {}", e.toString());
    }
  }

  /** An edge on the line (provider thread). */
  void edge() {
    submit(debounceMillis, false);
  }

  private void submit(long delayMillis, boolean atStart) {
    try {
      thread.schedule(() -> settle(atStart), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("tamper switch closed");
    }
  }

  private void settle(boolean atStart) {
    BooleanSupplier l = line;
    if (l == null) {
      return;
    }
    boolean open;
    try {
      open = l.getAsBoolean();
    } catch (GpioException e) {
      log.warn("tamper switch unreadable: {}", e.getMessage());
      return;
    }
    if (reported != null && reported == open) {
      return; // bounced back, or a second edge of the same change
    }
    if (reported == null && !open) {
      reported = false; // closed at start: nothing to say
      return;
    }
    reported = open;
    try {
      listener.changed(open, atStart);
    } catch (RuntimeException e) {
      log.error("handling the tamper switch failed: {}", e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
