package io.edgecam.agent.gpio;

import java.util.function.BooleanSupplier;

/**
 * What other parts of the agent lend to GPIO: the watchlist wipe for the tamper switch and the
 * "update in progress" flag for the status LED. {@link #NONE} until the update client provides
 * them.
 *
 * @param wipe erases the local watchlist (tamper with {@code wipeWatchlist: true})
 * @param updating whether an update is being applied now (LED double blink); fast, thread-safe
 */
public record GpioHooks(WatchlistWipe wipe, BooleanSupplier updating) {

  /** No local watchlist, never updating. */
  public static final GpioHooks NONE = new GpioHooks(WatchlistWipe.NONE, () -> false);

  public GpioHooks {
    if (wipe == null || updating == null) {
      throw new IllegalArgumentException("wipe and updating must not be null");
    }
  }
}
