package io.edgecam.agent.gpio;

/**
 * Erases the device's local watchlist copy when the tamper switch reports an open enclosure and
 * {@code gpio.tamper.wipeWatchlist} is on. The update client (issue 5), which owns that copy,
 * supplies the real implementation through {@link GpioHooks}; until it does, {@link #NONE} wipes
 * nothing and says so in the tamper event.
 *
 * <p>Called on the {@code edgecam-tamper} thread, once per opening. It must leave nothing usable
 * behind even if the power is cut right after (delete, then fsync), and should be fast.
 */
@FunctionalInterface
public interface WatchlistWipe {

  /** An agent without a local watchlist: nothing to wipe. */
  WatchlistWipe NONE = () -> "nothing: this agent keeps no local watchlist";

  /**
   * Erases the local watchlist.
   *
   * @return what was erased, for the tamper event's {@code wiped} field (e.g. "412 entries, v37");
   *     never personal data
   * @throws RuntimeException if it could not be erased; the event then says {@code wipe: failed}
   */
  String wipe();
}
