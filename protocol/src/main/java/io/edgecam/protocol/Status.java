package io.edgecam.protocol;

import java.util.Map;

/**
 * Device status, retained on {@code edgecam/v1/{site}/{device}/status}; the broker publishes the
 * offline form as the device's last will.
 *
 * @param v message version (1)
 * @param device device id
 * @param site site id
 * @param state "online" or "offline"
 * @param time Unix epoch milliseconds when this status was made
 * @param versions agent, models, watchlist versions by name
 * @param health health by component name
 * @param counters monotonic counters (frames, faces, candidates, spool drops...)
 */
public record Status(
    int v,
    String device,
    String site,
    String state,
    long time,
    Map<String, String> versions,
    Map<String, Health> health,
    Map<String, Long> counters) {

  /** {@link #state()} of a connected device. */
  public static final String ONLINE = "online";

  /** {@link #state()} of a disconnected device (last will). */
  public static final String OFFLINE = "offline";

  /**
   * Throws {@link IllegalArgumentException} naming the first invalid field; null maps become empty,
   * null map values are rejected.
   */
  public Status {
    Ids.requireDevice("device", device);
    Ids.require("site", site);
    if (!ONLINE.equals(state) && !OFFLINE.equals(state)) {
      throw new IllegalArgumentException(
          "status state must be online or offline, was "
              + (state == null ? "null" : Printable.quote(state)));
    }
    if (time < 0) {
      throw new IllegalArgumentException("status time must be >= 0, was " + time);
    }
    versions = NonNullMaps.copyOf("versions", versions);
    health = NonNullMaps.copyOf("health", health);
    counters = NonNullMaps.copyOf("counters", counters);
  }

  /** The offline status, published by the broker as the device's last will. */
  public static Status offline(String site, String device, long time) {
    return new Status(1, device, site, OFFLINE, time, null, null, null);
  }
}
